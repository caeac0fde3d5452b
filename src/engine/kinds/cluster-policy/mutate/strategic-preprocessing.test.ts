// Cases from Kyverno's pkg/engine/mutate/patch/strategicPreprocessing_test.go
// (Test_preProcessStrategicMergePatch_multipleAnchors) and the kyverno.io "Mutate Rules" anchor docs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { preprocessAnchors, StrategicMergeError } from './strategic-preprocessing.js';

interface Case {
  readonly name: string;
  readonly patch: string;
  readonly resource: string;
  readonly expected: string;
}

const POD_CACHE_VOLUME = `
apiVersion: v1
kind: Pod
metadata: {name: nginx}
spec:
  containers:
  - {name: nginx, image: "nginx:latest", imagePullPolicy: Never, volumeMounts: [{mountPath: /cache, name: cache-volume}]}
  volumes:
  - name: cache-volume
    hostPath: {path: /data, type: Directory}
`;

const BUSYBOX_PODS = `
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
  - {name: hello, image: "gcr.io/google-containers/busybox:latest"}
  - {name: hello2, image: "gcr.io/google-containers/busybox:latest"}
  - {name: hello3, image: "gcr.io/google-containers/nginx:latest"}
`;

const KYVERNO_CASES: readonly Case[] = [
  {
    name: 'add-if-not-present kept; satisfied global anchor in a list is dropped',
    patch: `
metadata: {annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": "true"}}
spec: {volumes: [{"<(emptyDir)": {}}]}`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: static-web, labels: {role: myrole}}
spec:
  containers: [{name: web, image: 1nginx}]
  volumes:
  - {emptyDir: {}, name: cache-volume}
  - {secret: {secretName: default-token-6gplg}, name: default-token-6gplg}`,
    expected: `metadata: {annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}}`,
  },
  {
    name: 'a null map value is kept',
    patch: 'metadata: null',
    resource:
      'apiVersion: v1\nkind: Pod\nmetadata: {name: hello}\nspec: {containers: [{name: hello, image: busybox}]}',
    expected: 'metadata: null',
  },
  {
    name: 'wildcard name condition targets the element by name',
    patch: `
spec:
  containers: [{"(name)": "*", image: "gcr.io/google-containers/busybox:latest"}]
  imagePullSecrets: [{name: regcred}]`,
    resource:
      'apiVersion: v1\nkind: Pod\nmetadata: {name: hello}\nspec: {containers: [{name: hello, image: busybox}]}',
    expected: `
spec:
  containers: [{name: hello, image: "gcr.io/google-containers/busybox:latest"}]
  imagePullSecrets: [{name: regcred}]`,
  },
  {
    name: 'two conditions, one new field',
    patch: `
spec:
  containers:
  - {"(name)": "*", "(image)": "gcr.io/google-containers/busybox:*", new_filed: must be inserted}
  imagePullSecrets: [{name: regcred}]`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: hello2}
spec: {containers: [{name: hello, image: "gcr.io/google-containers/busybox:latest"}]}`,
    expected: `
spec:
  containers: [{name: hello, new_filed: must be inserted}]
  imagePullSecrets: [{name: regcred}]`,
  },
  {
    name: 'an element with only a condition adds nothing',
    patch: `
spec:
  containers: [{"(image)": "gcr.io/google-containers/busybox:latest"}]
  imagePullSecrets: [{name: regcred}]`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: hello2}
spec: {containers: [{name: hello, image: "gcr.io/google-containers/busybox:latest"}]}`,
    expected: 'spec: {imagePullSecrets: [{name: regcred}]}',
  },
  {
    name: 'only-condition element with a wildcard adds nothing either',
    patch: `
