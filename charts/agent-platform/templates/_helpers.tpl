{{/*
Shared helpers of the agent-platform chart. Most take a dict: ctx (the root context $) plus
named arguments, e.g. (dict "ctx" $ "component" "api").
*/}}

{{/* <release>-<component>, at most 63 characters (a valid Service name). */}}
{{- define "ap.fullname" -}}
{{- printf "%s-%s" .ctx.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "ap.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name | quote }}
app.kubernetes.io/instance: {{ .ctx.Release.Name | quote }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end }}

{{/* The recommended labels, on every object. */}}
{{- define "ap.labels" -}}
{{ include "ap.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: agent-platform
app.kubernetes.io/managed-by: {{ .ctx.Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | quote }}
{{- with .ctx.Values.install.name }}
installctl.dev/install: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
Labels of a StatefulSet's volumeClaimTemplates: only the selector labels (as bitnami's charts do).
volumeClaimTemplates are immutable, so a label that changes with the chart (version, helm.sh/chart)
would make every upgrade fail with "spec: Forbidden: updates to statefulset spec ...".
*/}}
{{- define "ap.claimLabels" -}}
{{ include "ap.selectorLabels" . }}
{{- end }}

{{/* Standard metadata block: name + labels (+ annotations). Args: ctx, component, name, annotations (map, optional). */}}
{{- define "ap.metadata" -}}
name: {{ .name | quote }}
labels:
  {{- include "ap.labels" . | nindent 2 }}
{{- with .annotations }}
annotations:
  {{- include "ap.quotedMap" . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
A map of strings (annotations, labels, node selectors) as YAML, every key and value quoted: Go's %q
escapes each control and line-break character, which toYaml writes raw (and YAML 1.1 readers such as
Helm's take NEL and LS for line breaks).
*/}}
{{- define "ap.quotedMap" -}}
{{- $lines := list -}}
{{- range $key := keys . | sortAlpha }}{{ $lines = append $lines (printf "%s: %s" (quote $key) (quote (get $ $key))) }}{{ end -}}
{{- join "\n" $lines -}}
{{- end }}

{{/*
toYaml that fails instead of rendering nothing: Helm's toYaml returns "" for data it cannot write
(a key holding NEL or LS), which would silently drop the whole block.
*/}}
{{- define "ap.yaml" -}}
{{- $text := toYaml . -}}
{{- if not $text }}{{ fail "a key in the values holds a NEL, LS or PS line break, which Helm cannot write" }}{{ end -}}
{{- $text -}}
{{- end }}

{{/*
An image as <registry>/<repository>@<digest>. global.imageRegistry replaces the image's own
registry (hooks, jobs and init containers included). Fails on a missing or malformed digest.
Args: ctx, key (the images.<key> entry).
*/}}
{{- define "ap.image" -}}
{{- $img := index .ctx.Values.images .key | default dict -}}
{{- $digest := get $img "digest" | default "" -}}
{{- if not (regexMatch "^sha256:[a-f0-9]{64}$" $digest) -}}
{{- fail (printf "images.%s.digest must be sha256:<64 lowercase hex> (images run by digest), got %q" .key $digest) -}}
{{- end -}}
{{- $registry := .ctx.Values.global.imageRegistry | default (get $img "registry") | default "" | trimSuffix "/" -}}
{{- if not $registry -}}
{{- fail (printf "images.%s.registry is empty and global.imageRegistry is not set" .key) -}}
{{- end -}}
{{- $repository := get $img "repository" | default "" | trimPrefix "/" -}}
{{- if not $repository -}}
{{- fail (printf "images.%s.repository is empty" .key) -}}
{{- end -}}
{{- printf "%s/%s@%s" $registry $repository $digest -}}
{{- end }}

{{/*
Pod security context (restricted). OpenShift's restricted-v2 SCC assigns the user, group and
fsGroup from the namespace range, so none is pinned there. Args: ctx, uid (default 65532),
fsGroup (bool: the pod writes a persistent volume).
*/}}
{{- define "ap.podSecurityContext" -}}
runAsNonRoot: true
{{- if ne .ctx.Values.global.platform "openshift" }}
runAsUser: {{ .uid | default 65532 }}
runAsGroup: {{ .uid | default 65532 }}
{{- if .fsGroup }}
fsGroup: {{ .uid | default 65532 }}
fsGroupChangePolicy: OnRootMismatch
{{- end }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "ap.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* "true" when a CA bundle (global, SCM or the managed Redis server's) is configured, or PostgreSQL verifies with the trust bundle. */}}
{{- define "ap.caEnabled" -}}
{{- if or .Values.global.caBundle.configMapName .Values.scm.caBundle.configMapName .Values.redis.caBundle.configMapName (eq (include "ap.postgresCaSource" .) "trust") }}true{{ end -}}
{{- end }}

{{/* The trust volumes: the configured CA ConfigMaps plus an emptyDir for the combined bundle. */}}
{{- define "ap.caVolumes" -}}
{{- if include "ap.caEnabled" . }}
- name: ca-trust
  emptyDir:
    sizeLimit: 16Mi
{{- with .Values.global.caBundle }}
{{- if .configMapName }}
- name: ca-global
  configMap:
    name: {{ .configMapName | quote }}
    items:
      - key: {{ .key | quote }}
        path: ca.crt
{{- end }}
{{- end }}
{{- with .Values.scm.caBundle }}
{{- if .configMapName }}
- name: ca-scm
  configMap:
    name: {{ .configMapName | quote }}
    items:
      - key: {{ .key | quote }}
        path: ca.crt
{{- end }}
{{- end }}
{{- with .Values.redis.caBundle }}
{{- if .configMapName }}
- name: ca-redis
  configMap:
    name: {{ .configMapName | quote }}
    items:
      - key: {{ .key | quote }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ap.caVolumeMounts" -}}
{{- if include "ap.caEnabled" . }}
- name: ca-trust
  mountPath: /etc/installctl/trust
  readOnly: true
{{- end }}
{{- end }}

{{/*
Init step that writes /etc/installctl/trust/ca-bundle.crt: the image's system roots first, then
the private CAs (public roots stay trusted). Runs the workload's own image (vendor images ship
/bin/sh). Args: ctx, image.
*/}}
{{- define "ap.caInitContainer" -}}
{{- if include "ap.caEnabled" .ctx }}
- name: ca-bundle
  image: {{ .image | quote }}
  imagePullPolicy: IfNotPresent
  command: ["/bin/sh", "-ec"]
  args:
    - |
      out=/etc/installctl/trust/ca-bundle.crt
      : > "$out"
      for roots in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do
        if [ -s "$roots" ]; then cat "$roots" >> "$out"; break; fi
      done
      for extra in /etc/installctl/ca/*/ca.crt; do
        if [ -s "$extra" ]; then printf '\n' >> "$out"; cat "$extra" >> "$out"; fi
      done
  securityContext:
    {{- include "ap.containerSecurityContext" . | nindent 4 }}
  resources:
    requests: { cpu: 10m, memory: 16Mi }
    limits: { memory: 64Mi }
  volumeMounts:
    - name: ca-trust
      mountPath: /etc/installctl/trust
    {{- if .ctx.Values.global.caBundle.configMapName }}
    - name: ca-global
      mountPath: /etc/installctl/ca/global
      readOnly: true
    {{- end }}
    {{- if .ctx.Values.scm.caBundle.configMapName }}
    - name: ca-scm
      mountPath: /etc/installctl/ca/scm
      readOnly: true
    {{- end }}
    {{- if .ctx.Values.redis.caBundle.configMapName }}
    - name: ca-redis
      mountPath: /etc/installctl/ca/redis
      readOnly: true
    {{- end }}
{{- end }}
{{- end }}

{{/* NO_PROXY: the configured list plus in-cluster destinations. */}}
{{- define "ap.noProxy" -}}
{{- $list := list "localhost" "127.0.0.1" ".svc" ".svc.cluster.local" ".cluster.local" -}}
{{- range splitList "," .Values.global.proxy.noProxy }}{{ if trim . }}{{ $list = append $list (trim .) }}{{ end }}{{ end -}}
{{- uniq $list | join "," -}}
{{- end }}

{{/* Environment of a container that makes outbound TLS calls: trust bundle and proxy. */}}
{{- define "ap.outboundEnv" -}}
{{- if include "ap.caEnabled" . }}
{{- range list "SSL_CERT_FILE" "NODE_EXTRA_CA_CERTS" "REQUESTS_CA_BUNDLE" "CURL_CA_BUNDLE" "GIT_SSL_CAINFO" "AWS_CA_BUNDLE" }}
- name: {{ . | quote }}
  value: /etc/installctl/trust/ca-bundle.crt
{{- end }}
{{- end }}
{{- with .Values.global.proxy.httpsProxy }}
{{- range list "HTTPS_PROXY" "https_proxy" "HTTP_PROXY" "http_proxy" }}
- name: {{ . | quote }}
  value: {{ $.Values.global.proxy.httpsProxy | quote }}
{{- end }}
{{- $noProxy := include "ap.noProxy" $ }}
- name: NO_PROXY
  value: {{ $noProxy | quote }}
- name: no_proxy
  value: {{ $noProxy | quote }}
{{- end }}
{{- end }}

{{/* A secretKeyRef env entry. Args: name, secretName, key. */}}
{{- define "ap.secretEnv" -}}
- name: {{ .name | quote }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName | quote }}
      key: {{ .key | quote }}
{{- end }}

