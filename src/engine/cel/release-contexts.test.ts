import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compileCel } from './compile.js';
import { toCel } from './values.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether `make()`'s object is still reachable once the evaluation it was given to is over. */
async function keptAlive(run: (object: object) => void): Promise<boolean> {
  let ref: WeakRef<object> | undefined;
  (() => {
    const object = toCel({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }) as object;
    ref = new WeakRef(object);
    run(object);
  })();
  // WeakRefs are cleared after the current job: let it end, then collect.
  await new Promise((r) => setImmediate(r));
  gc();
  await new Promise((r) => setImmediate(r));
  return ref?.deref() !== undefined;
}

describe('compiled expressions keep nothing of an evaluation', () => {
  test('a comprehension lets go of its activation once evaluated', async () => {
    const program = compileCel("object.spec.containers.all(c, c.name != '')", { variables: ['object'] });
    const kept = await keptAlive((object) =>
      assert.equal(
        program.evaluate({ celActivation: true, values: { object } } as never, { ports: {} }),
        true,
      ),
    );
    assert.equal(kept, false);
  });

  test('cel.bind lets go of its activation once evaluated', async () => {
    const program = compileCel('cel.bind(cs, object.spec.containers, size(cs) == 2)', {
      variables: ['object'],
    });
    const kept = await keptAlive((object) =>
      assert.equal(
        program.evaluate({ celActivation: true, values: { object } } as never, { ports: {} }),
        true,
      ),
    );
    assert.equal(kept, false);
  });

  test('the same program evaluates later activations correctly after letting go', () => {
    const program = compileCel('object.items.exists(i, i > 2)', { variables: ['object'] });
    assert.equal(program.evaluate({ object: { items: [1, 2, 3] } }, { ports: {} }), true);
    assert.equal(program.evaluate({ object: { items: [1, 2] } }, { ports: {} }), false);
  });
});
