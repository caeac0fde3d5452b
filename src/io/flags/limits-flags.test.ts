import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_EVALUATION_LIMITS } from '../../engine/index.js';
import { ioDiagnostic } from '../codes.js';
import {
  applyEmptyInputRule,
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseCountValue,
  parseLimitFlags,
  parseLimitValue,
} from './limits-flags.js';

describe('limit flags', () => {
  test('sizes take decimal and binary suffixes, durations ms/s/m (a bare number is seconds)', () => {
    assert.equal(parseLimitValue('size', '4Mi'), 4 * 1024 * 1024);
    assert.equal(parseLimitValue('size', '500K'), 500_000);
    assert.equal(parseLimitValue('size', '1000'), 1000);
    assert.equal(parseLimitValue('duration', '1500ms'), 1500);
    assert.equal(parseLimitValue('duration', '2m'), 120_000);
    assert.equal(parseLimitValue('duration', '3'), 3000);
    assert.equal(parseLimitValue('count', '10'), 10);
    for (const bad of ['', '0', '-1', '4Xi', 'lots', '1.5.2'])
      assert.equal(parseLimitValue('size', bad), undefined, bad);
    assert.equal(parseLimitValue('count', '10k'), undefined);
  });

  test('a count where 0 means something: digits only, 0 accepted', () => {
    const table: [string, number | undefined][] = [
      ['0', 0],
      ['7', 7],
      [' 12 ', 12],
      ['-1', undefined],
      ['1.5', undefined],
      ['10k', undefined],
      ['', undefined],
      ['99999999999999999999', undefined],
    ];
    for (const [text, want] of table) assert.equal(parseCountValue(text), want, text);
  });

  test('only the flags given become limits; a bad one is a usage error naming it', () => {
    assert.deepEqual(parseLimitFlags({ 'max-message-size': '1Mi', timeout: '30s' }), {
      ok: true,
      limits: { maxMessageSize: 1024 * 1024, requestTimeoutMs: 30_000 },
    });
    const bad = parseLimitFlags({ 'rule-timeout': 'soon' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /--rule-timeout expects a duration/);
  });

  test('every declared flag is in the help', () => {
    const help = limitFlagsHelp(31);
    for (const flag of Object.keys(LIMIT_OPTIONS)) assert.match(help, new RegExp(`--${flag}\\b`));
  });

  test('docs/limits.md has a row for every limit: its flag, its default and the reference value', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/limits.md'), 'utf8');
    const flagOf = new Map<string, string>();
    for (const flag of Object.keys(LIMIT_OPTIONS)) {
      const parsed = parseLimitFlags({ [flag]: '7' });
      const limit = parsed.ok ? Object.keys(parsed.limits)[0] : undefined;
      if (limit !== undefined) flagOf.set(limit, flag);
    }
    for (const limit of Object.keys(DEFAULT_EVALUATION_LIMITS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${limit}\` |`));
      assert.ok(row !== undefined, `a row for ${limit}`);
      const cells = row.split(' | ');
      assert.equal(cells.length, 6, `${limit}: limit, scope, flag, default, Kyverno, what`);
      const flag = flagOf.get(limit);
      assert.equal(cells[2], flag === undefined ? '—' : `\`--${flag}\``, `${limit}'s flag`);
      const shown = /^([\d,]+)(?: (MiB|KiB|Mi characters|s))?$/.exec(cells[3] ?? '');
      const unit = { MiB: 1024 * 1024, KiB: 1024, 'Mi characters': 1024 * 1024, s: 1000 } as const;
      const value =
        Number(shown?.[1]?.replaceAll(',', '')) * (shown?.[2] ? unit[shown[2] as keyof typeof unit] : 1);
      assert.equal(
        value,
        DEFAULT_EVALUATION_LIMITS[limit as keyof typeof DEFAULT_EVALUATION_LIMITS],
        `${limit}'s default`,
      );
      assert.notEqual(cells[4]?.trim(), '', `${limit}'s reference value`);
    }
  });

  test('input/empty warnings become errors unless --allow-empty', () => {
    const issues = [ioDiagnostic('input/empty', 'none', { severity: 'warning' })];
    applyEmptyInputRule(issues, { 'allow-empty': true });
    assert.equal(issues[0]?.severity, 'warning');
    applyEmptyInputRule(issues, {});
    assert.equal(issues[0]?.severity, 'error');
  });
});
