// Cases from Kyverno's pkg/engine/mutate/patch/strategicMergePatch_test.go, the kyverno.io
// "Mutate Rules" docs, and kustomize kyaml merge2 semantics (prepend direction, as Kyverno uses it).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../model/kube-object.js';
import {
  applyStrategicMergePatch,
  mergeStrategicPatch,
  StrategicMergeError,
} from './patch-strategic-merge.js';

interface Case {
  readonly name: string;
  readonly resource: string;
  readonly patch: string;
  readonly expected: string;
}

const WORDPRESS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: wordpress, labels: {app: wordpress}}
spec:
  selector: {matchLabels: {app: wordpress}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: wordpress}}
    spec:
      containers:
      - image: wordpress:4.8-apache
        name: wordpress
        ports: [{containerPort: 80, name: wordpress}]
        volumeMounts: [{name: wordpress-persistent-storage, mountPath: /var/www/html}]
      volumes: [{name: wordpress-persistent-storage}]
`;

const HELLO_PODS = `
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
  - {name: hello, image: "gcr.io/google-containers/busybox:latest"}
  - {name: hello2, image: "gcr.io/google-containers/busybox:latest"}
  - {name: hello3, image: "gcr.io/google-containers/nginx:latest"}
`;

const POD = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: ${spec}`;

const KYVERNO_CASES: readonly Case[] = [
  {
    name: 'wordpress overlay: new containers first, env merged, initContainers added',
    resource: WORDPRESS,
    patch: `
spec:
  template:
    spec:
      containers:
      - {name: nginx, image: nginx}
      - name: wordpress
        env:
        - {name: WORDPRESS_DB_HOST, value: $(MYSQL_SERVICE)}
        - {name: WORDPRESS_DB_PASSWORD, valueFrom: {secretKeyRef: {name: mysql-pass, key: password}}}
      initContainers:
      - {name: init-command, image: debian, command: ["echo $(WORDPRESS_SERVICE)", "echo $(MYSQL_SERVICE)"]}`,
    expected: WORDPRESS.replace(
      '      containers:\n',
      '      containers:\n      - {name: nginx, image: nginx}\n',
    )
      .replace(
        '        volumeMounts: [{name: wordpress-persistent-storage, mountPath: /var/www/html}]\n',
        `        volumeMounts: [{name: wordpress-persistent-storage, mountPath: /var/www/html}]
        env:
        - {name: WORDPRESS_DB_HOST, value: $(MYSQL_SERVICE)}
        - {name: WORDPRESS_DB_PASSWORD, valueFrom: {secretKeyRef: {name: mysql-pass, key: password}}}
`,
      )
      .concat(
        '      initContainers:\n      - {name: init-command, image: debian, command: ["echo $(WORDPRESS_SERVICE)", "echo $(MYSQL_SERVICE)"]}\n',
      ),
  },
  {
    name: 'condition matching the first containers only adds imagePullSecrets',
    resource: HELLO_PODS,
    patch: `
spec:
  containers: [{"(image)": "gcr.io/google-containers/busybox:*"}]
  imagePullSecrets: [{name: regcred}]`,
    expected: `${HELLO_PODS}  imagePullSecrets: [{name: regcred}]\n`,
  },
  {
    name: 'condition matching the third container only adds imagePullSecrets',
    resource: HELLO_PODS,
    patch: `
spec:
  containers: [{"(image)": "gcr.io/google-containers/nginx:*"}]
  imagePullSecrets: [{name: regcred}]`,
    expected: `${HELLO_PODS}  imagePullSecrets: [{name: regcred}]\n`,
  },
];

