// Issue #13: help that answers: `palisade help <command>`, "did you mean" for commands, flags and
// -o formats, and a mistyped format never becomes a file name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dispatch } from '../../src/cli/dispatch.js';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/exit-codes.js';

const ctx = { stdin: () => '' };

test('palisade help <command> prints that command’s help', async () => {
  const r = await dispatch(['help', 'apply'], ctx);
  assert.equal(r.exitCode, EXIT_OK);
  assert.match(r.stdout, /^Apply policies to resources/);
  assert.match(r.stdout, /--exclude/);
});

const typos: readonly [argv: string[], message: RegExp][] = [
  [['aply'], /unknown command "aply" for "palisade"\. Did you mean "apply"\?/],
  [['tset', 'x'], /Did you mean "test"\?/],
  [['apply', 'p.yaml', '--resorce', 'x'], /unknown flag --resorce\. Did you mean "--resource"\?/],
  [['test', '.', '--detailed-result'], /Did you mean "--detailed-results"\?/],
  [
    ['apply', 'p.yaml', '-r', 'x', '-o', 'sariff'],
    /unknown output format "sariff"\. Did you mean "sarif"\?.*--mutated-output sariff/,
  ],
  [['apply', 'p.yaml', '-r', 'x', '-o', 'jsno'], /Did you mean "json"\?/],
];
for (const [argv, message] of typos)
  test(`palisade ${argv.join(' ')}: a usage error with a suggestion`, async () => {
    const r = await dispatch(argv, ctx);
    assert.equal(r.exitCode, EXIT_USAGE);
    assert.match(r.stderr, message);
  });

test('an unrelated word gets no suggestion', async () => {
  const r = await dispatch(['deploy'], ctx);
  assert.equal(r.exitCode, EXIT_USAGE);
  assert.doesNotMatch(r.stderr, /Did you mean/);
});
