/**
 * @module `/policyvalidate` (Kyverno's policy-validation webhook): the API server sends every create
 * and update of a policy kind; the policy is checked with what the CLI loads it with, and denied
 * with its diagnostics (`field.path: message`, one per line) if it would not load, else allowed
 * with its warnings. It needs no policy set, so it answers before the set is loaded.
 */
import type { HttpHandler } from '../http.js';
import type { Logger } from '../log.js';
import { createSetlessReviewHandler } from './setless-review.js';

export const POLICY_VALIDATE_PATH = '/policyvalidate';

/** A checked policy: its problems as `field.path: message` lines. */
export interface PolicyVerdict {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export interface PolicyValidationConfig {
  readonly check: (object: unknown) => Promise<PolicyVerdict>;
  readonly maxDepth: number;
  readonly logger: Logger;
}

export const isPolicyValidatePath = (path: string): boolean =>
  // Every call is routed through this test: the prefix rules out the others without a split and a RegExp.
  path.startsWith(POLICY_VALIDATE_PATH) &&
  (path.split('?')[0] ?? '').replace(/\/+$/, '') === POLICY_VALIDATE_PATH;

function nameOf(object: unknown): string {
  const o = (object ?? {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const ns = typeof o.metadata?.namespace === 'string' ? `${o.metadata.namespace}/` : '';
  return `${String(o.kind ?? 'policy')} ${ns}${String(o.metadata?.name ?? '')}`;
}

export function createPolicyValidationHandler(config: PolicyValidationConfig): HttpHandler {
  return createSetlessReviewHandler(config.maxDepth, async (request) => {
    if (request.operation === 'DELETE' || request.object === null) return { uid: request.uid, allowed: true };
    const verdict = await config.check(request.object);
    const what = nameOf(request.object);
    config.logger.info('policy validated', {
      uid: request.uid,
      policy: what,
      operation: request.operation,
      allowed: verdict.errors.length === 0,
      ...(verdict.errors.length > 0 ? { errors: verdict.errors } : {}),
    });
    if (verdict.errors.length > 0) {
      const message = `${what} is invalid:\n${verdict.errors.join('\n')}`;
      return {
        uid: request.uid,
        allowed: false,
        status: { status: 'Failure', message },
        warnings: verdict.warnings,
      };
    }
    return { uid: request.uid, allowed: true, warnings: verdict.warnings };
  });
}
