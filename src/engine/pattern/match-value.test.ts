// Scalar matching: Kyverno pkg/engine/pattern/pattern_test.go and kyverno.io "Validate Rules" →
// operators (`>`, `<`, `>=`, `<=`, `!`, `|`, `&`, ranges `A-B`, `A!-B`) and wildcards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchValuePattern } from './match-value.js';
import { operatorOf } from './operators.js';

const cases: [string, unknown, unknown, boolean][] = [
  // bool patterns need bools
  ['true ~ true', true, true, true],
  ['true ~ false', true, false, false],
  ['false ~ false', false, false, true],
  ['"true" string is not a bool pattern match', 'true', true, false],
  // number patterns (float64 in Kyverno)
  ['7 ~ 7', 7, 7, true],
  ['7.9914 ~ 7.9914', 7.9914, 7.9914, true],
  ['7.9914 !~ 7.99141', 7.9914, 7.99141, false],
  ['8 !~ 7', 8, 7, false],
  ['numeric string "7" ~ 7', '7', 7, true],
  ['numeric string "7.0" ~ 7', '7.0', 7, true],
  ['non-numeric string !~ 7', 'seven', 7, false],
  ['null !~ 0 number pattern', null, 0, false],
  // nil pattern: zero values only
  ['nil ~ null', null, null, true],
  ['nil ~ ""', '', null, true],
  ['nil ~ 0', 0, null, true],
  ['nil ~ false', false, null, true],
  ['nil !~ "value"', 'value', null, false],
  ['nil !~ 0.1', 0.1, null, false],
  ['nil !~ 1', 1, null, false],
  ['nil !~ true', true, null, false],
  ['nil !~ map', { a: 1 }, null, false],
  ['nil !~ array', [], null, false],
  // map and array patterns at scalar position
  ['map pattern only needs a map', { x: 1 }, { y: 2 }, true],
  ['map pattern rejects a string', 'x', { y: 2 }, false],
  ['array pattern is unsupported', ['a'], ['a'], false],
  // wildcards
  ['"*" ~ anything', 'anything', '*', true],
  ['"*" ~ ""', '', '*', true],
  ['"*right" ~ leftright', 'leftright', '*right', true],
  ['"*right" !~ leftmiddle', 'leftmiddle', '*right', false],
  ['"ab*ba" ~ abbeba', 'abbeba', 'ab*ba', true],
  ['"ab*ba" !~ abbca', 'abbca', 'ab*ba', false],
  ['"ab?ba" ~ abbba', 'abbba', 'ab?ba', true],
  ['"ab?ba" !~ abbbba', 'abbbba', 'ab?ba', false],
  ['"?*" ~ non-empty', 'x', '?*', true],
  ['"?*" !~ ""', '', '?*', false],
  ['"?*" !~ null', null, '?*', false],
  ['"?*" ~ number 0', 0, '?*', true],
  ['"?*" ~ false', false, '?*', true],
  ['"?*" !~ map', { a: 'b' }, '?*', false],
  ['"!*:latest" ~ nginx:1.2', 'nginx:1.2', '!*:latest', true],
  ['"!*:latest" !~ nginx:latest', 'nginx:latest', '!*:latest', false],
  ['string pattern "true" ~ bool true', true, 'true', true],
  // logical operators
  ['OR: 10.100.11.54 ~ "192.168.88.1 | 10.100.11.*"', '10.100.11.54', '192.168.88.1 | 10.100.11.*', true],
  ['AND: "10" ~ ">1 & <20"', '10', '>1 & <20', true],
  ['mixed: "10" ~ ">1 & <20 | >31 & <33"', '10', '>1 & <20 | >31 & <33', true],
  ['mixed: "32" ~ ">1 & <20 | >31 & <33"', '32', '>1 & <20 | >31 & <33', true],
  ['mixed: "21" !~ ">1 & <20 | >31 & <33"', '21', '>1 & <20 | >31 & <33', false],
  ['kernel version "!5.10.84-1 & !5.15.2-1" accepts other', '5.16.5-arch1-1', '!5.10.84-1 & !5.15.2-1', true],
  ['kernel version rejects 5.10.84-1', '5.10.84-1', '!5.10.84-1 & !5.15.2-1', false],
  ['kernel version rejects 5.15.2-1', '5.15.2-1', '!5.10.84-1 & !5.15.2-1', false],
  ['exact match wins before splitting', 'a|b', 'a|b', true],
  // relational operators with spaces, quantities, durations
  ['4 ~ ">= 3"', 4, '>= 3', true],
  ['1Gi ~ ">1000Mi"', '1Gi', '>1000Mi', true],
  ['1G ~ "<1Gi"', '1G', '<1Gi', true],
  ['500m ~ ">=0.5"', '500m', '>=0.5', true],
  ['1 ~ ">=500m"', '1', '>=500m', true],
  ['0.5 ~ "<=.5"', '0.5', '<=.5', true],
  ['0.2 ~ "!.5"', '0.2', '!.5', true],
  ['1024Mi ~ "1Gi" (quantity equality)', '1024Mi', '1Gi', true],
  ['0.2 ~ "200m"', '0.2', '200m', true],
  ['int 1024 ~ "1024"', 1024, '1024', true],
  ['"2048" !~ "1024"', '2048', '1024', false],
  ['"gii" !~ "1024Gi"', 'gii', '1024Gi', false],
  ['7.00001 ~ ">7.000001"', 7.00001, '>7.000001', true],
  ['7.00001 ~ "!7"', 7.00001, '!7', true],
  ['6.000000001 !~ "<6" (%f rounds to 6.000000)', 6.000000001, '<6', false],
  ['duration 90s ~ ">1m"', '90s', '>1m', true],
  ['duration 30s !~ ">1m"', '30s', '>1m', false],
  ['duration 1h ~ "<=60m"', '1h', '<=60m', true],
  ['relational operators do not apply to plain strings', 'abc', '>abc', false],
  // nil reads as "0" for numeric operators (Kyverno convertNumberToString)
  ['missing value passes "<10"', null, '<10', true],
  ['missing value passes "<=1Gi"', null, '<=1Gi', true],
  ['missing value fails ">0"', null, '>0', false],
  ['missing value matches "0" (Go parses "0" as a duration)', null, '0', true],
  ['missing value fails "?*"', null, '?*', false],
  // ranges
  ['0 in 0-2', 0, '0-2', true],
  ['2 in 0-2', 2, '0-2', true],
  ['3 not in 0-2', 3, '0-2', false],
  ['0 ~ 10!-20', 0, '10!-20', true],
  ['15 !~ 10!-20', 15, '10!-20', false],
  ['25 ~ 10!-20', 25, '10!-20', true],
  ['0 not in 0.00001-2.00001', 0, '0.00001-2.00001', false],
  ['2.0001 not in 0.00001-2.00001', 2.0001, '0.00001-2.00001', false],
  ['2.0001 ~ 0.00001!-2.00001', 2.0001, '0.00001!-2.00001', true],
  ['2 in 2-2', 2, '2-2', true],
  ['2 !~ 2!-2', 2, '2!-2', false],
  ['2.99999 in 2.99998-3', 2.99999, '2.99998-3', true],
  ['3.00001 ~ 2.99998!-3', 3.00001, '2.99998!-3', true],
  ['256Mi in 128Mi-512Mi', '256Mi', '128Mi-512Mi', true],
  ['1024Mi not in 128Mi-512Mi', '1024Mi', '128Mi-512Mi', false],
  ['64Mi ~ 128Mi!-512Mi', '64Mi', '128Mi!-512Mi', true],
  ['-5 in -10-0 (signed bounds)', -5, '-10-0', true],
  ['a date is not a range', '2020-01-01', '2020-01-01', true],
];

describe('matchValuePattern', () => {
  for (const [name, value, pattern, want] of cases)
    test(name, () => assert.equal(matchValuePattern(value, pattern), want));
});

describe('operatorOf', () => {
  const rows: [string, string][] = [
    ['f', ''],
    ['', ''],
    ['>', ''],
    ['>=1', '>='],
    ['<=1', '<='],
    ['>1', '>'],
    ['<1', '<'],
    ['!x', '!'],
    ['1-5', 'range'],
    ['1!-5', 'not-range'],
    ['1Gi-2Gi', 'range'],
    ['nginx-1', ''],
    ['1-2-3', ''],
  ];
  for (const [atom, op] of rows)
    test(`operator of "${atom}" is "${op}"`, () => assert.equal(operatorOf(atom), op));
});
