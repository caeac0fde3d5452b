/**
 * @module The Go types Kyverno's podSecurity handler decodes a resource into (k8s.io/api core/v1
 * Pod, apps/v1 Deployment for every pod-template kind, batch/v1 CronJob), as field → JSON type
 * tables. Volume sources PSS never reads are checked only for being objects.
 */
import {
  bool,
  type GoType,
  int32,
  int64,
  intOrString,
  mapOf,
  quantity,
  raw,
  sliceOf,
  str,
  struct,
  time,
} from './typed-decode.js';

const s = str();
const strings = sliceOf(s);
const stringMap = mapOf(s);
const uid = str('types.UID');

const ownerReference = struct('v1.OwnerReference', () => ({
  apiVersion: s,
  kind: s,
  name: s,
  uid,
  controller: bool,
  blockOwnerDeletion: bool,
}));

const objectMeta = struct('v1.ObjectMeta', () => ({
  name: s,
  generateName: s,
  namespace: s,
  selfLink: s,
  uid,
  resourceVersion: s,
  generation: int64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int64,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: sliceOf(ownerReference),
  finalizers: strings,
  managedFields: sliceOf(
    struct('v1.ManagedFieldsEntry', () => ({
      manager: s,
      operation: str('v1.ManagedFieldsOperationType'),
      apiVersion: s,
      time,
      fieldsType: s,
      fieldsV1: raw('v1.FieldsV1'),
      subresource: s,
    })),
  ),
}));

const labelSelector = struct('v1.LabelSelector', () => ({
  matchLabels: stringMap,
  matchExpressions: sliceOf(
    struct('v1.LabelSelectorRequirement', () => ({
      key: s,
      operator: str('v1.LabelSelectorOperator'),
      values: strings,
    })),
  ),
}));

const resourceList = mapOf(quantity, 'v1.ResourceList');
const resourceRequirements = struct('v1.ResourceRequirements', () => ({
  limits: resourceList,
  requests: resourceList,
  claims: sliceOf(struct('v1.ResourceClaim', () => ({ name: s, request: s }))),
}));

const localObjectReference = struct('v1.LocalObjectReference', () => ({ name: s }));
const objectFieldSelector = struct('v1.ObjectFieldSelector', () => ({ apiVersion: s, fieldPath: s }));
const resourceFieldSelector = struct('v1.ResourceFieldSelector', () => ({
  containerName: s,
  resource: s,
  divisor: quantity,
}));
const keySelector = (name: string) => struct(name, () => ({ name: s, key: s, optional: bool }));

const envVar = struct('v1.EnvVar', () => ({
  name: s,
  value: s,
  valueFrom: struct('v1.EnvVarSource', () => ({
    fieldRef: objectFieldSelector,
    resourceFieldRef: resourceFieldSelector,
    configMapKeyRef: keySelector('v1.ConfigMapKeySelector'),
    secretKeyRef: keySelector('v1.SecretKeySelector'),
  })),
}));

const envFromSource = struct('v1.EnvFromSource', () => ({
  prefix: s,
  configMapRef: struct('v1.ConfigMapEnvSource', () => ({ name: s, optional: bool })),
  secretRef: struct('v1.SecretEnvSource', () => ({ name: s, optional: bool })),
}));

const execAction = struct('v1.ExecAction', () => ({ command: strings }));
const httpGetAction = struct('v1.HTTPGetAction', () => ({
  path: s,
  port: intOrString,
  host: s,
  scheme: str('v1.URIScheme'),
  httpHeaders: sliceOf(struct('v1.HTTPHeader', () => ({ name: s, value: s }))),
}));
const tcpSocketAction = struct('v1.TCPSocketAction', () => ({ port: intOrString, host: s }));

const probe = struct('v1.Probe', () => ({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: struct('v1.GRPCAction', () => ({ port: int32, service: s })),
  initialDelaySeconds: int32,
  timeoutSeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
}));

const lifecycleHandler = struct('v1.LifecycleHandler', () => ({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  sleep: struct('v1.SleepAction', () => ({ seconds: int64 })),
}));

const seLinuxOptions = struct('v1.SELinuxOptions', () => ({ user: s, role: s, type: s, level: s }));
const windowsOptions = struct('v1.WindowsSecurityContextOptions', () => ({
  gmsaCredentialSpecName: s,
  gmsaCredentialSpec: s,
  runAsUserName: s,
  hostProcess: bool,
}));
const seccompProfile = struct('v1.SeccompProfile', () => ({
  type: str('v1.SeccompProfileType'),
  localhostProfile: s,
}));
const appArmorProfile = struct('v1.AppArmorProfile', () => ({
  type: str('v1.AppArmorProfileType'),
  localhostProfile: s,
}));

