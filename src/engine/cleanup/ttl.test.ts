import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTtl, ttlDeletionTime, ttlLabelWarning, ttlPropagationPolicy } from './ttl.js';

const created = '2023-07-18T12:00:00Z';

describe('TTL label: deletion time', () => {
  // Kyverno pkg/controllers/ttl/utils_test.go (TestParseDeletionTime), then the documented forms.
  const table: [value: string, expected: string | undefined][] = [
    ['2h30m', '2023-07-18T14:30:00.000Z'],
    ['2023-07-19T120000Z', '2023-07-19T12:00:00.000Z'],
    ['2023-07-19', '2023-07-19T00:00:00.000Z'],
    ['invalid-value', undefined],
    // docs: 2m, 4h, 1d, 1w; Go durations with fractions; strfmt's spelled-out units.
    ['2m', '2023-07-18T12:02:00.000Z'],
    ['4h', '2023-07-18T16:00:00.000Z'],
    ['1d', '2023-07-19T12:00:00.000Z'],
    ['1w', '2023-07-25T12:00:00.000Z'],
    ['1.5h', '2023-07-18T13:30:00.000Z'],
    ['90s', '2023-07-18T12:01:30.000Z'],
    ['3days', '2023-07-21T12:00:00.000Z'],
    ['2hours', '2023-07-18T14:00:00.000Z'],
    ['1d12h', '2023-07-20T00:00:00.000Z'],
    ['0', '2023-07-18T12:00:00.000Z'],
    ['2023-10-04T003000Z', '2023-10-04T00:30:00.000Z'],
    ['2023-02-30', undefined],
    ['2023-13-01', undefined],
    ['2023-07-19T250000Z', undefined],
    ['2023-07-19T12:00:00Z', undefined],
    ['5', undefined],
    ['5x', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of table)
    test(`${JSON.stringify(value)} → ${expected ?? 'invalid'}`, () => {
      assert.equal(ttlDeletionTime(value, created)?.toISOString(), expected);
      assert.equal(parseTtl(value).ok, expected !== undefined);
    });

  test('a duration without a creation time has no deletion time', () =>
    assert.equal(ttlDeletionTime('1h', undefined), undefined));
});

describe('TTL label: admission warning and propagation', () => {
  test('a readable value or no label: no warning', () => {
    assert.equal(ttlLabelWarning({ 'cleanup.kyverno.io/ttl': '1m' }), undefined);
    assert.equal(ttlLabelWarning({ other: 'x' }), undefined);
    assert.equal(ttlLabelWarning(undefined), undefined);
  });
  test("an unreadable value: Kyverno's message", () =>
    assert.match(
      ttlLabelWarning({ 'cleanup.kyverno.io/ttl': 'tomorrow' }) ?? '',
      /^cleanup\.kyverno\.io\/ttl label value cannot be parsed as any recognizable format \(/,
    ));
  test('propagation from the annotation; unknown values fall back to the default', () => {
    const a = (v: string) => ({ 'cleanup.kyverno.io/propagation-policy': v });
    assert.deepEqual(
      ['Foreground', 'Background', 'Orphan', 'foreground', ''].map((v) => ttlPropagationPolicy(a(v))),
      ['Foreground', 'Background', 'Orphan', undefined, undefined],
    );
  });
});
