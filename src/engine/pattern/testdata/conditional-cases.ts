/**
 * Kyverno `pkg/engine/validate/validate_test.go` TestConditionalAnchorWithMultiplePatterns and
 * Test_global_anchor, as data. `kyverno` is the status the Go table names; Kyverno's harness only
 * asserts pass and skip, and several "fail" rows are in fact skips (`want` is the real outcome,
 * derived from the Go engine's logic: a global anchor that mismatches in every element skips).
 */
export interface StatusCase {
  readonly name: string;
  readonly pattern: string;
  readonly resource: string;
  readonly want: 'pass' | 'fail' | 'skip';
}

const IMAGE_LATEST =
  '{"spec": {"containers": [{"name": "*","(image)": "*:latest | !*:*","imagePullPolicy": "!Always"}]}}';
const c = (image: string, policy: string) =>
  `{"name": "c","image": "${image}", "imagePullPolicy": "${policy}"}`;
const pod = (...containers: string[]) => `{"spec": {"containers": [${containers.join(',')}]}}`;

export const CONDITIONAL_CASES: readonly StatusCase[] = [
  { name: 'test-1', pattern: IMAGE_LATEST, resource: pod(c('nginx:1.2.3', 'Always')), want: 'skip' },
  { name: 'test-2', pattern: IMAGE_LATEST, resource: pod(c('nginx:latest', 'Always')), want: 'fail' },
  { name: 'test-3', pattern: IMAGE_LATEST, resource: pod(c('nginx', 'Always')), want: 'fail' },
  { name: 'test-4', pattern: IMAGE_LATEST, resource: pod(c('nginx', 'Never')), want: 'pass' },
  { name: 'test-5', pattern: IMAGE_LATEST, resource: pod(c('nginx:latest', 'Never')), want: 'pass' },
  { name: 'test-6', pattern: IMAGE_LATEST, resource: pod(c('nginx:1.2.3', 'Never')), want: 'skip' },
  {
    name: 'test-7',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx', 'Always'), c('busybox:1.28', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-8',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx:latest', 'Always'), c('busybox:1.28', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-9',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx:1.2.3', 'Always'), c('busybox:1.28', 'Always')),
    want: 'skip',
  },
  {
    name: 'test-10',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx', 'Never'), c('busybox:1.28', 'Always')),
    want: 'pass',
  },
  {
    name: 'test-11',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx:latest', 'Never'), c('busybox:1.28', 'Always')),
    want: 'pass',
  },
  {
    name: 'test-12',
    pattern: IMAGE_LATEST,
    resource: pod(c('nginx:1.2.3', 'Never'), c('busybox:1.28', 'Always')),
    want: 'skip',
  },
  {
    name: 'test-13',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-14',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx:latest', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-15',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx:1.2.3', 'Always')),
    want: 'skip',
  },
  {
    name: 'test-16',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx', 'Never')),
    want: 'pass',
  },
  {
    name: 'test-17',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx:latest', 'Never')),
    want: 'pass',
  },
  {
    name: 'test-18',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.28', 'Always'), c('nginx:1.2.3', 'Never')),
    want: 'skip',
  },
  {
    name: 'test-19',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox', 'Always'), c('nginx', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-20',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:latest', 'Always'), c('nginx:latest', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-21',
    pattern: IMAGE_LATEST,
    resource: pod(c('busybox:1.2.3', 'Always'), c('nginx:latest', 'IfNotPresent')),
    want: 'pass',
  },
  {
    name: 'test-22 (alternatives in the other order)',
    pattern:
      '{"spec": {"containers": [{"name": "*","(image)": "!*:* | *:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:latest', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-23 (global mismatch in the only container skips; Go table says fail, unasserted)',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx', 'Always')),
    want: 'skip',
  },
  {
    name: 'test-24',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:latest', 'Always')),
    want: 'fail',
  },
  {
    name: 'test-25 (global mismatch inside env skips the container)',
    pattern:
      '{"spec": {"containers": [{"name": "*","<(image)": "nginx", "env": [{"<(name)": "foo", "<(value)": "bar" }],"imagePullPolicy": "!Always"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx", "env": [{"name": "foo1", "value": "bar" }],"imagePullPolicy": "Always"}]}}',
    want: 'skip',
  },
  {
    name: 'test-26',
    pattern:
      '{"spec": {"containers": [{"name": "*","<(image)": "nginx", "env": [{"<(name)": "foo", "<(value)": "bar" }],"imagePullPolicy": "!Always"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx", "env": [{"name": "foo", "value": "bar" }],"imagePullPolicy": "Always"}]}}',
    want: 'fail',
  },
  {
    name: 'test-28',
    pattern:
      '{"spec": {"containers": [{"name": "*", "env": [{"<(name)": "foo", "<(value)": "bar" }],"imagePullPolicy": "!Always"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx", "env": [{"name": "foo", "value": "bar" }],"imagePullPolicy": "IfNotpresent"}]}}',
    want: 'pass',
  },
  {
    name: 'test-29',
    pattern:
      '{"spec": {"containers": [{"name": "*", "env": [{"<(name)": "foo", "<(value)": "bar" }],"imagePullPolicy": "!Always"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx", "env": [{"name": "foo", "value": "bar" }],"imagePullPolicy": "Always"}]}}',
    want: 'fail',
  },
  {
    name: 'test-30 (global anchor at the root mismatches: rule skipped)',
    pattern: '{"metadata": {"<(name)": "nginx"},"spec": {"imagePullSecrets": [{"name": "regcred"}]}}',
    resource:
      '{"metadata": {"name": "somename"},"spec": {"containers": [{"name": "nginx","image": "nginx:latest"}], "imagePullSecrets": [{"name": "cred"}]}}',
    want: 'skip',
  },
  {
    name: 'test-31',
    pattern: '{"metadata": {"<(name)": "nginx"},"spec": {"imagePullSecrets": [{"name": "regcred"}]}}',
    resource:
      '{"metadata": {"name": "nginx"},"spec": {"containers": [{"name": "nginx","image": "nginx:latest"}], "imagePullSecrets": [{"name": "cred"}]}}',
    want: 'fail',
  },
  {
    name: 'test-32',
    pattern:
      '{"metadata": {"labels": {"<(foo)": "bar"}},"spec": {"containers": [{"name": "nginx","image": "!*:latest"}]}}',
    resource:
      '{"metadata": {"name": "nginx","labels": {"foo": "bar"}},"spec": {"containers": [{"name": "nginx","image": "nginx"}]}}',
    want: 'pass',
  },
  {
    name: 'test-33',
    pattern:
      '{"metadata": {"labels": {"<(foo)": "bar"}},"spec": {"containers": [{"name": "nginx","image": "!*:latest"}]}}',
    resource:
      '{"metadata": {"name": "nginx","labels": {"foo": "bar"}},"spec": {"containers": [{"name": "nginx","image": "nginx:latest"}]}}',
    want: 'fail',
  },
  {
    name: 'test-34 (docs: image from repo requires the pull secret)',
    pattern:
      '{"spec": {"containers": [{"name": "*","<(image)": "nginx"}],"imagePullSecrets": [{"name": "my-registry-secret"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx"}], "imagePullSecrets": [{"name": "cred"}]}}',
    want: 'fail',
  },
  {
    name: 'test-35 (no container from the repo: skipped)',
    pattern:
      '{"spec": {"containers": [{"name": "*","<(image)": "nginx"}],"imagePullSecrets": [{"name": "my-registry-secret"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "somepod"}], "imagePullSecrets": [{"name": "cred"}]}}',
    want: 'skip',
  },
  {
    name: 'test-36',
    pattern:
      '{"spec": {"containers": [{"name": "*","<(image)": "nginx"}],"imagePullSecrets": [{"name": "my-registry-secret"}]}}',
    resource:
      '{"spec": {"containers": [{"name": "nginx","image": "nginx"}], "imagePullSecrets": [{"name": "my-registry-secret"}]}}',
    want: 'pass',
  },
  ...dockerSockCases(),
  ...volumeCases(),
  {
    name: 'check_global_anchor_skip',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:v1', 'Always')),
    want: 'skip',
  },
  {
    name: 'check_global_anchor_fail',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:latest', 'Always')),
    want: 'fail',
  },
  {
    name: 'check_global_anchor_pass',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:latest', 'IfNotPresent')),
    want: 'pass',
  },
  {
    name: 'check_global_anchor_mixed (one container applies, the other is ignored)',
    pattern: '{"spec": {"containers": [{"name": "*","<(image)": "*:latest","imagePullPolicy": "!Always"}]}}',
    resource: pod(c('nginx:latest', 'IfNotPresent'), c('nginx:v2', 'IfNotPresent')),
    want: 'pass',
  },
];

