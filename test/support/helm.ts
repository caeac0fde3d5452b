/** The helm that scripts/testbed/build.sh builds, for the tests of the chart in deploy/helm. */
import { existsSync } from 'node:fs';
import { helmPath } from '../../scripts/manifests.js';

export const helm = helmPath();

/**
 * For `test(name, { skip: helmSkip() }, ...)`: a message when helm is not built, false when the test
 * should run. PALISADE_TESTBED=required (CI, which builds it) never skips, so a missing build fails.
 */
export function helmSkip(): string | false {
  if (existsSync(helm) || process.env.PALISADE_TESTBED === 'required') return false;
  return `no helm at ${helm}: run scripts/testbed/build.sh helm (PALISADE_TESTBED=required makes this a failure)`;
}
