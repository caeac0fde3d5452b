// N generated workloads (Pods and the controllers that hold Pod templates) as multi-document YAML,
// about 2.8 KB each, for `npm run bench:cli`. Deterministic: workload i varies by i, and about 1 in 5
// violates some pod-security rule.
//   node --import tsx bench/generate-workloads.ts N [out.yaml]   (stdout when no file is given)
import { writeFileSync } from 'node:fs';

function podSpec(i: number, indent: string): string {
  const privileged = i % 5 === 0;
  const spec = `hostNetwork: ${i % 7 === 0}
securityContext:
  runAsNonRoot: ${i % 3 !== 0}
  fsGroup: 2000
  seccompProfile:
    type: RuntimeDefault
serviceAccountName: app-${i % 50}
initContainers:
- name: init
  image: busybox:1.36
  command: ["sh", "-c", "until nslookup db-${i % 10}; do sleep 2; done"]
  securityContext:
    allowPrivilegeEscalation: false
    capabilities:
      drop: ["ALL"]
containers:
- name: web
  image: registry.example.com/team/web:1.${i % 20}.0
  args: ["--port=8080", "--log-level=info", "--shard=${i % 16}"]
  ports:
  - name: http
    containerPort: 8080
    protocol: TCP
  env:
  - name: APP_NAME
    value: app-${i % 50}
  - name: POD_NAMESPACE
    valueFrom:
      fieldRef:
        fieldPath: metadata.namespace
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-${i % 10}
        key: password
  readinessProbe:
    httpGet:
      path: /healthz
      port: http
    initialDelaySeconds: 5
    periodSeconds: 10
  livenessProbe:
    httpGet:
      path: /livez
      port: http
    failureThreshold: 3
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 500m, memory: 256Mi }
  volumeMounts:
  - name: data
    mountPath: /var/lib/app
  - name: config
    mountPath: /etc/app
    readOnly: true
  securityContext:
    privileged: ${privileged}
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    runAsUser: ${1000 + (i % 100)}
    capabilities:
      drop: ["ALL"]
- name: sidecar
  image: docker.io/library/nginx:1.25
  ports:
  - containerPort: 9090
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 100m, memory: 128Mi }
  securityContext:
    allowPrivilegeEscalation: false
    capabilities:
      drop: ["ALL"]
volumes:
- name: data
  ${i % 11 === 0 ? 'hostPath:\n    path: /var/data' : 'emptyDir: {}'}
- name: config
  configMap:
    name: app-${i % 50}-config
`;
  return spec
    .trimEnd()
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

function metadata(i: number, indent: string): string {
  return [
    `name: app-${i}`,
    `namespace: ns-${i % 10}`,
    'labels:',
    `  app: app-${i % 50}`,
    `  tier: ${i % 2 === 0 ? 'frontend' : 'backend'}`,
    '  app.kubernetes.io/managed-by: bench',
    'annotations:',
    `  bench.palisade.dev/index: "${i}"`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

const CONTROLLERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;

/** Workload i: every other one a Pod, the rest cycle through the controllers. */
export function generateWorkload(i: number): string {
  if (i % 2 === 0)
    return `apiVersion: v1\nkind: Pod\nmetadata:\n${metadata(i, '  ')}\nspec:\n${podSpec(i, '  ')}\n`;
  const kind = CONTROLLERS[((i - 1) / 2) % CONTROLLERS.length]!;
  const template = `template:\n  metadata:\n    labels:\n      app: app-${i % 50}\n  spec:\n${podSpec(i, '    ')}`;
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  let spec: string;
  if (kind === 'CronJob')
    spec = `  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n${template
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}`;
  else {
    const selector = kind === 'Job' ? '' : `  selector:\n    matchLabels:\n      app: app-${i % 50}\n`;
    const replicas = kind === 'Deployment' || kind === 'StatefulSet' ? '  replicas: 3\n' : '';
    spec = `${replicas}${selector}${template
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}`;
  }
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n${metadata(i, '  ')}\nspec:\n${spec}\n`;
}

export function generateWorkloads(n: number, from = 0): string {
  const docs: string[] = [];
  for (let i = from; i < from + n; i++) docs.push(generateWorkload(i));
  return docs.join('---\n');
}

// Run as a script, and only as this file: bundled into another bench (whose module URL is then the
// entry's), it must not take that bench's arguments for its own and write a file.
if (import.meta.url === `file://${process.argv[1]}` && /generate\-workloads\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const n = Number(process.argv[2] ?? '1000');
  const out = process.argv[3];
  const text = generateWorkloads(n);
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}