const securityContext = struct('v1.SecurityContext', () => ({
  capabilities: struct('v1.Capabilities', () => ({
    add: sliceOf(str('v1.Capability')),
    drop: sliceOf(str('v1.Capability')),
  })),
  privileged: bool,
  seLinuxOptions,
  windowsOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str('v1.ProcMountType'),
  seccompProfile,
  appArmorProfile,
}));

const podSecurityContext = struct('v1.PodSecurityContext', () => ({
  seLinuxOptions,
  windowsOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: sliceOf(int64),
  supplementalGroupsPolicy: str('v1.SupplementalGroupsPolicy'),
  fsGroup: int64,
  sysctls: sliceOf(struct('v1.Sysctl', () => ({ name: s, value: s }))),
  fsGroupChangePolicy: str('v1.PodFSGroupChangePolicy'),
  seccompProfile,
  appArmorProfile,
  seLinuxChangePolicy: str('v1.PodSELinuxChangePolicy'),
}));

/** Fields shared by Container and EphemeralContainer (EphemeralContainerCommon is inlined). */
const containerFields = (): Record<string, GoType> => ({
  name: s,
  image: s,
  command: strings,
  args: strings,
  workingDir: s,
  ports: sliceOf(
    struct('v1.ContainerPort', () => ({
      name: s,
      hostPort: int32,
      containerPort: int32,
      protocol: str('v1.Protocol'),
      hostIP: s,
    })),
  ),
  envFrom: sliceOf(envFromSource),
  env: sliceOf(envVar),
  resources: resourceRequirements,
  resizePolicy: sliceOf(
    struct('v1.ContainerResizePolicy', () => ({
      resourceName: str('v1.ResourceName'),
      restartPolicy: str('v1.ResourceResizeRestartPolicy'),
    })),
  ),
  restartPolicy: str('v1.ContainerRestartPolicy'),
  volumeMounts: sliceOf(
    struct('v1.VolumeMount', () => ({
      name: s,
      readOnly: bool,
      recursiveReadOnly: str('v1.RecursiveReadOnlyMode'),
      mountPath: s,
      subPath: s,
      mountPropagation: str('v1.MountPropagationMode'),
      subPathExpr: s,
    })),
  ),
  volumeDevices: sliceOf(struct('v1.VolumeDevice', () => ({ name: s, devicePath: s }))),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: struct('v1.Lifecycle', () => ({
    postStart: lifecycleHandler,
    preStop: lifecycleHandler,
    stopSignal: str('v1.Signal'),
  })),
  terminationMessagePath: s,
  terminationMessagePolicy: str('v1.TerminationMessagePolicy'),
  imagePullPolicy: str('v1.PullPolicy'),
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
});

const container = struct('v1.Container', containerFields);
const ephemeralContainer = struct('v1.EphemeralContainer', () => ({
  ...containerFields(),
  targetContainerName: s,
}));

const keyToPath = struct('v1.KeyToPath', () => ({ key: s, path: s, mode: int32 }));
const downwardApiFile = struct('v1.DownwardAPIVolumeFile', () => ({
  path: s,
  fieldRef: objectFieldSelector,
  resourceFieldRef: resourceFieldSelector,
  mode: int32,
}));
/** A volume source PSS does not read: only its being an object is checked. */
const opaque = (name: string) => struct(name, () => ({}));

