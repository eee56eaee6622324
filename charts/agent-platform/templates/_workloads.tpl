{{/*
The workload building blocks of the agent-platform chart: the component pod template, a
component Deployment, its Service and per-platform Service annotations. Shared helpers (labels,
images, security contexts, trust and proxy environment) are in _helpers.tpl.
*/}}

{{/*
"true" when the migration Job can run as a pre-install/pre-upgrade hook: only when every datastore
is external. Hooks run before the release's regular objects exist, so a hook that waited for a
bundled datastore (a regular StatefulSet and Service) would never finish on a first install.
*/}}
{{- define "ap.migrationsHook" -}}
{{- if not (or (eq .Values.postgres.mode "bundled") (eq .Values.redis.mode "bundled") (eq .Values.rabbitmq.mode "bundled")) }}true{{ end -}}
{{- end }}

{{/*
Init step of every database client while the migration runs as a regular Job (bundled
datastores): `migrate --wait-for-schema` exits 0 once the database schema is at the version of
this release's migrations image, so the workloads start only after the Job has migrated it.
Args: ctx.
*/}}
{{- define "ap.waitForSchemaContainer" -}}
{{- $ctx := .ctx -}}
- name: wait-for-schema
  image: {{ include "ap.image" (dict "ctx" $ctx "key" "migrations") | quote }}
  imagePullPolicy: IfNotPresent
  args: ["migrate", "--wait-for-schema=1800s"]
  env:
    - name: HOME
      value: /tmp
    {{- include "ap.databaseEnv" $ctx | trim | nindent 4 }}
    {{- with include "ap.outboundEnv" $ctx | trim }}{{ . | nindent 4 }}{{ end }}
  securityContext:
    {{- include "ap.containerSecurityContext" . | nindent 4 }}
  resources:
    requests: { cpu: 10m, memory: 64Mi }
    limits: { memory: 256Mi }
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with include "ap.caVolumeMounts" $ctx | trim }}{{ . | nindent 4 }}{{ end }}
    {{- with include "ap.postgresCaVolumeMounts" $ctx | trim }}{{ . | nindent 4 }}{{ end }}
{{- end }}

