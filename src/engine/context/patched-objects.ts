/**
 * @module The objects a patch produced while Kyverno's CLI is followed (`goIntegers`): Kyverno
 * decodes them from the patched JSON with Go int64 integers (jmespath/go-int.ts), and the CLI hands
 * that decoded object to the next policies, so a context built for one shows its integers so too.
 */
import { toGoInts } from '../jmespath/go-int.js';
import type { KubeObject } from '../model/kube-object.js';

const patched = new WeakSet<object>();
// Per object, its copy with Go integers: contexts never change a value in place (JsonContext.set
// copies along its path), so the policies after a patch share the one made for the first of them.
const views = new WeakMap<object, unknown>();

export function markPatched(object: KubeObject): void {
  patched.add(object);
}

export function isPatched(object: KubeObject): boolean {
  return patched.has(object);
}

/** `value` with its integers as Go integers (jmespath/go-int.ts), made once per object. */
export function goIntView(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return toGoInts(value);
  let view = views.get(value);
  if (view === undefined) {
    view = toGoInts(value);
    views.set(value, view);
  }
  return view;
}
