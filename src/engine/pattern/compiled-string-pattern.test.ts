// String patterns are parsed once and kept (match-value.ts): every answer must be the one the
// pattern grammar gives when each atom is parsed at the time of the check, as it was before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration } from '../primitives/go-duration.js';
import { compareQuantity, parseQuantity } from '../units/quantity.js';
import { wildcardMatch } from '../units/wildcard.js';
import { numericText, stringText } from './compare.js';
import { matchStringPattern } from './match-value.js';
import { applyOperator, operatorOf, type PatternOperator, rangeBounds } from './operators.js';

// One comparison with every operand parsed at the time of the check (durations, quantities, strings).
function compareWithOperand(value: unknown, operand: string, op: PatternOperator): boolean {
  const wantDuration = parseDuration(operand);
  if (wantDuration !== undefined) {
    const text = numericText(value);
    const got = text === undefined ? undefined : parseDuration(text);
    const r = got === undefined ? undefined : applyOperator(op, Math.sign(got - wantDuration));
    if (r !== undefined) return r;
  }
  const wantQuantity = parseQuantity(operand);
  if (wantQuantity !== undefined) {
    const text = numericText(value);
    const got = text === undefined ? undefined : parseQuantity(text);
    const r = got === undefined ? undefined : applyOperator(op, compareQuantity(got, wantQuantity));
    if (r !== undefined) return r;
  }
  if (op !== '' && op !== '!') return false;
  const text = stringText(value);
  if (text === undefined) return false;
  const matched = wildcardMatch(operand, text);
  return op === '!' ? !matched : matched;
}

// The grammar read directly, atom by atom (the form before compilation), as the reference.
function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}
function referenceAtom(value: unknown, atom: string): boolean {
  const op = operatorOf(atom);
  if (op === 'range' || op === 'not-range') {
    const bounds = rangeBounds(atom, op);
    if (bounds === undefined) return false;
    const [low, high] = bounds;
    return op === 'range'
      ? referenceAtom(value, `>= ${low}`) && referenceAtom(value, `<= ${high}`)
      : referenceAtom(value, `< ${low}`) || referenceAtom(value, `> ${high}`);
  }
  return compareWithOperand(value, atom.slice(op.length).trim(), op);
}
function reference(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alt) =>
    trimSpaces(alt)
      .split('&')
      .every((atom) => referenceAtom(value, trimSpaces(atom))),
  );
}

const patterns = [
  'false',
  'true',
  'RuntimeDefault | Localhost',
  'runtime/default | localhost/*',
  'kernel.shm_rmid_forced | net.ipv4.*',
  '*',
  '?*',
  '',
  ' ',
  '|',
  '&',
  '!',
  '!Default',
  '!*:latest',
  '>1',
  '>= 10 & <= 20',
  '<5 | >10',
  '1-5',
  '5000-6000',
  '1!-5',
  '-5--1',
  '128Mi-1Gi',
  '1Gi!-2Gi',
  '>1h',
  '<=30m & >1s',
  '10s-1m',
  '>=0.5',
  '< 1.5e3',
  '0',
  '00',
  'a&b|c',
  ' a | b & c ',
  '1--',
  '!-5',
  '|5-6',
];
const values: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  1,
  3,
  5,
  7,
  10,
  15,
  20,
  5500,
  -3,
  0.5,
  1500,
  '',
  'false',
  'true',
  'RuntimeDefault',
  'Localhost',
  'runtime/default',
  'localhost/x',
  'Default',
  'nginx:latest',
  'net.ipv4.ping_group_range',
  '3',
  '10',
  '512Mi',
  '1Gi',
  '3Gi',
  '2h',
  '45s',
  '10m',
  'a',
  'c',
  'a&b',
  [1],
  { a: 1 },
];

describe('compiled string patterns', () => {
  test('every value against every pattern: the same answer as the grammar read at check time', () => {
    for (const pattern of patterns)
      for (const value of values)
        for (
          let round = 0;
          round < 2;
          round++ // the second check reads the kept parse
        )
          assert.equal(
            matchStringPattern(value, pattern),
            reference(value, pattern),
            `${JSON.stringify(value)} ~ ${JSON.stringify(pattern)} (check ${round + 1})`,
          );
  });

  test('more patterns than the cache holds still answer correctly', () => {
    for (let i = 0; i < 2100; i++) {
      const pattern = `${i}-${i + 2}`;
      assert.equal(matchStringPattern(i + 1, pattern), true, pattern);
      assert.equal(matchStringPattern(i + 3, pattern), false, pattern);
    }
    assert.equal(matchStringPattern(1, '0-2'), true);
  });
});
