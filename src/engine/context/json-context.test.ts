// Kyverno pkg/engine/context: JSON document, dotted-path writes, checkpoints.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listFunctions } from '../jmespath/evaluate.js';
import { JsonContext } from './json-context.js';

const hasTimeNow = listFunctions().some((f) => f.name === 'time_now_utc');

describe('JsonContext', () => {
  test('set creates maps along a dotted path', () => {
    const ctx = new JsonContext();
    ctx.set('request.object.metadata.name', 'x');
    assert.deepEqual(ctx.root, { request: { object: { metadata: { name: 'x' } } } });
    assert.equal(ctx.query('request.object.metadata.name'), 'x');
  });

  test('set replaces non-map intermediates and keeps siblings', () => {
    const ctx = new JsonContext({ a: { b: 1, c: 2 }, s: 'str' });
    ctx.set('a.b', { z: true });
    ctx.set('s.t', 1);
    assert.deepEqual(ctx.root, { a: { b: { z: true }, c: 2 }, s: { t: 1 } });
  });

  test('the constructor copies its input', () => {
    const input = { a: { b: 1 } };
    const ctx = new JsonContext(input);
    ctx.set('a.b', 2);
    assert.equal(input.a.b, 1);
  });

  test('checkpoint / restore keeps the checkpoint, reset pops it', () => {
    const ctx = new JsonContext({ v: 0 });
    ctx.checkpoint();
    ctx.set('element', 'first');
    ctx.restore();
    assert.deepEqual(ctx.root, { v: 0 });
    ctx.set('element', 'second');
    ctx.restore();
    assert.deepEqual(ctx.root, { v: 0 });
    ctx.set('v', 9);
    ctx.reset();
    assert.deepEqual(ctx.root, { v: 0 });
    ctx.set('v', 10);
    ctx.restore(); // no checkpoint left: no-op
    assert.deepEqual(ctx.root, { v: 10 });
  });

  test('copies the root unless told to adopt it', () => {
    const data = { a: { b: 1 } };
    const copied = new JsonContext(data);
    const adopted = new JsonContext(data, { adoptRoot: true });
    assert.notEqual(copied.root.a, data.a);
    assert.equal(adopted.root, data);
    adopted.set('a.b', 2); // set copies along its path: the adopted data stays as it was
    assert.equal(adopted.query('a.b'), 2);
    assert.deepEqual(data, { a: { b: 1 } });
  });

  test('query reports a missing key as an error', () => {
    const ctx = new JsonContext({ a: {} });
    assert.throws(() => ctx.query('a.b'), /Unknown key "b" in path/);
  });

  test('the function context clock reaches time functions', {
    skip: !hasTimeNow && 'time_now_utc() not registered yet',
  }, () => {
    const ctx = new JsonContext({}, { functionContext: { now: () => new Date('2024-01-02T03:04:05Z') } });
    assert.equal(ctx.query('time_now_utc()'), '2024-01-02T03:04:05Z');
  });
});
