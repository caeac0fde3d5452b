import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiCaller, ApiCallRequest } from '../../ports.js';
import { compileCel } from '../compile.js';

const seen: ApiCallRequest[] = [];
const apiCaller: ApiCaller = {
  call(req) {
    seen.push(req);
    if (req.url === 'https://svc/missing') return undefined;
    if (req.url === 'https://svc/fail') return { ok: false, error: 'HTTP 500' };
    return { ok: true, body: { method: req.method, echo: req.body ?? null } };
  },
};
const run = (expr: string) =>
  compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: { apiCaller } });

test('http.Get and http.Post go through the ApiCaller port', () => {
  assert.deepEqual(run('http.Get("https://svc/a")'), { method: 'GET', echo: null });
  assert.deepEqual(run('http.Post("https://svc/a", {"x": 1}, {"Authorization": "t"})'), {
    method: 'POST',
    echo: { x: 1 },
  });
  assert.deepEqual(seen.at(-1)?.headers, { Authorization: 't' });
  assert.deepEqual(run('http.Client("ca").Get("https://svc/b").method'), 'GET');
  assert.equal(seen.at(-1)?.caBundle, 'ca', 'the client trusts its caBundle');
  run('http.Get("https://svc/c")');
  assert.equal(seen.at(-1)?.caBundle, undefined);
});
test('failures are evaluation errors', () => {
  assert.throws(() => run('http.Get("https://svc/missing")'), /no response/);
  assert.throws(() => run('http.Get("https://svc/fail")'), /HTTP 500/);
});
test('http is not part of the VAP environment', () => {
  assert.throws(() => compileCel('http.Get("x")', { variables: [], kind: 'vap' }), /Unknown variable: http/);
});