spec:
  containers: [{"(image)": "gcr.io/google-containers/busybox:*"}]
  imagePullSecrets: [{name: regcred}]`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: hello2}
spec: {containers: [{name: hello, image: "gcr.io/google-containers/busybox:latest"}]}`,
    expected: 'spec: {imagePullSecrets: [{name: regcred}]}',
  },
  {
    name: 'only-condition element against several containers',
    patch: `
spec:
  containers: [{"(image)": "gcr.io/google-containers/busybox:*"}]
  imagePullSecrets: [{name: regcred}]`,
    resource: BUSYBOX_PODS,
    expected: 'spec: {imagePullSecrets: [{name: regcred}]}',
  },
  {
    name: 'global anchor satisfied by a hostPath volume',
    patch: `
metadata:
  annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": true}
  labels: {"+(add-labels)": add}
spec: {volumes: [{"<(hostPath)": {path: "*"}}]}`,
    resource: POD_CACHE_VOLUME,
    expected: `
metadata:
  annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: true}
  labels: {add-labels: add}`,
  },
  {
    name: 'existing annotation: add-if-not-present drops it and the patch empties',
    patch: `
metadata: {annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": true}}
spec: {volumes: [{"<(hostPath)": {path: "*"}}]}`,
    resource: POD_CACHE_VOLUME.replace(
      'metadata: {name: nginx}',
      'metadata: {name: nginx, annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}}',
    ),
    expected: '{}',
  },
  {
    name: 'all annotations already present',
    patch: `
metadata:
  annotations:
    "+(alb.ingress.kubernetes.io/backend-protocol)": HTTPS
    "+(alb.ingress.kubernetes.io/healthcheck-protocol)": HTTPS
    "+(alb.ingress.kubernetes.io/scheme)": internal
    "+(alb.ingress.kubernetes.io/target-type)": ip
    "+(kubernetes.io/ingress.class)": alb`,
    resource: `
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  annotations:
    alb.ingress.kubernetes.io/backend-protocol: HTTPS
    alb.ingress.kubernetes.io/healthcheck-protocol: HTTPS
    alb.ingress.kubernetes.io/scheme: internal
    alb.ingress.kubernetes.io/target-type: ip
    external-dns.alpha.kubernetes.io/hostname: argo
    kubernetes.io/ingress.class: test
  labels: {app: argocd-server, app.kubernetes.io/name: argocd-server}
  name: argocd
  namespace: default`,
    expected: '{}',
  },
  {
    name: 'add-if-not-present inside a conditional list element',
    patch: `
spec:
  template:
    spec:
      containers:
      - "(name)": "*"
        resources: {limits: {"+(memory)": 300Mi, "+(cpu)": "100"}}`,
    resource: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: qos-demo, labels: {test: qos}}
spec:
  replicas: 1
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: "nginx:latest", resources: {limits: {cpu: 50m}}}]`,
    expected: `
spec:
  template:
    spec:
      containers: [{resources: {limits: {memory: 300Mi}}, name: nginx}]`,
  },
  {
    name: 'conditional list in a map holds; image condition applies per container',
    patch: `
metadata:
  annotations: {"+(annotation1)": atest1, "+(annotation2)": atest2}
  labels: {"+(label1)": test1}
spec:
  "(volumes)": [{"(hostPath)": {path: /var/run/docker.sock}}]
  containers: [{"(image)": "*:latest", command: [ls], imagePullPolicy: Always}]`,
    resource: `
apiVersion: v1
kind: Pod
metadata:
  annotations: {annotation1: atest2}
  labels: {label1: test2, label2: test2}
  name: check-root-user
spec:
  containers:
  - {command: [ll], image: "nginx:latest", imagePullPolicy: Never, name: nginx}
  - {image: "busybox:latest", imagePullPolicy: Never, name: busybox}
  volumes: [{hostPath: {path: /var/run/docker.sock}, name: test-volume}]`,
    expected: `
metadata: {annotations: {annotation2: atest2}}
spec:
  containers:
  - {command: [ls], imagePullPolicy: Always, name: nginx}
  - {command: [ls], imagePullPolicy: Always, name: busybox}`,
  },
  {
    name: 'present annotation: nothing left',
    patch: 'metadata: {annotations: {"+(annotation1)": atest1}}',
    resource: `
apiVersion: v1
kind: Pod
metadata: {annotations: {annotation1: atest2}, labels: {label1: test2, label2: test2}, name: check-root-user}`,
    expected: '{}',
  },
  {
    name: 'a null value (deletion) is kept',
    patch: 'metadata: {annotations: {annotation1: null}}',
    resource: `
apiVersion: v1
kind: Pod
metadata: {annotations: {annotation1: atest2}, labels: {label1: test2, label2: test2}, name: check-root-user}`,
    expected: 'metadata: {annotations: {annotation1: null}}',
  },
  {
    name: 'global anchor on a nested field of a list element',
    patch: `
