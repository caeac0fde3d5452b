// kubernetes.io "Resource units" and apimachinery's quantity canonicalisation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareQuantity, formatQuantity, parseQuantity } from './quantity.js';

describe('parseQuantity / formatQuantity round trip', () => {
  const cases: [string, string][] = [
    ['100Mi', '100Mi'],
    ['1Gi', '1Gi'],
    ['0.5', '500m'],
    ['250m', '250m'],
    ['1e3', '1e3'],
    ['2000', '2k'],
    ['1.5', '1500m'],
    ['1025Ki', '1025Ki'],
    ['-1Gi', '-1Gi'],
    ['100', '100'],
    ['0', '0'],
  ];
  for (const [input, want] of cases)
    test(`${input} → ${want}`, () => assert.equal(formatQuantity(parseQuantity(input)!), want));
});

describe('parseQuantity rejects non-quantities', () => {
  for (const s of ['abc', '1.2.3', '10Qi', '', 'Mi', '1 Gi'])
    test(JSON.stringify(s), () => assert.equal(parseQuantity(s), undefined));
});

describe('compareQuantity', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
    ['500m', '0.5', 0],
    ['2', '1500m', 1],
    ['100Mi', '128Mi', -1],
  ];
  for (const [a, b, want] of cases) {
    test(`${a} vs ${b}`, () => assert.equal(compareQuantity(parseQuantity(a)!, parseQuantity(b)!), want));
  }
});

test('sum keeps the binary format', () => {
  const a = parseQuantity('100Mi')!;
  const b = parseQuantity('128Mi')!;
  assert.equal(formatQuantity({ nanos: a.nanos + b.nanos, format: a.format }), '228Mi');
});