{{/*
The pod template of a platform component (Deployments, the git gateway StatefulSet, the
migration Job). Args:
  ctx, component, imageKey, identity ("platform" | "aiGateway"), resources,
  outbound (bool: makes outbound TLS calls -> CA bundle + proxy), datastores (bool), scm (bool),
  egress (bool: may open HTTPS connections to the internet when connected),
  ingress (bool: reached through the ingress), port (default 8080; 0: none), ready, live (probe
  paths; none for Jobs), env (list), args (list), volumes (list), mounts (list), fsGroup (bool),
  restartPolicy, annotations (map), spread (bool: spread replicas across nodes and zones),
  noConfig (bool: no platform ConfigMap, for hooks that run before it exists), serviceAccount.
Database clients other than the migration Job wait for the schema (ap.waitForSchemaContainer)
unless the migration runs as a hook.
*/}}
{{- define "ap.podTemplate" -}}
{{- $ctx := .ctx -}}
{{- $image := include "ap.image" (dict "ctx" $ctx "key" .imageKey) -}}
{{- $port := .port | default 8080 | int -}}
{{- $servingTls := and .ingress (include "ap.reencrypt" $ctx) -}}
{{- $extra := dict -}}
{{- if .outbound }}{{ $_ := set $extra "installctl.dev/outbound" "true" }}{{ end -}}
{{- if .egress }}{{ $_ := set $extra "installctl.dev/egress-https" "true" }}{{ end -}}
{{- if .datastores }}{{ $_ := set $extra "installctl.dev/datastores" "true" }}{{ end -}}
{{- if .scm }}{{ $_ := set $extra "installctl.dev/scm" "true" }}{{ end -}}
{{- if .ingress }}{{ $_ := set $extra "installctl.dev/ingress" "true" }}{{ end -}}
metadata:
  labels:
    {{- include "ap.podLabels" (dict "ctx" $ctx "component" .component "identity" .identity "extra" $extra) | nindent 4 }}
  {{- $annotations := deepCopy (.annotations | default dict) }}
  {{- if not .noConfig }}
  {{- /* Rendering configmaps.yaml is the costliest step of the chart: do it once per release, not per workload. */}}
  {{- if not (hasKey $ctx "installctlConfigChecksum") }}{{ $_ := set $ctx "installctlConfigChecksum" (include (print $ctx.Template.BasePath "/configmaps.yaml") $ctx | sha256sum) }}{{ end }}
  {{- $_ := set $annotations "checksum/config" (get $ctx "installctlConfigChecksum") }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- include "ap.quotedMap" . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ .serviceAccount | default (include "ap.serviceAccountName" (dict "ctx" $ctx "identity" (.identity | default "platform"))) | quote }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  {{- with $ctx.Values.global.imagePullSecrets }}
  imagePullSecrets:
    {{- include "ap.yaml" . | nindent 4 }}
  {{- end }}
  {{- with .restartPolicy }}
  restartPolicy: {{ . | quote }}
  {{- end }}
  securityContext:
    {{- include "ap.podSecurityContext" (dict "ctx" $ctx "fsGroup" .fsGroup) | nindent 4 }}
  {{- if .spread }}
  topologySpreadConstraints:
    {{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
    - maxSkew: 1
      topologyKey: {{ . | quote }}
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "ap.selectorLabels" (dict "ctx" $ctx "component" $.component) | nindent 10 }}
    {{- end }}
  {{- end }}
  {{- $init := list }}
  {{- if .outbound }}{{ with include "ap.caInitContainer" (dict "ctx" $ctx "image" $image) | trim }}{{ $init = append $init . }}{{ end }}{{ end }}
  {{- if and .datastores (ne .component "migrations") (not (include "ap.migrationsHook" $ctx)) }}
  {{- $init = append $init (include "ap.waitForSchemaContainer" (dict "ctx" $ctx) | trim) }}
  {{- end }}
  {{- if $init }}
  initContainers:
    {{- range $init }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- end }}
  containers:
    - name: {{ .component | quote }}
      image: {{ $image | quote }}
      imagePullPolicy: IfNotPresent
      {{- with .args }}
      args:
        {{- include "ap.yaml" . | nindent 8 }}
      {{- end }}
      {{- if $port }}
      ports:
        - name: http
          containerPort: {{ $port }}
          protocol: TCP
        {{- if $servingTls }}
        - name: https
          containerPort: 8443
          protocol: TCP
        {{- end }}
      {{- end }}
      env:
        {{- if not .noConfig }}
        - name: CONFIG_FILE
          value: /etc/agent-platform/platform.yaml
        {{- end }}
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: HOME
          value: /tmp
        {{- if $servingTls }}
        - name: SERVING_TLS_CERT_FILE
          value: /etc/installctl/serving-tls/tls.crt
        - name: SERVING_TLS_KEY_FILE
          value: /etc/installctl/serving-tls/tls.key
        {{- end }}
        {{- with .env }}
        {{- include "ap.yaml" . | nindent 8 }}
        {{- end }}
        {{- if .datastores }}
        {{- include "ap.datastoreEnv" $ctx | trim | nindent 8 }}
        {{- end }}
        {{- if .scm }}
        {{- with include "ap.scmEnv" $ctx | trim }}{{ . | nindent 8 }}{{ end }}
        {{- end }}
        {{- if .outbound }}
        {{- with include "ap.outboundEnv" $ctx | trim }}{{ . | nindent 8 }}{{ end }}
        {{- end }}
      resources:
        {{- include "ap.yaml" .resources | nindent 8 }}
      {{- if and $port .ready }}
      {{- include "ap.probes" . | nindent 6 }}
      {{- end }}
      securityContext:
        {{- include "ap.containerSecurityContext" . | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if not .noConfig }}
        - name: config
          mountPath: /etc/agent-platform
          readOnly: true
        {{- end }}
        {{- if .outbound }}
        {{- with include "ap.caVolumeMounts" $ctx | trim }}{{ . | nindent 8 }}{{ end }}
        {{- end }}
        {{- if .datastores }}
        {{- with include "ap.postgresCaVolumeMounts" $ctx | trim }}{{ . | nindent 8 }}{{ end }}
        {{- end }}
        {{- if $servingTls }}
        - name: serving-tls
          mountPath: /etc/installctl/serving-tls
          readOnly: true
        {{- end }}
        {{- with .mounts }}
        {{- include "ap.yaml" . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 1Gi
    {{- if not .noConfig }}
    - name: config
      configMap:
        name: {{ include "ap.fullname" (dict "ctx" $ctx "component" "config") | quote }}
    {{- end }}
    {{- if .outbound }}
    {{- with include "ap.caVolumes" $ctx | trim }}{{ . | nindent 4 }}{{ end }}
    {{- end }}
    {{- if .datastores }}
    {{- with include "ap.postgresCaVolumes" $ctx | trim }}{{ . | nindent 4 }}{{ end }}
    {{- end }}
    {{- if $servingTls }}
    - name: serving-tls
      secret:
        secretName: {{ printf "%s-serving-tls" (include "ap.fullname" .) | quote }}
    {{- end }}
    {{- with .volumes }}
    {{- include "ap.yaml" . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* A component Deployment (+ ClusterIP Service unless service=false). Args: as ap.podTemplate plus replicas, service (bool). */}}
{{- define "ap.deployment" -}}
{{- $name := include "ap.fullname" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "ap.metadata" (dict "ctx" .ctx "component" .component "name" $name) | nindent 2 }}
spec:
  replicas: {{ .replicas | toJson }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "ap.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  template:
    {{- include "ap.podTemplate" (merge (dict "spread" (gt (int .replicas) 1)) .) | nindent 4 }}
{{- if .service }}
---
{{ include "ap.service" . }}
{{- end }}
{{- end }}

{{/* ClusterIP Service on port 80 -> http. Args: ctx, component, annotations (map). */}}
{{- define "ap.service" -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "ap.metadata" (dict "ctx" .ctx "component" .component "name" (include "ap.fullname" .) "annotations" (include "ap.serviceAnnotations" . | fromJson)) | nindent 2 }}
spec:
  type: ClusterIP
  selector:
    {{- include "ap.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
      appProtocol: http
    {{- if and .ingress (include "ap.reencrypt" .ctx) }}
    - name: https
      port: 443
      targetPort: https
      protocol: TCP
      appProtocol: https
    {{- end }}
{{- end }}

{{/* Per-platform Service annotations for services behind the ingress (health checks, HTTP/1.1 backends). */}}
{{- define "ap.serviceAnnotations" -}}
{{- $out := dict -}}
{{- if .ingress -}}
{{- $platform := .ctx.Values.global.platform -}}
{{- if eq $platform "aws" -}}
{{- $_ := set $out "alb.ingress.kubernetes.io/healthcheck-path" .ready -}}
{{- $_ := set $out "alb.ingress.kubernetes.io/backend-protocol-version" "HTTP1" -}}
{{- else if eq $platform "gcp" -}}
{{- $_ := set $out "cloud.google.com/neg" "{\"ingress\": true}" -}}
{{- $_ := set $out "cloud.google.com/app-protocols" "{\"http\": \"HTTP\"}" -}}
{{- else if include "ap.reencrypt" .ctx -}}
{{- $_ := set $out "service.beta.openshift.io/serving-cert-secret-name" (printf "%s-serving-tls" (include "ap.fullname" .)) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}