metadata: {annotations: {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": true}}
spec: {volumes: [{hostPath: {"<(path)": "*data"}}]}`,
    resource: POD_CACHE_VOLUME,
    expected: 'metadata: {annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: true}}',
  },
  {
    name: 'wildcard name conditions in containers and initContainers',
    patch: `
spec:
  securityContext: {runAsNonRoot: true}
  initContainers: [{"(name)": "*", securityContext: {runAsNonRoot: true}}]
  containers: [{"(name)": "*", securityContext: {runAsNonRoot: true}}]`,
    resource: `
spec:
  initContainers: [{name: initbusy, image: "busybox:1.28", command: [sleep, "9999"]}]
  containers: [{image: "busybox:1.28", name: busybox, command: [sleep, "9999"]}]
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchExpressions: [{key: app, operator: In, values: [foo, bar]}]}
        topologyKey: kubernetes.io/hostname`,
    expected: `
spec:
  securityContext: {runAsNonRoot: true}
  initContainers: [{name: initbusy, securityContext: {runAsNonRoot: true}}]
  containers: [{name: busybox, securityContext: {runAsNonRoot: true}}]`,
  },
];

const MORE_CASES: readonly Case[] = [
  {
    name: 'a failing condition in a plain map turns the whole patch off',
    patch: `
metadata: {labels: {"(app)": web, tier: frontend}}
spec: {dnsPolicy: None}`,
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: db}}',
    expected: '{}',
  },
  {
    name: 'a missing condition key turns the whole patch off',
    patch: 'metadata: {labels: {"(app)": "*", tier: frontend}}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}',
    expected: '{}',
  },
  {
    name: 'a holding condition in a plain map is stripped',
    patch: 'metadata: {labels: {"(app)": web, tier: frontend}}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: web}}',
    expected: 'metadata: {labels: {tier: frontend}}',
  },
  {
    name: 'a global anchor failing for every element turns the patch off',
    patch: `
metadata: {labels: {scanned: "true"}}
spec: {containers: [{"<(image)": "*:latest"}]}`,
    resource:
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: "nginx:1.2"}]}',
    expected: '{}',
  },
  {
    name: 'a global anchor on an absent list turns the patch off',
    patch: `
metadata: {labels: {scanned: "true"}}
spec: {volumes: [{"<(hostPath)": {path: "*"}}]}`,
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx}]}',
    expected: '{}',
  },
  {
    name: 'a failing global anchor in a plain map turns the patch off',
    patch: 'metadata: {labels: {"<(app)": web, tier: frontend}}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: db}}',
    expected: '{}',
  },
  {
    name: 'conditions compare scalars by their text (3 matches "3")',
    patch: 'spec: {"(replicas)": "3", paused: true}',
    resource: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}',
    expected: 'spec: {paused: true}',
  },
  {
    name: 'conditions use the pattern operators',
    patch: 'spec: {"(replicas)": ">2", paused: true}',
    resource: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 1}',
    expected: '{}',
  },
  {
    name: 'docs: add-if-not-present only for containers without the field',
    patch: `
spec:
  containers:
  - "(name)": "*"
    "+(imagePullPolicy)": IfNotPresent`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - {name: a, image: nginx}`,
    expected: 'spec: {containers: [{imagePullPolicy: IfNotPresent, name: a}]}',
  },
  {
    name: 'the anchored element copy is shared: a field seen in the first container is never added later',
    patch: `
spec:
  containers:
  - "(name)": "*"
    "+(imagePullPolicy)": IfNotPresent`,
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - {name: a, image: nginx, imagePullPolicy: Always}
  - {name: b, image: nginx}`,
    expected: '{}',
  },
  {
    name: 'a +() element without conditions targets every container by name',
    patch: 'spec: {containers: [{name: x, "+(imagePullPolicy)": Always}]}',
    resource: `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {containers: [{name: a, image: nginx}, {name: b, image: busybox}]}`,
    expected: `
spec:
  containers:
  - {name: a, imagePullPolicy: Always}
  - {name: b, imagePullPolicy: Always}`,
  },
  {
    name: 'resource elements without a name get no copy',
    patch: 'spec: {containers: [{"(image)": "*", imagePullPolicy: Always}]}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{image: nginx}]}',
    expected: '{}',
  },
  {
    name: 'empty maps in the patch are removed',
    patch: 'metadata: {labels: {}}\nspec: {volumes: [{name: v, emptyDir: {}}]}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}',
    expected: 'spec: {volumes: [{name: v}]}',
  },
  {
    name: 'equality and negation anchors are not mutate anchors and stay literal',
    patch: 'metadata: {labels: {"=(app)": web, "X(tier)": null}}',
    resource: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}',
    expected: 'metadata: {labels: {"=(app)": web, "X(tier)": null}}',
  },
];

describe('preprocessAnchors', () => {
  for (const c of [...KYVERNO_CASES, ...MORE_CASES]) {
    test(c.name, () => {
      const patch = parse(c.patch) as unknown;
      const before = structuredClone(patch);
      const resource = parse(c.resource) as unknown;
      assert.deepEqual(preprocessAnchors(resource, patch), parse(c.expected));
      assert.deepEqual(patch, before, 'the patch is not mutated');
    });
  }

  test('a list in the patch where the resource has a map is an error', () => {
    assert.throws(
      () =>
        preprocessAnchors({ spec: { containers: { a: 1 } } }, { spec: { containers: [{ '(name)': '*' }] } }),
      StrategicMergeError,
    );
  });

  test('a patch that is not a map is an error', () => {
    assert.throws(() => preprocessAnchors({}, 'spec'), /must be a map, got a string/);
  });

  test('two anchored elements in one list fail like Kyverno (index out of range)', () => {
    assert.throws(
      () =>
        preprocessAnchors(
          { spec: { containers: [{ name: 'a', image: 'x' }] } },
          {
            spec: {
              containers: [
                { '(name)': 'b*', image: 'b' },
                { '(name)': 'c*', image: 'c' },
              ],
            },
          },
        ),
      StrategicMergeError,
    );
  });
});
