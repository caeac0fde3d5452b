// deploy/manifests/install.yaml: the Helm chart (deploy/helm/palisade) rendered with its default
// values into the `palisade` namespace, CRDs and the Namespace included, for `kubectl apply
// --server-side` without Helm. `npm run manifests` rewrites it with the helm that
// scripts/testbed/build.sh builds; test/deploy/chart.test.ts renders it again and fails when the
// committed file differs.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHART = join(ROOT, 'deploy/helm/palisade');
export const INSTALL_YAML = join(ROOT, 'deploy/manifests/install.yaml');
export const RELEASE = 'palisade';
export const NAMESPACE = 'palisade';

/** The helm binary: $PALISADE_HELM, else the testbed cache's (same defaults as build.sh). */
export function helmPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PALISADE_HELM !== undefined && env.PALISADE_HELM !== '') return env.PALISADE_HELM;
  const bin =
    env.PALISADE_TESTBED_BIN ??
    join(env.PALISADE_TESTBED_CACHE ?? join(homedir(), '.cache/palisade-testbed'), 'bin');
  return join(bin, 'helm');
}

/** `helm template` of the chart with extra arguments (`--set k=v`, `--show-only`, ...). */
export function helmTemplate(helm: string, extra: readonly string[] = []): string {
  return execFileSync(helm, ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'], // helm's errors end up in the thrown Error's message
    maxBuffer: 64 * 1024 * 1024,
    // Rendering reads no repositories or plugins: keep helm away from the user's own helm folders.
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(tmpdir(), 'palisade-helm/cache'),
      HELM_CONFIG_HOME: join(tmpdir(), 'palisade-helm/config'),
      HELM_DATA_HOME: join(tmpdir(), 'palisade-helm/data'),
    },
  });
}

const HEADER = `# Palisade's admission webhook, rendered from deploy/helm/palisade with its default values into
# the palisade namespace (\`npm run manifests\`; do not edit). Install with
#   kubectl apply --server-side -f deploy/manifests/install.yaml
# and see docs/install.md (certificates, upgrades, uninstalling, break glass).
`;

/** The text of install.yaml. */
export function renderInstallYaml(helm: string): string {
  return HEADER + helmTemplate(helm, ['--include-crds', '--set', 'namespace.create=true']);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const helm = helmPath();
  if (!existsSync(helm)) {
    console.error(`no helm at ${helm}: run scripts/testbed/build.sh helm (or set PALISADE_HELM)`);
    process.exit(1);
  }
  writeFileSync(INSTALL_YAML, renderInstallYaml(helm));
  console.log(`wrote ${INSTALL_YAML}`);
}