const DOCS_CASES: readonly Case[] = [
  {
    name: 'docs: set imagePullPolicy for :latest images only',
    resource: POD('{containers: [{name: a, image: "nginx:latest"}, {name: b, image: "redis:6"}]}'),
    patch: 'spec: {containers: [{"(image)": "*:latest", imagePullPolicy: IfNotPresent}]}',
    expected: POD(
      '{containers: [{name: a, image: "nginx:latest", imagePullPolicy: IfNotPresent}, {name: b, image: "redis:6"}]}',
    ),
  },
  {
    name: 'docs: add-if-not-present annotation on a pod with an emptyDir volume',
    resource: POD('{containers: [{name: a, image: nginx}], volumes: [{name: v, emptyDir: {}}]}'),
    patch: `
metadata: {annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": "true"}}
spec: {volumes: [{"<(emptyDir)": {}}]}`,
    expected: `apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}}
spec: {containers: [{name: a, image: nginx}], volumes: [{name: v, emptyDir: {}}]}`,
  },
  {
    name: 'docs: global anchor not satisfied leaves the pod unchanged',
    resource: POD('{containers: [{name: a, image: nginx}], volumes: [{name: v, configMap: {name: c}}]}'),
    patch: `
metadata: {annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": "true"}}
spec: {volumes: [{"<(emptyDir)": {}}]}`,
    expected: POD('{containers: [{name: a, image: nginx}], volumes: [{name: v, configMap: {name: c}}]}'),
  },
];

