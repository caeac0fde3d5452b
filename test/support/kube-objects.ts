/**
 * @module Small Kubernetes objects and calls for end-to-end admission tests: a Pod (no kubelet runs
 * it; the API server stores it), a ConfigMap, a namespace ready for Pods (its `default`
 * ServiceAccount exists), and reading an object back.
 */
import { type CommandResult, eventually, type Testbed } from './testbed.js';

export function pod(namespace: string, name: string, labels: Record<string, string> = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
  };
}

export function configMap(namespace: string, name: string, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { a: '1' } };
}

/** Creates a namespace and waits for its default ServiceAccount (Pods are refused without it). */
export async function readyNamespace(tb: Testbed, name: string): Promise<void> {
  const r = await tb.kubectl(['create', 'namespace', name]);
  if (r.code !== 0) throw new Error(`create namespace ${name}: ${r.stderr}`);
  await eventually(`ServiceAccount ${name}/default`, 60_000, async () => {
    const sa = await tb.api('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
    return sa.status === 200 ? true : undefined;
  });
}

/** `kubectl create -f -` of one object (extra flags such as `--dry-run=server`, `-o json`). */
export function kubectlCreate(
  tb: Testbed,
  object: object,
  flags: readonly string[] = [],
): Promise<CommandResult> {
  return tb.kubectl(['create', ...flags, '-f', '-'], JSON.stringify(object));
}

const PLURAL: Record<string, string> = {
  Pod: 'pods',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  PodTemplate: 'podtemplates',
};

/** GET of a core object: the object, or undefined on 404. */
export async function getObject(
  tb: Testbed,
  kind: string,
  namespace: string,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  const r = await tb.api('GET', `/api/v1/namespaces/${namespace}/${PLURAL[kind]}/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200)
    throw new Error(`GET ${kind} ${namespace}/${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown>;
}

export function labelsOf(object: Record<string, unknown> | undefined): Record<string, string> {
  return ((object?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<
    string,
    string
  >;
}

/** Names of the core objects of a kind in a namespace. */
export async function listNames(tb: Testbed, kind: string, namespace: string): Promise<string[]> {
  const r = await tb.api('GET', `/api/v1/namespaces/${namespace}/${PLURAL[kind]}`);
  if (r.status !== 200) throw new Error(`LIST ${kind} ${namespace}: ${r.status}`);
  return ((r.body as { items: { metadata: { name: string } }[] }).items ?? []).map((i) => i.metadata.name);
}

/** Kubernetes' prefix for a webhook denial, as the API server words it. */
export const denied = (webhook: string): string => `admission webhook "${webhook}" denied the request: `;
