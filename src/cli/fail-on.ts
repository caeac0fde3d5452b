/**
 * @module `--fail-on`: which rule results make `apply` exit with EXIT_FAILURE. A threshold:
 * `warn` ⊃ `fail` ⊃ `error` ⊃ `none` — `warn` fails on warnings, failures and errors; `fail` (the
 * default, Kyverno's behaviour) on failures and errors; `error` only on evaluation errors; `none`
 * never on results (input that cannot be loaded still fails).
 */
export type FailOn = 'fail' | 'warn' | 'error' | 'none';

export const FAIL_ON_VALUES: readonly FailOn[] = ['fail', 'warn', 'error', 'none'];

export function parseFailOn(s: string | undefined): FailOn | undefined {
  if (s === undefined) return 'fail';
  return (FAIL_ON_VALUES as readonly string[]).includes(s) ? (s as FailOn) : undefined;
}

export function failOnExceeded(
  failOn: FailOn,
  counts: { readonly fail: number; readonly warn: number; readonly error: number },
): boolean {
  switch (failOn) {
    case 'warn':
      return counts.warn + counts.fail + counts.error > 0;
    case 'fail':
      return counts.fail + counts.error > 0;
    case 'error':
      return counts.error > 0;
    case 'none':
      return false;
  }
}
