import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CEL_STEP_LIMIT, CelEvalError, compileCel } from './compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

/** `depth` nested cel.bind doublings of a 16-character string. */
function doublings(depth: number): string {
  let body = `size(s${depth})`;
  for (let i = depth; i >= 1; i--) body = `cel.bind(s${i}, s${i - 1} + s${i - 1}, ${body})`;
  return `cel.bind(s0, "xxxxxxxxxxxxxxxx", ${body})`;
}

/** `depth` nested binds, each replacing every character with four. */
function replaceGrowth(depth: number): string {
  let body = `size(s${depth})`;
  for (let i = depth; i >= 1; i--) body = `cel.bind(s${i}, s${i - 1}.replace("x", "xxxx"), ${body})`;
  return `cel.bind(s0, "xxxxxxxxxxxxxxxx", ${body})`;
}

/** `depth` nested list doublings. */
function listDoublings(depth: number): string {
  let body = `size(l${depth})`;
  for (let i = depth; i >= 1; i--) body = `cel.bind(l${i}, l${i - 1} + l${i - 1}, ${body})`;
  return `cel.bind(l0, [1, 2, 3, 4, 5, 6, 7, 8], ${body})`;
}

// Kubernetes bounds every CEL evaluation by a runtime cost limit; a runaway expression must end
// quickly with an evaluation error, never hang or exhaust memory.
describe('the step budget stops runaway expressions', () => {
  const runaway: [string, string][] = [
    ['nested lists.range comprehensions', 'lists.range(1000000).map(x, lists.range(1000000)).size() > 0'],
    [
      'three nested ranges',
      'lists.range(1000).all(x, lists.range(1000).all(y, lists.range(1000).all(z, true)))',
    ],
    [
      'two-variable comprehension',
      'lists.range(100000).transformList(i, v, lists.range(100000).size()).size() > 0',
    ],
    ['sortBy over nested work', 'lists.range(2000).sortBy(x, lists.range(2000).size()).size() > 0'],
    ['string doubling', doublings(40)],
    ['list doubling', listDoublings(40)],
    ['string replace blow-up', replaceGrowth(25)],
    ['huge format precision', '"%.100000000f".format([1.0])'],
    [
      'join of repeated large strings',
      doublings(0).replace('size(s0)', 'lists.range(100000).map(i, s0 + s0 + s0 + s0).join("").size()'),
    ],
    ['error absorbed by ||', '(lists.range(1000000).map(x, lists.range(1000000)).size() > 0) || true'],
  ];
  for (const [name, expr] of runaway) {
    test(name, () => {
      const started = process.hrtime.bigint();
      const heapBefore = process.memoryUsage().heapUsed;
      assert.throws(
        () => run(expr),
        (e: unknown) =>
          e instanceof CelEvalError &&
          /^limit maxCelCost \(1000000 units\) exceeded: the CEL expression /.test(e.message),
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 5000, `took ${ms} ms`);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 1_500_000_000, 'heap grew by more than 1.5 GB');
    });
  }

  const bounded: [string, unknown][] = [
    ['lists.range(1000).map(x, x * 2).size()', 1000],
    ['lists.range(300).all(x, lists.range(300).all(y, x + y >= 0))', true],
    [doublings(10), 16 * 1024],
    [listDoublings(10), 8 * 1024],
    [replaceGrowth(5), 16 * 1024],
    ['lists.range(10).transformMap(i, v, v * v).size()', 10],
  ];
  for (const [expr, want] of bounded)
    test(`within budget: ${expr.slice(0, 60)}`, () => assert.equal(run(expr), want));

  test('the budget is per evaluation: a program can run again after exhausting it', () => {
    const program = compileCel('lists.range(object.n).map(x, x).size()', { variables: ['object'] });
    assert.throws(() => program.evaluate({ object: { n: 1000000 } }, { ports: {} }), /limit maxCelCost/);
    assert.equal(program.evaluate({ object: { n: 10 } }, { ports: {} }), 10);
  });

  test('the limit is the documented constant', () => assert.equal(CEL_STEP_LIMIT, 1_000_000));
});
