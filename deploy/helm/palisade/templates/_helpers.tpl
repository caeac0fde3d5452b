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

{{- define "palisade.cleanupSelectorLabels" -}}
app.kubernetes.io/name: palisade
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: cleanup-controller
{{- end -}}
