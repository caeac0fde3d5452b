import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kyvernoFunctions } from './index.js';

/** The 51 functions Kyverno registers (reference §7.2). */
const KYVERNO_NAMES = [
  'compare',
  'equal_fold',
  'replace',
  'replace_all',
  'to_upper',
  'to_lower',
  'trim',
  'trim_prefix',
  'split',
  'regex_replace_all',
  'regex_replace_all_literal',
  'regex_match',
  'pattern_match',
  'label_match',
  'to_boolean',
  'add',
  'subtract',
  'multiply',
  'divide',
  'modulo',
  'sum',
  'round',
  'base64_decode',
  'base64_encode',
  'path_canonicalize',
  'truncate',
  'semver_compare',
  'parse_json',
  'parse_yaml',
  'lookup',
  'items',
  'object_from_lists',
  'random',
  'x509_decode',
  'image_normalize',
  'is_external_url',
  'sha256',
  'sha1',
  'md5',
  'time_now',
  'time_now_utc',
  'time_since',
  'time_add',
  'time_parse',
  'time_to_cron',
  'time_utc',
  'time_diff',
  'time_before',
  'time_after',
  'time_between',
  'time_truncate',
];

test('kyvernoFunctions holds exactly the 51 Kyverno functions, once each', () => {
  const names = kyvernoFunctions.map((e) => e.name);
  assert.equal(KYVERNO_NAMES.length, 51);
  assert.equal(new Set(names).size, names.length, 'names are unique');
  assert.deepEqual([...names].sort(), [...KYVERNO_NAMES].sort());
});

test('every entry declares its arguments, return type and note', () => {
  for (const e of kyvernoFunctions) {
    assert.ok(e.note.length > 0, e.name);
    assert.ok(e.returns.length > 0, e.name);
    for (const a of e.args) assert.ok(a.types.length > 0, e.name);
  }
  const arity = Object.fromEntries(kyvernoFunctions.map((e) => [e.name, e.args.length]));
  assert.equal(arity.time_now, 0);
  assert.equal(arity.replace, 4);
  assert.equal(arity.time_between, 3);
});
