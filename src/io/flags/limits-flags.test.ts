import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ioDiagnostic } from '../codes.js';
import {
  applyEmptyInputRule,
  LIMIT_OPTIONS,
  limitFlagsHelp,
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

  test('input/empty warnings become errors unless --allow-empty', () => {
    const issues = [ioDiagnostic('input/empty', 'none', { severity: 'warning' })];
    applyEmptyInputRule(issues, { 'allow-empty': true });
    assert.equal(issues[0]?.severity, 'warning');
    applyEmptyInputRule(issues, {});
    assert.equal(issues[0]?.severity, 'error');
  });
});