const MERGE_CASES: readonly Case[] = [
  {
    name: 'scalars are replaced and maps merged',
    resource: POD('{dnsPolicy: Default, nodeSelector: {a: "1"}}'),
    patch: 'spec: {dnsPolicy: None, nodeSelector: {b: "2"}}',
    expected: POD('{dnsPolicy: None, nodeSelector: {a: "1", b: "2"}}'),
  },
  {
    name: 'null deletes a field; null on an absent field is a no-op',
    resource: POD('{dnsPolicy: Default, hostNetwork: true}'),
    patch: 'spec: {hostNetwork: null, hostPID: null}',
    expected: POD('{dnsPolicy: Default}'),
  },
  // The reference CLI's mutated output keeps them (found by scripts/differential.mjs: a Pod with
  // `spec: null` was reported mutated here, `no patches applied` there).
  {
    name: 'null fields of the resource that the patch does not name are kept',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, creationTimestamp: null}\nspec: {w: null}',
    patch: 'metadata: {labels: {a: b}}',
    expected:
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, creationTimestamp: null, labels: {a: b}}\nspec: {w: null}',
  },
  {
    name: 'null fields inside a merged list element are kept',
    resource: POD('{containers: [{name: c, image: i, env: null}]}'),
    patch: 'spec: {containers: [{name: c, image: j}]}',
    expected: POD('{containers: [{name: c, image: j, env: null}]}'),
  },
  {
    name: 'a null field the patch sets is replaced',
    resource: POD('{securityContext: null}'),
    patch: 'spec: {securityContext: {runAsUser: 1}}',
    expected: POD('{securityContext: {runAsUser: 1}}'),
  },
  {
    name: 'nulls inside an added map are dropped',
    resource: POD('{}'),
    patch: 'spec: {securityContext: {runAsUser: 1000, fsGroup: null}}',
    expected: POD('{securityContext: {runAsUser: 1000}}'),
  },
  {
    name: 'lists without a merge strategy are replaced (args, tolerations)',
    resource: POD('{tolerations: [{key: a}], containers: [{name: c, args: [x, y]}]}'),
    patch: 'spec: {tolerations: [{key: b}], containers: [{name: c, args: [z]}]}',
    expected: POD('{tolerations: [{key: b}], containers: [{name: c, args: [z]}]}'),
  },
  {
    name: 'containers merge by name; patch elements come first, then untouched ones',
    resource: POD('{containers: [{name: a, image: a}, {name: b, image: b}, {name: c, image: c}]}'),
    patch: 'spec: {containers: [{name: b, image: b2}, {name: new, image: n}]}',
    expected: POD(
      '{containers: [{name: b, image: b2}, {name: new, image: n}, {name: a, image: a}, {name: c, image: c}]}',
    ),
  },
  {
    name: 'env merges by name, volumeMounts by mountPath',
    resource: POD(
      '{containers: [{name: a, env: [{name: X, value: "1"}], volumeMounts: [{name: v, mountPath: /a}]}]}',
    ),
    patch:
      'spec: {containers: [{name: a, env: [{name: Y, value: "2"}], volumeMounts: [{name: w, mountPath: /a}, {name: v, mountPath: /b}]}]}',
    expected: POD(
      '{containers: [{name: a, env: [{name: Y, value: "2"}, {name: X, value: "1"}], volumeMounts: [{name: w, mountPath: /a}, {name: v, mountPath: /b}]}]}',
    ),
  },
  {
    // The expected outputs of the ports cases are the reference's (kyaml v0.21.1, Kyverno's CLI).
    name: 'ports merge by containerPort and protocol: an element without protocol is looked up by its port',
    resource: POD('{containers: [{name: a, ports: [{containerPort: 80, protocol: TCP}]}]}'),
    patch:
      'spec: {containers: [{name: a, ports: [{containerPort: 80, protocol: TCP, name: http}, {containerPort: 81}]}]}',
    expected: POD(
      '{containers: [{name: a, ports: [{containerPort: 81}, {containerPort: 80, protocol: TCP, name: http}]}]}',
    ),
  },
  {
    name: 'ports: one port with UDP and TCP (DNS) stays two ports when the patch does not name them',
    resource: POD(
      '{containers: [{name: a, image: x, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}, {containerPort: 443}]}]}',
    ),
    patch: 'spec: {containers: [{name: a, image: y}]}',
    expected: POD(
      '{containers: [{name: a, image: y, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}, {containerPort: 443}]}]}',
    ),
  },
  {
    name: 'ports: a port without protocol joins the same port with one',
    resource: POD(
      '{containers: [{name: a, ports: [{containerPort: 8080, protocol: UDP}, {containerPort: 443}]}]}',
    ),
    patch: 'spec: {containers: [{name: a, ports: [{containerPort: 8080}]}]}',
    expected: POD(
      '{containers: [{name: a, ports: [{containerPort: 8080, protocol: UDP}, {containerPort: 443}]}]}',
    ),
  },
  {
    name: 'ports: a port whose containerPort is null is kept, after the others',
    resource: POD('{containers: [{name: a, image: x, ports: [{containerPort: null}, {containerPort: 80}]}]}'),
    patch: 'spec: {containers: [{name: a, image: y}]}',
    expected: POD('{containers: [{name: a, image: y, ports: [{containerPort: 80}, {containerPort: null}]}]}'),
  },
  {
    name: 'volumes (merge,retainKeys) merge by name without retaining keys',
    resource: POD('{volumes: [{name: v, emptyDir: {}}, {name: w, secret: {secretName: s}}]}'),
    patch: 'spec: {volumes: [{name: v, configMap: {name: c}}]}',
    expected: POD(
      '{volumes: [{name: v, emptyDir: {}, configMap: {name: c}}, {name: w, secret: {secretName: s}}]}',
    ),
  },
  {
    name: 'imagePullSecrets and hostAliases merge',
    resource: POD('{imagePullSecrets: [{name: a}], hostAliases: [{ip: 1.1.1.1, hostnames: [x]}]}'),
    patch: 'spec: {imagePullSecrets: [{name: b}], hostAliases: [{ip: 1.1.1.1, hostnames: [y]}]}',
    expected: POD('{imagePullSecrets: [{name: b}, {name: a}], hostAliases: [{ip: 1.1.1.1, hostnames: [y]}]}'),
  },
  {
    name: 'finalizers merge as a set of scalars, patch values first',
    resource: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, finalizers: [a, b]}',
    patch: 'metadata: {finalizers: [c, a]}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, finalizers: [c, a, b]}',
  },
  {
    name: 'CronJob containers under jobTemplate merge by name',
    resource: `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: a}]}}}}}`,
    patch:
      'spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a, imagePullPolicy: Always}]}}}}}',
    expected: `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: a, imagePullPolicy: Always}]}}}}}`,
  },
  {
    name: 'lists of custom resources are replaced',
    resource:
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {containers: [{name: a}]}',
    patch: 'spec: {containers: [{name: b}]}',
    expected:
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {containers: [{name: b}]}',
  },
  {
    name: 'kinds missing from the built-in schema replace lists (apps/v1beta1)',
    resource: `apiVersion: apps/v1beta1
kind: Deployment
metadata: {name: d}
spec: {template: {spec: {containers: [{name: a}]}}}`,
    patch: 'spec: {template: {spec: {containers: [{name: b}]}}}',
    expected: `apiVersion: apps/v1beta1
kind: Deployment
metadata: {name: d}
spec: {template: {spec: {containers: [{name: b}]}}}`,
  },
  {
    name: 'an embedded object with a known apiVersion and kind gets its schema',
    resource: `apiVersion: example.com/v1
kind: Wrapper
metadata: {name: w}
spec: {pod: {apiVersion: v1, kind: Pod, spec: {containers: [{name: a}]}}}`,
    patch: 'spec: {pod: {spec: {containers: [{name: b}]}}}',
    expected: `apiVersion: example.com/v1
kind: Wrapper
metadata: {name: w}
spec: {pod: {apiVersion: v1, kind: Pod, spec: {containers: [{name: b}, {name: a}]}}}`,
  },
  {
    name: '$patch: delete removes a list element',
    resource: POD('{containers: [{name: a}, {name: b}]}'),
    patch: 'spec: {containers: [{name: a, $patch: delete}]}',
    expected: POD('{containers: [{name: b}]}'),
  },
  {
    name: '$patch: delete removes a map',
    resource: POD('{securityContext: {runAsUser: 1}, dnsPolicy: Default}'),
    patch: 'spec: {securityContext: {$patch: delete}}',
    expected: POD('{dnsPolicy: Default}'),
  },
  {
    name: '$patch: replace takes the patch map as is',
    resource: POD('{securityContext: {runAsUser: 1, fsGroup: 2}}'),
    patch: 'spec: {securityContext: {$patch: replace, runAsGroup: 3}}',
    expected: POD('{securityContext: {runAsGroup: 3}}'),
  },
  {
    name: '$patch: replace on a merged list element is undone by kyaml (element kept as was)',
    resource: POD('{containers: [{name: a, image: x, args: [q]}]}'),
    patch: 'spec: {containers: [{name: a, $patch: replace, image: y}]}',
    expected: POD('{containers: [{name: a, image: x, args: [q]}]}'),
  },
  {
    name: '$patch: merge is the default and is removed',
    resource: POD('{securityContext: {runAsUser: 1}}'),
    patch: 'spec: {securityContext: {$patch: merge, fsGroup: 2}}',
    expected: POD('{securityContext: {runAsUser: 1, fsGroup: 2}}'),
  },
  {
    name: '$retainKeys and $setElementOrder are ordinary keys for kyaml',
    resource: POD('{containers: [{name: a}]}'),
    patch:
      'spec: {$setElementOrder/containers: [{name: a}], strategy: {$retainKeys: [type], type: Recreate}}',
    expected: POD(
      '{containers: [{name: a}], $setElementOrder/containers: [{name: a}], strategy: {$retainKeys: [type], type: Recreate}}',
    ),
  },
  {
    name: 'null and empty elements of merge lists are dropped',
    resource: POD('{containers: [{name: a}, {}, null]}'),
    patch: 'spec: {dnsPolicy: None}',
    expected: POD('{containers: [{name: a}], dnsPolicy: None}'),
  },
  {
    name: 'a null list deletes it; a null container deletes the element',
    resource: POD('{imagePullSecrets: [{name: a}], containers: [{name: a, args: [x]}]}'),
    patch: 'spec: {imagePullSecrets: null, containers: [{name: a, args: null}]}',
    expected: POD('{containers: [{name: a}]}'),
  },
];

