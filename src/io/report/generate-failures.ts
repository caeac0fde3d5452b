/**
 * @module Generate rules that matched but could not build their resource. Kyverno's CLI reports them
 * `pass` (the background controller builds the resource, not the admission check); the reason is
 * turned into a warning at the trigger's file and line so such a rule never passes silently.
 */
import type { PolicyResult } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { locateInResource } from '../files/resource-documents.js';
import type { LoadedResource } from '../files/resources.js';
import { settledSource } from '../yaml/source-map.js';
import { resourceLabel } from './resource-label.js';

/** One warning per generate rule of `results` that kept a `generateError`, placed at the trigger. */
export function generateFailures(results: readonly PolicyResult[], loaded: LoadedResource): IoDiagnostic[] {
  const out: IoDiagnostic[] = [];
  let at: ReturnType<typeof settledSource> | undefined;
  for (const { response: er } of results) {
    for (const rule of er.rules) {
      if (rule.generateError === undefined) continue;
      at ??= settledSource(locateInResource(loaded, undefined));
      const where = {
        severity: 'warning',
        file: at.file,
        document: at.document,
        line: at.line,
        column: at.column,
      } as const;
      const what = `policy ${er.policyKey}, rule ${rule.name}: the resource to generate for ${resourceLabel(loaded.object)} could not be built: ${rule.generateError}`;
      out.push({
        ...ioDiagnostic('generate/not-built', what, where),
        hint: 'the rule is reported as pass, as Kyverno does',
      });
    }
  }
  return out;
}