{{/* PostgreSQL connection settings; credentials only as Secret references. */}}
{{- define "ap.databaseEnv" -}}
{{- $pg := .Values.postgres }}
{{- $bundledPg := eq $pg.mode "bundled" }}
- name: DATABASE_HOST
  value: {{ ternary (include "ap.fullname" (dict "ctx" . "component" "postgres")) $pg.host $bundledPg | quote }}
- name: DATABASE_PORT
  value: {{ ternary 5432 $pg.port $bundledPg | quote }}
- name: DATABASE_NAME
  value: {{ $pg.database | quote }}
{{- include "ap.postgresTlsEnv" . | nindent 0 }}
- name: DATABASE_AUTH
  value: {{ $pg.auth | quote }}
{{- if $pg.credentials.secretName }}
{{- include "ap.secretEnv" (dict "name" "DATABASE_USER" "secretName" $pg.credentials.secretName "key" $pg.credentials.usernameKey) | nindent 0 }}
{{- if eq $pg.auth "password" }}
{{- include "ap.secretEnv" (dict "name" "DATABASE_PASSWORD" "secretName" $pg.credentials.secretName "key" $pg.credentials.passwordKey) | nindent 0 }}
{{- end }}
{{- else }}
{{- /* IAM auth: the database user the cloud grants the platform identity (infrastructure values layer). */}}
- name: DATABASE_USER
  value: {{ $pg.user | quote }}
{{- end }}
{{- end }}