function dockerSockCases(): StatusCase[] {
  const pattern =
    '{"metadata": {"labels": {"allow-docker": "true"}},"(spec)": {"(volumes)": [{"(hostPath)": {"path": "/var/run/docker.sock"}}]}}';
  const res = (labels: string, volumes: string) =>
    `{"metadata": {"labels": {${labels}},"name": "nginx"},"spec": {"containers": [{"image": "nginx","name": "nginx"}]${volumes}}}`;
  const sock = ',"volumes": [{"hostPath": {"path": "/var/run/docker.sock"}}]';
  return [
    { name: 'test-37 (no volumes)', pattern, resource: res('"run": "nginx"', ''), want: 'skip' },
    { name: 'test-38', pattern, resource: res('"run": "nginx"', sock), want: 'fail' },
    {
      name: 'test-39 (other hostPath)',
      pattern,
      resource: res('"run": "nginx"', ',"volumes": [{"hostPath": {"path": "/randome/value"}}]'),
      want: 'skip',
    },
    { name: 'test-40', pattern, resource: res('"run": "nginx","allow-docker": "true"', sock), want: 'pass' },
    { name: 'test-41', pattern, resource: res('"run": "nginx","allow-docker": "false"', sock), want: 'fail' },
  ];
}

function volumeCases(): StatusCase[] {
  const cacheVolume =
    '{"spec": {"=(volumes)": [{"(name)": "!cache-volume","=(emptyDir)": {"sizeLimit": "?*"}}]}}';
  const runAsUser =
    '{"spec": {"=(initContainers)": [{"(name)": "!istio-init", "=(securityContext)": {"=(runAsUser)": ">0"}}], "=(containers)": [{"=(securityContext)": {"=(runAsUser)": ">0"}}]}}';
  const sockets =
    '{"spec": {"=(volumes)": [{"(name)": "!credential-socket&!istio-data&!istio-envoy&!workload-certs&!workload-socket","=(emptyDir)": {"sizeLimit": "?*"}}]}}';
  return [
    {
      name: 'test-43',
      pattern: cacheVolume,
      resource: '{"spec": {"volumes": [{"name": "cache-volume","emptyDir": {}}]}}',
      want: 'skip',
    },
    {
      name: 'test-44',
      pattern: runAsUser,
      resource:
        '{"spec": {"initContainers": [{"name": "nginx", "securityContext": {"runAsUser": 1000}}], "containers": [{"name": "nginx", "image": "nginx"}]}}',
      want: 'pass',
    },
    {
      name: 'test-45',
      pattern: runAsUser,
      resource:
        '{"spec": {"initContainers": [{"name": "nginx", "securityContext": {"runAsUser": 0}}], "containers": [{"name": "nginx", "image": "nginx"}]}}',
      want: 'fail',
    },
    {
      name: 'test-46',
      pattern: runAsUser,
      resource:
        '{"spec": {"initContainers": [{"name": "istio-init", "securityContext": {"runAsUser": 0}}], "containers": [{"securityContext": {"runAsUser": 1000}}]}}',
      want: 'pass',
    },
    {
      name: 'test-47',
      pattern: runAsUser,
      resource:
        '{"spec": {"initContainers": [{"name": "istio-init", "securityContext": {"runAsUser": 1000}}], "containers": [{"securityContext": {"runAsUser": 0}}]}}',
      want: 'fail',
    },
    {
      name: 'test-48',
      pattern: runAsUser,
      resource: '{"spec": {"containers": [{"securityContext": {"runAsUser": 1000}}]}}',
      want: 'pass',
    },
    {
      name: 'test-49',
      pattern: runAsUser,
      resource: '{"spec": {"containers": [{"securityContext": {"runAsUser": 0}}]}}',
      want: 'fail',
    },
    {
      name: 'test-50 (skipped init container, containers pass)',
      pattern: runAsUser,
      resource:
        '{"spec": {"initContainers": [{"name": "istio-init", "securityContext": {"runAsUser": 0}}], "containers": [{"name": "nginx", "image": "nginx"}]}}',
      want: 'pass',
    },
    {
      name: 'test-51',
      pattern: sockets,
      resource: '{"spec": {"volumes": [{"name": "credential-socket","emptyDir": {"sizeLimit": "1Gi"}}]}}',
      want: 'skip',
    },
    {
      name: 'test-52',
      pattern: sockets,
      resource: '{"spec": {"volumes": [{"name": "cache-volume","emptyDir": {"sizeLimit": "1Gi"}}]}}',
      want: 'pass',
    },
    {
      name: 'test-53',
      pattern: sockets,
      resource: '{"spec": {"volumes": [{"name": "cache-volume"}]}}',
      want: 'pass',
    },
    {
      name: 'test-54',
      pattern: sockets,
      resource: '{"spec": {"volumes": [{"name": "cache-volume","emptyDir": {}}]}}',
      want: 'fail',
    },
  ];
}