const volume = struct('v1.Volume', () => ({
  name: s,
  hostPath: struct('v1.HostPathVolumeSource', () => ({ path: s, type: str('v1.HostPathType') })),
  emptyDir: struct('v1.EmptyDirVolumeSource', () => ({
    medium: str('v1.StorageMedium'),
    sizeLimit: quantity,
  })),
  secret: struct('v1.SecretVolumeSource', () => ({
    secretName: s,
    items: sliceOf(keyToPath),
    defaultMode: int32,
    optional: bool,
  })),
  configMap: struct('v1.ConfigMapVolumeSource', () => ({
    name: s,
    items: sliceOf(keyToPath),
    defaultMode: int32,
    optional: bool,
  })),
  persistentVolumeClaim: struct('v1.PersistentVolumeClaimVolumeSource', () => ({
    claimName: s,
    readOnly: bool,
  })),
  projected: struct('v1.ProjectedVolumeSource', () => ({
    sources: sliceOf(
      struct('v1.VolumeProjection', () => ({
        secret: struct('v1.SecretProjection', () => ({ name: s, items: sliceOf(keyToPath), optional: bool })),
        configMap: struct('v1.ConfigMapProjection', () => ({
          name: s,
          items: sliceOf(keyToPath),
          optional: bool,
        })),
        downwardAPI: struct('v1.DownwardAPIProjection', () => ({ items: sliceOf(downwardApiFile) })),
        serviceAccountToken: struct('v1.ServiceAccountTokenProjection', () => ({
          audience: s,
          expirationSeconds: int64,
          path: s,
        })),
        clusterTrustBundle: opaque('v1.ClusterTrustBundleProjection'),
        podCertificate: opaque('v1.PodCertificateProjection'),
      })),
    ),
    defaultMode: int32,
  })),
  downwardAPI: struct('v1.DownwardAPIVolumeSource', () => ({
    items: sliceOf(downwardApiFile),
    defaultMode: int32,
  })),
  nfs: struct('v1.NFSVolumeSource', () => ({ server: s, path: s, readOnly: bool })),
  csi: struct('v1.CSIVolumeSource', () => ({
    driver: s,
    readOnly: bool,
    fsType: s,
    volumeAttributes: stringMap,
    nodePublishSecretRef: localObjectReference,
  })),
  image: struct('v1.ImageVolumeSource', () => ({ reference: s, pullPolicy: str('v1.PullPolicy') })),
  ephemeral: opaque('v1.EphemeralVolumeSource'),
  gcePersistentDisk: opaque('v1.GCEPersistentDiskVolumeSource'),
  awsElasticBlockStore: opaque('v1.AWSElasticBlockStoreVolumeSource'),
  gitRepo: opaque('v1.GitRepoVolumeSource'),
  iscsi: opaque('v1.ISCSIVolumeSource'),
  glusterfs: opaque('v1.GlusterfsVolumeSource'),
  rbd: opaque('v1.RBDVolumeSource'),
  flexVolume: opaque('v1.FlexVolumeSource'),
  cinder: opaque('v1.CinderVolumeSource'),
  cephfs: opaque('v1.CephFSVolumeSource'),
  flocker: opaque('v1.FlockerVolumeSource'),
  fc: opaque('v1.FCVolumeSource'),
  azureFile: opaque('v1.AzureFileVolumeSource'),
  azureDisk: opaque('v1.AzureDiskVolumeSource'),
  vsphereVolume: opaque('v1.VsphereVirtualDiskVolumeSource'),
  quobyte: opaque('v1.QuobyteVolumeSource'),
  photonPersistentDisk: opaque('v1.PhotonPersistentDiskVolumeSource'),
  portworxVolume: opaque('v1.PortworxVolumeSource'),
  scaleIO: opaque('v1.ScaleIOVolumeSource'),
  storageos: opaque('v1.StorageOSVolumeSource'),
}));

