/**
 * @module The objects a patch produced while Kyverno's CLI is followed (`goIntegers`): Kyverno
 * decodes them from the patched JSON with Go int64 integers (jmespath/go-int.ts), and the CLI hands
 * that decoded object to the next policies, so a context built for one shows its integers so too.
 */
import type { KubeObject } from '../model/kube-object.js';

const patched = new WeakSet<object>();

export function markPatched(object: KubeObject): void {
  patched.add(object);
}

export function isPatched(object: KubeObject): boolean {
  return patched.has(object);
}
