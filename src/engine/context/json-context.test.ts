// Kyverno pkg/engine/context: JSON document, dotted-path writes, checkpoints.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listFunctions } from '../jmespath/evaluate.js';
import { LimitExceededError, LimitMeter } from '../limits.js';
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

describe('JsonContext size (maxContextSize)', () => {
  const small = () =>
    new JsonContext(
      { request: { object: { a: 1 } } },
      { meter: new LimitMeter({ limits: { maxContextSize: 1000 } }) },
    );
  const isContextLimit = (e: unknown) => e instanceof LimitExceededError && e.limit === 'maxContextSize';

  test('refuses an addition that would pass the limit, naming what was added', () => {
    const ctx = small();
    ctx.set('a', 'x'.repeat(500));
    assert.throws(() => ctx.set('b', 'y'.repeat(500)), isContextLimit);
    assert.throws(() => small().set('big', 'z'.repeat(2000)), /maxContextSize \(1000 characters\).*big/);
  });

  test('replacing a value frees its size; restoring a checkpoint restores the size', () => {
    const ctx = small();
    for (let i = 0; i < 20; i++) ctx.set('element', 'e'.repeat(400));
    ctx.checkpoint();
    ctx.set('x', 'x'.repeat(400));
    ctx.restore();
    ctx.set('y', 'y'.repeat(400));
  });

  test('a shared structure is measured as it would be copied, before copying it', () => {
    let tree: unknown = 'leaf';
    for (let i = 0; i < 30; i++) tree = [tree, tree];
    assert.throws(() => small().set('tree', tree), isContextLimit);
  });
});

test('the request itself is not counted against maxContextSize: it is the input, bounded when read', () => {
  const ctx = new JsonContext(
    { request: { object: { a: 'x'.repeat(5000) } } },
    { meter: new LimitMeter({ limits: { maxContextSize: 1000 } }), adoptRoot: true },
  );
  ctx.set('request.object', { a: 'y'.repeat(5000) });
  ctx.set('request.operation', 'CREATE');
  assert.throws(() => ctx.set('copy', 'z'.repeat(5000)), /maxContextSize/);
});
