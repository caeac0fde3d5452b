import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string) => compileCel(expr, { variables: [], kind: 'vap' }).evaluate({}, { ports: {} });

// cel-go ext encoders (ext/README.md "Encoders"); bytes come back base64-encoded from evaluate().
const cases: [string, unknown][] = [
  ["base64.encode(b'hello')", 'aGVsbG8='],
  ["base64.encode(b'')", ''],
  ["base64.decode('aGVsbG8=') == b'hello'", true],
  // Unpadded input is accepted (Go's RawStdEncoding fallback).
  ["base64.decode('aGVsbG8') == b'hello'", true],
  ["string(base64.decode('aGVsbG8='))", 'hello'],
  ["base64.decode(base64.encode(b'\\x00\\xff')) == b'\\x00\\xff'", true],
  ["size(base64.decode(''))", 0],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));

const errors: [string, RegExp][] = [
  ["base64.decode('a')", /illegal base64 data/],
  ["base64.decode('!!!!')", /illegal base64 data at input byte 0/],
  ["base64.decode('aGVsbG8=x')", /illegal base64 data/],
];
for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
