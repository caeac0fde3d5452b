// Writes N generated Pods as one multi-document YAML stream, for benchmarking `palisade apply`.
// usage: node --import tsx bench/generate-pods.ts N [out.yaml]   (stdout when no file is given)
// Deterministic (no randomness): pod i varies by i, so about 1 in 5 violates some pod-security rule.
import { writeFileSync } from 'node:fs';

export function generatePod(i: number): string {
  const privileged = i % 5 === 0;
  const hostNetwork = i % 7 === 0;
  const runAsNonRoot = i % 3 !== 0;
  return `apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: ns-${i % 10}
  labels:
    app: app-${i % 50}
    tier: ${i % 2 === 0 ? 'frontend' : 'backend'}
  annotations:
    bench.palisade.dev/index: "${i}"
spec:
  hostNetwork: ${hostNetwork}
  securityContext:
    runAsNonRoot: ${runAsNonRoot}
    seccompProfile:
      type: RuntimeDefault
  initContainers:
  - name: init
    image: busybox:1.36
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
  containers:
  - name: web
    image: registry.example.com/team/web:1.${i % 20}.0
    ports:
    - containerPort: 8080
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    securityContext:
      privileged: ${privileged}
      allowPrivilegeEscalation: false
      runAsUser: ${1000 + (i % 100)}
      capabilities:
        drop: ["ALL"]
  - name: sidecar
    image: docker.io/library/nginx:1.25
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
  volumes:
  - name: data
    ${i % 11 === 0 ? 'hostPath:\n      path: /var/data' : 'emptyDir: {}'}
`;
}

export function generatePods(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(generatePod(i));
  return docs.join('---\n');
}

// Run as a script, and only as this file: bundled into another bench (whose module URL is then the
// entry's), it must not take that bench's arguments for its own and write a file.
if (import.meta.url === `file://${process.argv[1]}` && /generate\-pods\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const n = Number(process.argv[2] ?? '1000');
  const out = process.argv[3];
  const text = generatePods(n);
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}
