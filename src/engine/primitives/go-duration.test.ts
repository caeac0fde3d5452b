// Go's time.ParseDuration and Duration.String(), which Kyverno's duration comparisons follow.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDuration, parseDuration } from './go-duration.js';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['1h30m', 5400e9],
    ['1.5s', 1.5e9],
    ['500ms', 500e6],
    ['0', 0],
    ['-2m', -120e9],
    ['1h1m1s1ms1us1ns', 3661001001001],
    ['10', undefined],
    ['1x', undefined],
    ['', undefined],
    ['h', undefined],
  ];
  for (const [input, want] of cases)
    test(JSON.stringify(input), () => assert.equal(parseDuration(input), want));
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [5400e9, '1h30m0s'],
    [1.5e9, '1.5s'],
    [250e6, '250ms'],
    [1500, '1.5µs'],
    [-90e9, '-1m30s'],
    [3600e9, '1h0m0s'],
  ];
  for (const [ns, want] of cases) test(want, () => assert.equal(formatDuration(ns), want));
});