function check(c: Case): void {
  const resource = parse(c.resource) as KubeObject;
  const patch = parse(c.patch) as unknown;
  const before = { resource: structuredClone(resource), patch: structuredClone(patch) };
  const out = applyStrategicMergePatch(resource, patch);
  assert.deepEqual(out, parse(c.expected));
  assert.deepEqual({ resource, patch }, before, 'inputs are not mutated');
}

describe('applyStrategicMergePatch', () => {
  describe('Kyverno strategicMergePatch_test.go', () => {
    for (const c of KYVERNO_CASES) test(c.name, () => check(c));
  });
  describe('kyverno.io docs', () => {
    for (const c of DOCS_CASES) test(c.name, () => check(c));
  });
  describe('kyaml merge semantics', () => {
    for (const c of MERGE_CASES) test(c.name, () => check(c));
  });

  test('the order of merged containers follows the patch (prepend)', () => {
    const out = applyStrategicMergePatch(
      parse(POD('{containers: [{name: app}]}')) as KubeObject,
      parse('spec: {containers: [{name: sidecar, image: s}]}'),
    );
    assert.deepEqual(
      (out.spec as { containers: { name: string }[] }).containers.map((c) => c.name),
      ['sidecar', 'app'],
    );
  });

  test('new map keys are appended after existing ones in sorted order', () => {
    const out = applyStrategicMergePatch(parse(POD('{b: 1}')) as KubeObject, { spec: { z: 1, a: 1 } });
    assert.deepEqual(Object.keys(out.spec as object), ['b', 'a', 'z']);
  });

  test('the result shares no structure with the inputs', () => {
    const resource = parse(POD('{nodeSelector: {a: "1"}}')) as KubeObject;
    const patch = { spec: { affinity: { nodeAffinity: { x: 1 } } } };
    const out = applyStrategicMergePatch(resource, patch);
    const spec = out.spec as {
      nodeSelector: Record<string, string>;
      affinity: { nodeAffinity: Record<string, unknown> };
    };
    spec.nodeSelector.a = 'changed';
    spec.affinity.nodeAffinity.y = 2;
    assert.equal((resource.spec as { nodeSelector: Record<string, string> }).nodeSelector.a, '1');
    assert.deepEqual(patch, { spec: { affinity: { nodeAffinity: { x: 1 } } } });
  });

  describe('errors', () => {
    const cases: readonly [string, unknown, RegExp][] = [
      [
        'a map where the resource has a scalar',
        { spec: { dnsPolicy: { a: 1 } } },
        /wrong node kind at \/spec\/dnsPolicy/,
      ],
      [
        'a scalar where the resource has a list',
        { spec: { containers: 'x' } },
        /expected a list but the patch has a string/,
      ],
      [
        'an unknown $patch directive',
        { spec: { securityContext: { $patch: 'nope' } } },
        /unknown patch strategy 'nope'/,
      ],
      ['a patch deleting the resource', { $patch: 'delete' }, /deletes the whole resource/],
      ['a patch that is a list', [{ a: 1 }], /must be a map|the patch has a list/],
    ];
    for (const [name, patch, message] of cases) {
      test(name, () => {
        const resource = parse(
          POD('{dnsPolicy: Default, containers: [{name: a}], securityContext: {runAsUser: 1}}'),
        );
        assert.throws(
          () => applyStrategicMergePatch(resource as KubeObject, patch),
          (err: unknown) => {
            assert.ok(err instanceof StrategicMergeError);
            assert.match(err.message, message);
            return true;
          },
        );
      });
    }
  });
});

describe('mergeStrategicPatch', () => {
  test('merges without interpreting anchors', () => {
    const out = mergeStrategicPatch(parse(POD('{}')) as KubeObject, {
      metadata: { labels: { '+(a)': 'b' } },
    });
    assert.deepEqual(out.metadata?.labels, { '+(a)': 'b' });
  });
});
