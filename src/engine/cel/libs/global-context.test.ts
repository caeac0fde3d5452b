import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GlobalContextReader } from '../../ports.js';
import { compileCel } from '../compile.js';

const globalContext: GlobalContextReader = {
  get: (name) =>
    name === 'deployments'
      ? { ok: true, data: [{ name: 'a' }] }
      : name === 'deployments.count'
        ? { ok: true, data: 1 }
        : { ok: false, error: `global context entry not found: ${name}` },
};
const run = (expr: string) =>
  compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: { globalContext } });

test('globalContext.Get reads an entry or one of its projections', () => {
  assert.deepEqual(run('globalContext.Get("deployments")'), [{ name: 'a' }]);
  assert.equal(run('globalContext.Get("deployments", "count")'), 1);
  assert.throws(() => run('globalContext.Get("nope")'), /not found: nope/);
});