{{/* Datastore connection settings (PostgreSQL, Redis, RabbitMQ); credentials only as Secret references. */}}
{{- define "ap.datastoreEnv" -}}
{{ include "ap.databaseEnv" . }}
{{- $redis := .Values.redis }}
{{- $bundledRedis := eq $redis.mode "bundled" }}
- name: REDIS_HOST
  value: {{ ternary (include "ap.fullname" (dict "ctx" . "component" "redis")) $redis.host $bundledRedis | quote }}
- name: REDIS_PORT
  value: {{ ternary 6379 $redis.port $bundledRedis | quote }}
- name: REDIS_TLS
  value: {{ and $redis.tls (not $bundledRedis) | quote }}
{{- if $redis.credentials.secretName }}
{{- include "ap.secretEnv" (dict "name" "REDIS_PASSWORD" "secretName" $redis.credentials.secretName "key" $redis.credentials.passwordKey) | nindent 0 }}
{{- end }}
{{- $mq := .Values.rabbitmq }}
{{- $bundledMq := eq $mq.mode "bundled" }}
- name: RABBITMQ_HOST
  value: {{ ternary (include "ap.fullname" (dict "ctx" . "component" "rabbitmq")) $mq.host $bundledMq | quote }}
- name: RABBITMQ_PORT
  value: {{ ternary 5672 $mq.port $bundledMq | quote }}
- name: RABBITMQ_TLS
  value: {{ and $mq.tls (not $bundledMq) | quote }}
{{- include "ap.secretEnv" (dict "name" "RABBITMQ_USERNAME" "secretName" $mq.credentials.secretName "key" $mq.credentials.usernameKey) | nindent 0 }}
{{- include "ap.secretEnv" (dict "name" "RABBITMQ_PASSWORD" "secretName" $mq.credentials.secretName "key" $mq.credentials.passwordKey) | nindent 0 }}
{{- end }}

{{/* SCM credentials (Secret references) for the components that talk to the SCM. */}}
{{- define "ap.scmEnv" -}}
{{- $secrets := .Values.scm.auth.secrets }}
{{- range $credential, $env := dict "privateKey" "SCM_APP_PRIVATE_KEY" "token" "SCM_TOKEN" "clientSecret" "SCM_CLIENT_SECRET" "webhookSecret" "SCM_WEBHOOK_SECRET" }}
{{- with get $secrets $credential }}
{{- include "ap.secretEnv" (dict "name" $env "secretName" .secretName "key" .key) | nindent 0 }}
{{- end }}
{{- end }}
{{- end }}

{{/* Service account name and annotations per identity ("platform" or "aiGateway"). */}}
{{- define "ap.serviceAccountName" -}}
{{- (get .ctx.Values.serviceAccounts .identity).name -}}
{{- end }}

