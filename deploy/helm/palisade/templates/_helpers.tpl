{{/* The chart's objects are named after this (default: palisade). */}}
{{- define "palisade.fullname" -}}
{{- default "palisade" .Values.fullnameOverride | trunc 55 | trimSuffix "-" -}}
{{- end -}}

{{- define "palisade.serviceName" -}}
{{- default (printf "%s-svc" (include "palisade.fullname" .)) .Values.service.name -}}
{{- end -}}

{{- define "palisade.serviceAccountName" -}}
{{- default (include "palisade.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "palisade.priorityClassName" -}}
{{- if .Values.priorityClass.create -}}
{{- default (printf "%s-webhook" (include "palisade.fullname" .)) .Values.priorityClass.name -}}
{{- else -}}
{{- .Values.priorityClass.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the mounted serving pair (modes cert-manager and secret). */}}
{{- define "palisade.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "secret" -}}
{{- required "certificates.secret.name is required with certificates.mode=secret" .Values.certificates.secret.name -}}
{{- else -}}
{{- printf "%s-tls" (include "palisade.serviceName" .) -}}
{{- end -}}
{{- end -}}

{{- define "palisade.selectorLabels" -}}
app.kubernetes.io/name: palisade
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: admission-webhook
{{- end -}}

{{- define "palisade.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "palisade.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: palisade
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Fails the render on values the chart cannot honour. */}}
{{- define "palisade.validate" -}}
{{- if not (has .Values.certificates.mode (list "self-managed" "cert-manager" "secret")) -}}
{{- fail (printf "certificates.mode must be self-managed, cert-manager or secret, not %q" .Values.certificates.mode) -}}
{{- end -}}
{{- if not (has .Values.antiAffinity (list "soft" "hard" "off")) -}}
{{- fail (printf "antiAffinity must be soft, hard or off, not %q" .Values.antiAffinity) -}}
{{- end -}}
{{- end -}}

{{/* The cleanup and TTL controllers' own Deployment (cleanupController.separate). */}}
{{- define "palisade.cleanupName" -}}
{{- printf "%s-cleanup-controller" (include "palisade.fullname" .) -}}
{{- end -}}

{{/* The reports and background controllers' own Deployments (reportsController.separate, backgroundController.separate). */}}
{{- define "palisade.reportsName" -}}
{{- printf "%s-reports-controller" (include "palisade.fullname" .) -}}
{{- end -}}

{{- define "palisade.backgroundName" -}}
{{- printf "%s-background-controller" (include "palisade.fullname" .) -}}
{{- end -}}

{{/*
What every replica of serve, and each separate reports or background controller, lists and watches to
compile the policy set (io/cluster/collections.ts): the policies, GlobalContextEntries, namespace
labels, RBAC bindings.
*/}}
{{- define "palisade.policyReadRules" -}}
- apiGroups: [kyverno.io]
  resources: [clusterpolicies, policies, policyexceptions, globalcontextentries]
  verbs: [get, list, watch]
- apiGroups: [policies.kyverno.io]
  resources:
    - validatingpolicies
    - namespacedvalidatingpolicies
    - mutatingpolicies
    - namespacedmutatingpolicies
    - generatingpolicies
    - namespacedgeneratingpolicies
    - deletingpolicies
    - namespaceddeletingpolicies
    - imagevalidatingpolicies
    - namespacedimagevalidatingpolicies
    - policyexceptions
  verbs: [get, list, watch]
- apiGroups: [admissionregistration.k8s.io]
  resources:
    - validatingadmissionpolicies
    - validatingadmissionpolicybindings
    - mutatingadmissionpolicies
    - mutatingadmissionpolicybindings
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list, watch]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [rolebindings, clusterrolebindings]
  verbs: [get, list, watch]
{{- end -}}

{{/* What policies read when evaluated: ConfigMap context entries (any namespace), the CEL authorizer. */}}
{{- define "palisade.evaluationRules" -}}
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
- apiGroups: [authorization.k8s.io]
  resources: [subjectaccessreviews]
  verbs: [create]
{{- end -}}

{{/* Every process emits Kubernetes events (in the namespace of the object they are about). */}}
{{- define "palisade.eventRules" -}}
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

{{/* The event flags every process takes (docs/decisions/0022). */}}
{{- define "palisade.eventArgs" -}}
- --omit-events={{ join "," .Values.events.omit }}
- --max-queued-events={{ .Values.events.maxQueued }}
{{- end -}}

{{/* The reports controller's writes: one report per resource, stale ones removed. */}}
{{- define "palisade.reportRules" -}}
- apiGroups: [wgpolicyk8s.io]
  resources: [policyreports, clusterpolicyreports]
  verbs: [get, list, create, update, delete]
- apiGroups: [openreports.io]
  resources: [reports, clusterreports]
  verbs: [get, list, create, update, delete]
{{- end -}}

{{/*
A controller in a Deployment of its own (`palisade controller <component>`): its ServiceAccount, the
Deployment, and a Role for its Lease (plus `namespacedRules` in the release namespace).
dict: root, component (cleanup|reports|background), name, replicas, metricsPort, resources, args,
namespacedRules.
*/}}
{{- define "palisade.controllerDeployment" -}}
{{- $root := .root }}
{{- $name := .name -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
spec:
  replicas: {{ .replicas }}
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: palisade
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/component: {{ .component }}-controller
  template:
    metadata:
      labels:
        app.kubernetes.io/name: palisade
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        app.kubernetes.io/component: {{ .component }}-controller
        app.kubernetes.io/part-of: palisade
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: true
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}-controller
          image: {{ printf "%s:%s" $root.Values.image.repository (default $root.Chart.AppVersion $root.Values.image.tag) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            - controller
            - {{ .component }}
            - --namespace={{ $root.Release.Namespace }}
            - --lease-name={{ $name }}
            - --lease-duration={{ $root.Values.serve.leaseDuration }}
            - --renew-deadline={{ $root.Values.serve.renewDeadline }}
            - --retry-period={{ $root.Values.serve.retryPeriod }}
            - --metrics-port={{ .metricsPort }}
            {{- include "palisade.eventArgs" $root | nindent 12 }}
            {{- range .args }}
            - {{ . }}
            {{- end }}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          ports:
            - name: metrics
              containerPort: {{ .metricsPort }}
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /health/liveness
              port: metrics
            {{- toYaml $root.Values.livenessProbe | nindent 12 }}
          {{- if ne .component "cleanup" }}
          # Ready once the policy set is compiled from the cluster.
          readinessProbe:
            httpGet:
              path: /health/readiness
              port: metrics
            {{- toYaml $root.Values.readinessProbe | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml .resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
{{- if $root.Values.rbac.create }}
---
# Its own Lease in the release namespace{{ if .namespacedRules }}, and the records serve's replicas leave there{{ end }}.
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
rules:
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [create]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    resourceNames: [{{ $name }}]
    verbs: [get, update]
  {{- with .namespacedRules }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- if $root.Values.podDisruptionBudget.enabled }}
---
# Voluntary disruptions (node drains) take down at most this many of its replicas at a time: the
# Lease moves to a waiting replica instead of the work stopping.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
spec:
  maxUnavailable: {{ $root.Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      app.kubernetes.io/name: palisade
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/component: {{ .component }}-controller
{{- end }}
{{- if $root.Values.networkPolicy.enabled }}
---
# A controller serves nothing but its metrics and health: ingress only to the metrics port, from
# networkPolicy.metricsFrom (none when empty; the kubelet's probes come from the node, which
# NetworkPolicies do not restrict).
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "palisade.labels" $root | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: palisade
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/component: {{ .component }}-controller
  policyTypes: [Ingress]
  {{- with $root.Values.networkPolicy.metricsFrom }}
  ingress:
    - ports:
        - port: metrics
          protocol: TCP
      from:
        {{- toYaml . | nindent 8 }}
  {{- else }}
  ingress: []
  {{- end }}
{{- end }}
{{- end -}}
