import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PORT, parsePlaygroundArgs } from './playground-args.js';

test('playground flags: port, open, dir and help', () => {
  assert.deepEqual(parsePlaygroundArgs([]), {
    ok: true,
    args: { port: DEFAULT_PORT, open: false, help: false },
  });
  assert.deepEqual(parsePlaygroundArgs(['--port', '0', '--open', '--dir', 'site']), {
    ok: true,
    args: { port: 0, open: true, help: false, dir: 'site' },
  });
  assert.deepEqual(parsePlaygroundArgs(['-h']), {
    ok: true,
    args: { port: DEFAULT_PORT, open: false, help: true },
  });
});

test('playground usage errors are values', () => {
  assert.deepEqual(parsePlaygroundArgs(['--port', 'http']), {
    ok: false,
    error: '--port must be a number from 0 to 65535, got "http"',
  });
  assert.deepEqual(parsePlaygroundArgs(['--port', '70000']).ok, false);
  assert.deepEqual(parsePlaygroundArgs(['extra']), { ok: false, error: 'unexpected argument "extra"' });
  const unknown = parsePlaygroundArgs(['--opne']);
  assert.ok(!unknown.ok && /unknown flag --opne.*--open/.test(unknown.error));
});