const nodeSelectorRequirement = struct('v1.NodeSelectorRequirement', () => ({
  key: s,
  operator: str('v1.NodeSelectorOperator'),
  values: strings,
}));
const nodeSelectorTerm = struct('v1.NodeSelectorTerm', () => ({
  matchExpressions: sliceOf(nodeSelectorRequirement),
  matchFields: sliceOf(nodeSelectorRequirement),
}));
const podAffinityTerm = struct('v1.PodAffinityTerm', () => ({
  labelSelector,
  namespaces: strings,
  topologyKey: s,
  namespaceSelector: labelSelector,
  matchLabelKeys: strings,
  mismatchLabelKeys: strings,
}));
const weightedPodAffinityTerm = struct('v1.WeightedPodAffinityTerm', () => ({
  weight: int32,
  podAffinityTerm,
}));
const podAffinity = (name: string) =>
  struct(name, () => ({
    requiredDuringSchedulingIgnoredDuringExecution: sliceOf(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: sliceOf(weightedPodAffinityTerm),
  }));

const affinity = struct('v1.Affinity', () => ({
  nodeAffinity: struct('v1.NodeAffinity', () => ({
    requiredDuringSchedulingIgnoredDuringExecution: struct('v1.NodeSelector', () => ({
      nodeSelectorTerms: sliceOf(nodeSelectorTerm),
    })),
    preferredDuringSchedulingIgnoredDuringExecution: sliceOf(
      struct('v1.PreferredSchedulingTerm', () => ({ weight: int32, preference: nodeSelectorTerm })),
    ),
  })),
  podAffinity: podAffinity('v1.PodAffinity'),
  podAntiAffinity: podAffinity('v1.PodAntiAffinity'),
}));

const podSpec = struct('v1.PodSpec', () => ({
  volumes: sliceOf(volume),
  initContainers: sliceOf(container),
  containers: sliceOf(container),
  ephemeralContainers: sliceOf(ephemeralContainer),
  restartPolicy: str('v1.RestartPolicy'),
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: str('v1.DNSPolicy'),
  nodeSelector: stringMap,
  serviceAccountName: s,
  serviceAccount: s,
  automountServiceAccountToken: bool,
  nodeName: s,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: sliceOf(localObjectReference),
  hostname: s,
  subdomain: s,
  affinity,
  schedulerName: s,
  tolerations: sliceOf(
    struct('v1.Toleration', () => ({
      key: s,
      operator: str('v1.TolerationOperator'),
      value: s,
      effect: str('v1.TaintEffect'),
      tolerationSeconds: int64,
    })),
  ),
  hostAliases: sliceOf(struct('v1.HostAlias', () => ({ ip: s, hostnames: strings }))),
  priorityClassName: s,
  priority: int32,
  dnsConfig: struct('v1.PodDNSConfig', () => ({
    nameservers: strings,
    searches: strings,
    options: sliceOf(struct('v1.PodDNSConfigOption', () => ({ name: s, value: s }))),
  })),
  readinessGates: sliceOf(
    struct('v1.PodReadinessGate', () => ({ conditionType: str('v1.PodConditionType') })),
  ),
  runtimeClassName: s,
  enableServiceLinks: bool,
  preemptionPolicy: str('v1.PreemptionPolicy'),
  overhead: resourceList,
  topologySpreadConstraints: sliceOf(
    struct('v1.TopologySpreadConstraint', () => ({
      maxSkew: int32,
      topologyKey: s,
      whenUnsatisfiable: str('v1.UnsatisfiableConstraintAction'),
      labelSelector,
      minDomains: int32,
      nodeAffinityPolicy: str('v1.NodeInclusionPolicy'),
      nodeTaintsPolicy: str('v1.NodeInclusionPolicy'),
      matchLabelKeys: strings,
    })),
  ),
  setHostnameAsFQDN: bool,
  os: struct('v1.PodOS', () => ({ name: str('v1.OSName') })),
  hostUsers: bool,
  schedulingGates: sliceOf(struct('v1.PodSchedulingGate', () => ({ name: s }))),
  resourceClaims: sliceOf(
    struct('v1.PodResourceClaim', () => ({
      name: s,
      resourceClaimName: s,
      resourceClaimTemplateName: s,
    })),
  ),
  resources: resourceRequirements,
  hostnameOverride: s,
}));

const podTemplateSpec = struct('v1.PodTemplateSpec', () => ({ metadata: objectMeta, spec: podSpec }));

const typeMeta = { apiVersion: s, kind: s };

export const POD_TYPE: GoType = struct('v1.Pod', () => ({
  ...typeMeta,
  metadata: objectMeta,
  spec: podSpec,
  status: opaque('v1.PodStatus'),
}));

export const DEPLOYMENT_TYPE: GoType = struct('v1.Deployment', () => ({
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.DeploymentSpec', () => ({
    replicas: int32,
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: struct('v1.DeploymentStrategy', () => ({
      type: str('v1.DeploymentStrategyType'),
      rollingUpdate: struct('v1.RollingUpdateDeployment', () => ({
        maxUnavailable: intOrString,
        maxSurge: intOrString,
      })),
    })),
    minReadySeconds: int32,
    revisionHistoryLimit: int32,
    paused: bool,
    progressDeadlineSeconds: int32,
  })),
  status: opaque('v1.DeploymentStatus'),
}));

export const CRONJOB_TYPE: GoType = struct('v1.CronJob', () => ({
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.CronJobSpec', () => ({
    schedule: s,
    timeZone: s,
    startingDeadlineSeconds: int64,
    concurrencyPolicy: str('v1.ConcurrencyPolicy'),
    suspend: bool,
    jobTemplate: struct('v1.JobTemplateSpec', () => ({
      metadata: objectMeta,
      spec: struct('v1.JobSpec', () => ({
        parallelism: int32,
        completions: int32,
        activeDeadlineSeconds: int64,
        backoffLimit: int32,
        backoffLimitPerIndex: int32,
        maxFailedIndexes: int32,
        selector: labelSelector,
        manualSelector: bool,
        template: podTemplateSpec,
        ttlSecondsAfterFinished: int32,
        completionMode: str('v1.CompletionMode'),
        suspend: bool,
        podReplacementPolicy: str('v1.PodReplacementPolicy'),
        managedBy: s,
        podFailurePolicy: opaque('v1.PodFailurePolicy'),
        successPolicy: opaque('v1.SuccessPolicy'),
      })),
    })),
    successfulJobsHistoryLimit: int32,
    failedJobsHistoryLimit: int32,
  })),
  status: opaque('v1.CronJobStatus'),
}));
