// The ratchet logic of scripts/conformance-chainsaw.mjs (the library's chainsaw suites against
// `palisade serve`): list parsing, reading chainsaw's reports and logs, sharding, and the ruling.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  deal,
  failureOf,
  lastOperation,
  listedNotes,
  listedSuites,
  rule,
  slowestOperation,
} from '../../scripts/chainsaw/ruling.mjs';

const LIST = [
  '# header line',
  '',
  'argo/application-field-validation\t# needs CRDs: the Argo CD CRDs',
  'other/block-ephemeral-containers\t# other: kubectl debug',
  'plain/suite',
].join('\n');

const op = (type: string, start: number, end: number, error?: string) => ({
  type,
  startTime: new Date(Date.UTC(2026, 0, 1, 0, 0, start)).toISOString(),
  endTime: new Date(Date.UTC(2026, 0, 1, 0, 0, end)).toISOString(),
  ...(error === undefined ? {} : { failure: { error } }),
});

describe('the chainsaw ratchet list', () => {
  test('names the first field of each line, skipping comments and blank lines', () => {
    assert.deepEqual(
      [...listedSuites(LIST)],
      ['argo/application-field-validation', 'other/block-ephemeral-containers', 'plain/suite'],
    );
  });
  test('keeps the note after the tab of each suite, for --update to carry over', () => {
    const notes = listedNotes(LIST);
    assert.equal(notes.get('argo/application-field-validation'), '# needs CRDs: the Argo CD CRDs');
    assert.equal(notes.get('plain/suite'), '');
    assert.equal(notes.has('# header line'), false);
  });
});

describe('a suite run', () => {
  test('passes when every operation passed and chainsaw exited 0', () => {
    const report = { tests: [{ steps: [{ name: 'step-01', operations: [op('apply', 0, 1)] }] }] };
    assert.equal(failureOf(report, { status: 0 }, 120), '');
  });
  test('fails with the first failed operation, on one line', () => {
    const report = {
      tests: [
        {
          steps: [
            { name: 'step-01', operations: [op('apply', 0, 1)] },
            {
              name: 'step-02',
              operations: [op('assert', 1, 16, 'actual resource\n  not found'), op('error', 0, 1, 'x')],
            },
          ],
        },
      ],
    };
    assert.equal(failureOf(report, { status: 1 }, 120), 'step-02/assert: actual resource not found');
  });
  test('fails without a report, without tests, or on a non-zero exit with no failed operation', () => {
    assert.equal(
      failureOf(undefined, { status: null, signal: 'SIGKILL' }, 120),
      'chainsaw exited SIGKILL without a report',
    );
    assert.equal(failureOf({ tests: [] }, { status: 0 }, 120), 'no test ran');
    assert.equal(failureOf({ tests: [{ steps: [] }] }, { status: 3 }, 120), 'chainsaw exited 3');
  });
  test('that timed out names the operation its log last started, with a script its command', () => {
    const log = [
      '    l.go:52: | 13:20:43 | block-ephemeral-containers | step-02   | APPLY                   | RUN                 | v1/Pod @ ns/pod01',
      '    l.go:52: | 13:20:43 | block-ephemeral-containers | step-02   | APPLY                   | DONE                | v1/Pod @ ns/pod01',
      '    l.go:52: | 13:20:43 | block-ephemeral-containers | step-03   | CMD                     | RUN                 |',
      '        === COMMAND',
      '        /usr/bin/sh -c if kubectl debug -it pod01; then exit 1; else exit 0; fi;',
    ].join('\n');
    assert.equal(
      failureOf(undefined, { timedOut: true }, 120, log),
      'timed out after 120 s (killed) in step-03/CMD: /usr/bin/sh -c if kubectl debug -it pod01; then exit 1; else exit 0; fi;',
    );
    assert.equal(lastOperation(log.split('\n').slice(0, 2).join('\n')), 'step-02/APPLY');
    assert.equal(
      failureOf(undefined, { timedOut: true }, 90, 'no table here'),
      'timed out after 90 s (killed)',
    );
  });
  test('reports its slowest operation', () => {
    const report = {
      tests: [{ steps: [{ name: 'step-01', operations: [op('apply', 0, 1), op('assert', 1, 4)] }] }],
    };
    assert.deepEqual(slowestOperation(report), { what: 'step-01/assert', seconds: 3 });
    assert.equal(slowestOperation(undefined), undefined);
  });
});

describe('sharding and the ruling', () => {
  test('deals sorted suites round-robin, never more shards than suites', () => {
    assert.deepEqual(deal(['c', 'a', 'b', 'd', 'e'], 2), [
      ['a', 'c', 'e'],
      ['b', 'd'],
    ]);
    assert.deepEqual(deal(['a'], 3), [['a']]);
    assert.deepEqual(deal([], 2), [[]]);
  });
  test('fails on an unlisted suite that failed and on a listed suite that passed', () => {
    const known = new Set(['listed/fails', 'listed/passes']);
    const rows = [
      { suite: 'listed/fails', status: 'FAIL' },
      { suite: 'listed/passes', status: 'PASS' },
      { suite: 'new/fails', status: 'FAIL' },
      { suite: 'new/passes', status: 'PASS' },
    ];
    const ruling = rule(rows, known);
    assert.deepEqual(
      ruling.regressions.map((r) => r.suite),
      ['new/fails'],
    );
    assert.deepEqual(
      ruling.fixed.map((r) => r.suite),
      ['listed/passes'],
    );
    assert.equal(ruling.ok, false);
    assert.equal(rule([{ suite: 'listed/fails', status: 'FAIL' }], known).ok, true);
  });
});