{{/*
Workload-identity annotations for a service account, by platform. values supply the ids
(serviceAccounts.workloadIdentity.{roleArns,clientIds,gcpServiceAccounts}, keyed by service
account name) or the annotations themselves. Args: ctx, identity. Output: a JSON map (maybe empty; JSON, not YAML, so that any key or value survives the round trip).
*/}}
{{- define "ap.identityAnnotations" -}}
{{- $sa := get .ctx.Values.serviceAccounts .identity -}}
{{- $wi := .ctx.Values.serviceAccounts.workloadIdentity | default dict -}}
{{- $out := deepCopy ($sa.annotations | default dict) -}}
{{- $platform := .ctx.Values.global.platform -}}
{{- if eq $platform "aws" }}{{ with get (get $wi "roleArns" | default dict) $sa.name }}{{ $_ := set $out "eks.amazonaws.com/role-arn" . }}{{ end }}{{ end -}}
{{- if eq $platform "azure" }}{{ with get (get $wi "clientIds" | default dict) $sa.name }}{{ $_ := set $out "azure.workload.identity/client-id" . }}{{ end }}{{ end -}}
{{- if eq $platform "gcp" }}{{ with get (get $wi "gcpServiceAccounts" | default dict) $sa.name }}{{ $_ := set $out "iam.gke.io/gcp-service-account" . }}{{ end }}{{ end -}}
{{- toJson $out -}}
{{- end }}

{{/* "true" when pods of this identity use Azure workload identity (label azure.workload.identity/use). */}}
{{- define "ap.azureIdentity" -}}
{{- if eq .ctx.Values.global.platform "azure" -}}
{{- $annotations := include "ap.identityAnnotations" . | fromJson -}}
{{- if hasKey $annotations "azure.workload.identity/client-id" }}true{{ end -}}
{{- end -}}
{{- end }}

{{/* Pod template labels: selector labels, recommended labels, platform identity label. Args: ctx, component, identity, extra (map). */}}
{{- define "ap.podLabels" -}}
{{ include "ap.labels" . }}
{{- with .extra }}
{{ include "ap.quotedMap" . }}
{{- end }}
{{- if and .identity (include "ap.azureIdentity" .) }}
azure.workload.identity/use: "true"
{{- end }}
{{- if and .identity (include "ap.cloudIdentity" .) }}
installctl.dev/cloud-identity: "true"
{{- end }}
{{- end }}

{{/* HTTP probes on the named port "http". Args: ready, live (paths). */}}
{{- define "ap.probes" -}}
readinessProbe:
  httpGet: { path: {{ .ready | quote }}, port: http }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
livenessProbe:
  httpGet: { path: {{ .live | quote }}, port: http }
  periodSeconds: 20
  timeoutSeconds: 5
  failureThreshold: 3
startupProbe:
  httpGet: { path: {{ .live | quote }}, port: http }
  periodSeconds: 5
  failureThreshold: 60
{{- end }}


{{/*
The ingress class: ingress.className, else the platform's default. Azure: the AKS application
routing add-on (managed NGINX), which installctl enables on the clusters it creates; AGIC
(azure-application-gateway) would need an Application Gateway that no install creates.
*/}}
{{- define "ap.ingressClass" -}}
{{- $v := .Values -}}
{{- $internal := eq $v.ingress.exposure "internal" -}}
{{- $defaults := dict "aws" "alb" "azure" "webapprouting.kubernetes.azure.com" "gcp" (ternary "gce-internal" "gce" $internal) "openshift" "" "rancher" "nginx" "vanilla" "nginx" -}}
{{- $v.ingress.className | default (get $defaults $v.global.platform) -}}
{{- end }}

{{/* Exposed components: component -> path, most specific first (the portal takes "/"). */}}
{{- define "ap.exposedPaths" -}}
{{- $paths := list (dict "component" "api" "path" "/api") (dict "component" "identity" "path" "/oidc") -}}
{{- if eq .Values.scm.webhooks.delivery "ingress" -}}
{{- $paths = append $paths (dict "component" "git-gateway" "path" .Values.scm.webhooks.path) -}}
{{- end -}}
{{- toJson (append $paths (dict "component" "portal" "path" "/")) -}}
{{- end }}

{{/* "true" when OpenShift Routes re-encrypt to the pods (service-serving certificates). */}}
{{- define "ap.reencrypt" -}}
{{- if and (eq .Values.global.platform "openshift") (eq .Values.ingress.routeTermination "reencrypt") }}true{{ end -}}
{{- end }}
