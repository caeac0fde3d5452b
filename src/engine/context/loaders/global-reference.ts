/**
 * @module `context[].globalReference{name, jmesPath}` (Kyverno `loaders/globalcontext.go`): data
 * of a GlobalContextEntry (`name` or `name.projection`) through the `GlobalContextReader` port.
 */
import { searchJmespath } from '../../jmespath/evaluate.js';
import type { ContextEntry } from '../../kinds/cluster-policy/types.js';
import type { GlobalContextReader } from '../../ports.js';
import type { JsonContext } from '../json-context.js';
import { errorText, substituteIn } from './_substitute.js';
import { ContextLoadError } from './errors.js';

type GlobalReferenceSpec = NonNullable<ContextEntry['globalReference']>;

export function loadGlobalReference(
  name: string,
  spec: GlobalReferenceSpec,
  ctx: JsonContext,
  store: GlobalContextReader | undefined,
): void {
  // Without a global context store Kyverno does not load the entry at all ("disabled loading of
  // GlobalContext context entry"); the offline CLI then takes the variable from values, if any.
  if (store === undefined) return;
  const prefix = `failed to marshal APICall data for context entry ${name}`;
  const refName = String(substituteIn(name, spec.name, ctx, prefix));
  const entryName = refName.split('.')[0] ?? refName;
  const answer = store.get(refName);
  if (!answer) throw new ContextLoadError(name, `${prefix}: failed to fetch entry key=${entryName}`);
  if (!answer.ok) throw new ContextLoadError(name, `${prefix}: ${answer.error}`);
  if (spec.jmesPath === undefined || spec.jmesPath === '') {
    ctx.set(name, answer.data);
    return;
  }
  const path = String(
    substituteIn(
      name,
      spec.jmesPath,
      ctx,
      `${prefix}: failed to substitute variables in context entry ${name} JMESPath ${spec.jmesPath}`,
    ),
  );
  try {
    ctx.set(name, searchJmespath(path, answer.data, ctx.functionContext));
  } catch (error) {
    throw new ContextLoadError(
      name,
      `${prefix}: failed to apply JMESPath ${path} for context entry ${name}: ${errorText(error)}`,
      {
        cause: error,
      },
    );
  }
}
