/**
 * @module The playground's state as a ready `kyverno-test.yaml` suite for `palisade test` (and
 * Kyverno's CLI): the policies, resources and optional values/user info as files, and one result
 * row per rule verdict the page shows, so the suite pins today's behaviour.
 */
import type { PlaygroundResult } from './evaluate.js';
import type { PlaygroundState } from './state.js';

export interface SuiteFile {
  readonly name: string;
  readonly text: string;
}

interface Row {
  policy: string;
  rule: string;
  kind: string;
  resources: string[];
  result: string;
}

function yamlString(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(s)
    ? s
    : JSON.stringify(s);
}

/** The suite's files: kyverno-test.yaml first, then the inputs it names. */
export function exportSuite(
  state: PlaygroundState,
  result: PlaygroundResult,
  name = 'playground',
): SuiteFile[] {
  const rows = new Map<string, Row>();
  for (const r of result.rows) {
    const [kind = '', ...rest] = r.resource.split('/');
    const resource = rest.join('/');
    const key = `${r.policy}\u0000${r.rule}\u0000${kind}\u0000${r.status}`;
    const row = rows.get(key);
    if (row === undefined)
      rows.set(key, { policy: r.policy, rule: r.rule, kind, resources: [resource], result: r.status });
    else if (!row.resources.includes(resource)) row.resources.push(resource);
  }
  const lines = [
    'apiVersion: cli.kyverno.io/v1alpha1',
    'kind: Test',
    'metadata:',
    `  name: ${yamlString(name)}`,
  ];
  lines.push('policies:', '- policies.yaml', 'resources:', '- resources.yaml');
  if (state.values.trim() !== '') lines.push('variables: values.yaml');
  if (state.userInfo.trim() !== '') lines.push('userinfo: user-info.yaml');
  if (state.context.trim() !== '') lines.push('context: context.yaml');
  lines.push(rows.size === 0 ? 'results: []' : 'results:');
  for (const row of rows.values()) {
    lines.push(`- policy: ${yamlString(row.policy)}`, `  rule: ${yamlString(row.rule)}`);
    lines.push(`  kind: ${yamlString(row.kind)}`, '  resources:');
    for (const r of row.resources) lines.push(`  - ${yamlString(r)}`);
    if (state.operation !== '') lines.push(`  operation: ${state.operation}`);
    lines.push(`  result: ${row.result}`);
  }
  const files: SuiteFile[] = [
    { name: 'kyverno-test.yaml', text: `${lines.join('\n')}\n` },
    { name: 'policies.yaml', text: state.policies },
    { name: 'resources.yaml', text: state.resources },
  ];
  if (state.values.trim() !== '') files.push({ name: 'values.yaml', text: state.values });
  if (state.userInfo.trim() !== '') files.push({ name: 'user-info.yaml', text: state.userInfo });
  if (state.context.trim() !== '') files.push({ name: 'context.yaml', text: state.context });
  return files.map((f) => ({ ...f, text: f.text.endsWith('\n') ? f.text : `${f.text}\n` }));
}
