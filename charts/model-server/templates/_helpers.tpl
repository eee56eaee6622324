{{/*
Shared helpers of the model-server chart. Most take a dict: ctx (the root context $) plus named
arguments.
*/}}

{{/* The Service (and HPA/PDB) name of a model: its name with '.' -> '-' (a DNS-1035 label). */}}
{{- define "ms.serviceName" -}}
{{- . | replace "." "-" | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* Selector labels. Args: ctx, component, model (optional). */}}
{{- define "ms.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name | quote }}
app.kubernetes.io/instance: {{ .ctx.Release.Name | quote }}
app.kubernetes.io/component: {{ .component | quote }}
{{- with .model }}
installctl.dev/model: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "ms.labels" -}}
{{ include "ms.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: agent-platform
app.kubernetes.io/managed-by: {{ .ctx.Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | quote }}
{{- end }}

{{/* Args: ctx, component, model, name, annotations. */}}
{{- define "ms.metadata" -}}
name: {{ .name | quote }}
labels:
  {{- include "ms.labels" . | nindent 2 }}
{{- with .annotations }}
annotations:
  {{- include "ms.quotedMap" . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
A map of strings (annotations, labels, node selectors) as YAML, every key and value quoted: Go's %q
escapes each control and line-break character, which toYaml writes raw (and YAML 1.1 readers such as
Helm's take NEL and LS for line breaks).
*/}}
{{- define "ms.quotedMap" -}}
{{- $lines := list -}}
{{- range $key := keys . | sortAlpha }}{{ $lines = append $lines (printf "%s: %s" (quote $key) (quote (get $ $key))) }}{{ end -}}
{{- join "\n" $lines -}}
{{- end }}

{{/*
toYaml that fails instead of rendering nothing: Helm's toYaml returns "" for data it cannot write
(a key holding NEL or LS), which would silently drop the whole block.
*/}}
{{- define "ms.yaml" -}}
{{- $text := toYaml . -}}
{{- if not $text }}{{ fail "a key in the values holds a NEL, LS or PS line break, which Helm cannot write" }}{{ end -}}
{{- $text -}}
{{- end }}

{{/* <registry>/<repository>@<digest>; global.imageRegistry replaces the registry. Args: ctx, key. */}}
{{- define "ms.image" -}}
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

{{- define "ms.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Restricted pod security; no pinned ids on OpenShift (the SCC assigns them). Args: ctx, fsGroup. */}}
{{- define "ms.podSecurityContext" -}}
runAsNonRoot: true
{{- if ne .ctx.Values.global.platform "openshift" }}
runAsUser: 1000
runAsGroup: 1000
{{- if .fsGroup }}
fsGroup: 1000
fsGroupChangePolicy: OnRootMismatch
{{- end }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Init step: system roots + global.caBundle -> /etc/installctl/trust/ca-bundle.crt. Args: ctx, image. */}}
{{- define "ms.caInitContainer" -}}
{{- if .ctx.Values.global.caBundle.configMapName }}
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
      printf '\n' >> "$out"
      cat /etc/installctl/ca/global/ca.crt >> "$out"
  securityContext:
    {{- include "ms.containerSecurityContext" . | nindent 4 }}
  resources:
    requests: { cpu: 10m, memory: 16Mi }
    limits: { memory: 64Mi }
  volumeMounts:
    - name: ca-trust
      mountPath: /etc/installctl/trust
    - name: ca-global
      mountPath: /etc/installctl/ca/global
      readOnly: true
{{- end }}
{{- end }}

{{- define "ms.caVolumes" -}}
{{- with .Values.global.caBundle }}
{{- if .configMapName }}
- name: ca-trust
  emptyDir:
    sizeLimit: 16Mi
- name: ca-global
  configMap:
    name: {{ .configMapName | quote }}
    items:
      - key: {{ .key | quote }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}

{{- define "ms.caVolumeMounts" -}}
{{- if .Values.global.caBundle.configMapName }}
- name: ca-trust
  mountPath: /etc/installctl/trust
  readOnly: true
{{- end }}
{{- end }}

{{/* Trust-bundle and proxy environment of containers that make outbound TLS calls. */}}
{{- define "ms.outboundEnv" -}}
{{- if .Values.global.caBundle.configMapName }}
{{- range list "SSL_CERT_FILE" "REQUESTS_CA_BUNDLE" "CURL_CA_BUNDLE" "AWS_CA_BUNDLE" "NODE_EXTRA_CA_CERTS" }}
- name: {{ . | quote }}
  value: /etc/installctl/trust/ca-bundle.crt
{{- end }}
{{- end }}
{{- with .Values.global.proxy.httpsProxy }}
{{- range list "HTTPS_PROXY" "https_proxy" "HTTP_PROXY" "http_proxy" }}
- name: {{ . | quote }}
  value: {{ $.Values.global.proxy.httpsProxy | quote }}
{{- end }}
{{- $list := list "localhost" "127.0.0.1" ".svc" ".svc.cluster.local" ".cluster.local" }}
{{- range splitList "," $.Values.global.proxy.noProxy }}{{ if trim . }}{{ $list = append $list (trim .) }}{{ end }}{{ end }}
- name: NO_PROXY
  value: {{ uniq $list | join "," | quote }}
- name: no_proxy
  value: {{ uniq $list | join "," | quote }}
{{- end }}
{{- end }}

{{/* Workload-identity annotations of the model-server service account, by platform (a JSON map, maybe empty). */}}
{{- define "ms.identityAnnotations" -}}
{{- $out := deepCopy (.Values.serviceAccount.annotations | default dict) -}}
{{- $wi := .Values.workloadIdentity -}}
{{- $platform := .Values.global.platform -}}
{{- if and (eq $platform "aws") (get $wi "roleArn") }}{{ $_ := set $out "eks.amazonaws.com/role-arn" (get $wi "roleArn") }}{{ end -}}
{{- if and (eq $platform "azure") (get $wi "clientId") }}{{ $_ := set $out "azure.workload.identity/client-id" (get $wi "clientId") }}{{ end -}}
{{- if and (eq $platform "gcp") (get $wi "gcpServiceAccount") }}{{ $_ := set $out "iam.gke.io/gcp-service-account" (get $wi "gcpServiceAccount") }}{{ end -}}
{{- toJson $out -}}
{{- end }}

{{/* GPU node selector of the preset (a JSON map), plus gpu.nodeSelector. */}}
{{- define "ms.gpuNodeSelector" -}}
{{- $gpu := .Values.gpu -}}
{{- $keys := dict "eks" "node.kubernetes.io/instance-type" "aks" "kubernetes.azure.com/accelerator" "gke" "cloud.google.com/gke-accelerator" "gpu-feature-discovery" "nvidia.com/gpu.product" -}}
{{- $out := deepCopy ($gpu.nodeSelector | default dict) -}}
{{- with get $keys $gpu.preset -}}
{{- $value := $gpu.selectorValue | default (ternary "nvidia" "" (eq $gpu.preset "aks")) -}}
{{- $_ := set $out . $value -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/* A model's effective settings: the model entry over defaults (JSON). */}}
{{- define "ms.model" -}}
{{- $d := .ctx.Values.defaults -}}
{{- $m := .model -}}
{{- $volume := merge (deepCopy (get $m "weightsVolume" | default dict)) (deepCopy $d.weightsVolume) -}}
{{- toJson (dict
  "name" $m.name
  "role" (get $m "role" | default "chat")
  "tp" (int $m.tensorParallelSize)
  "gpus" (int $m.gpuCount)
  "replicas" (get $m "replicas" | default $d.replicas | int)
  "maxModelLen" (get $m "maxModelLen" | default 0 | int)
  "gpuMemoryUtilization" (get $m "gpuMemoryUtilization" | default $d.gpuMemoryUtilization)
  "resources" (get $m "resources" | default $d.resources)
  "shmSize" (get $m "shmSize" | default $d.shmSize)
  "startupProbe" (merge (deepCopy (get $m "startupProbe" | default dict)) (deepCopy $d.startupProbe))
  "weights" (get $m "weights" | default dict)
  "weightsVolume" $volume
  "extraArgs" (get $m "extraArgs" | default list)) -}}
{{- end }}

{{/*
The blocking init container that fills /models/weights from oci / s3 / gcs / azure-blob before
vLLM starts (never a postStart hook). Args: ctx, args (list), source, env (rendered list).
*/}}
{{- define "ms.fetcher" -}}
{{- $v := .ctx.Values -}}
- name: fetch-weights
  image: {{ include "ms.image" (dict "ctx" .ctx "key" "fetcher") | quote }}
  imagePullPolicy: IfNotPresent
  args:
    {{- include "ms.yaml" .args | nindent 4 }}
  env:
    - name: HOME
      value: /tmp
    {{- if and (eq .source "oci") $v.global.imagePullSecrets }}
    - name: DOCKER_CONFIG
      value: /etc/installctl/registry
    {{- end }}
    {{- with .env }}
    {{- . | nindent 4 }}
    {{- end }}
  resources:
    {{- include "ms.yaml" $v.defaults.fetcherResources | nindent 4 }}
  securityContext:
    {{- include "ms.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - name: models
      mountPath: /models
    - name: tmp
      mountPath: /tmp
    {{- if and (eq .source "oci") $v.global.imagePullSecrets }}
    - name: registry-auth
      mountPath: /etc/installctl/registry
      readOnly: true
    {{- end }}
    {{- with include "ms.caVolumeMounts" .ctx | trim }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* Where the weights Job leaves its marker (the reference it loaded): in the weights directory. Args: weights. */}}
{{- define "ms.weightsMarker" -}}
{{- $path := get .weights "path" | default "" | trimAll "/" -}}
{{- printf "/models/%s/.installctl-weights" $path | replace "//" "/" -}}
{{- end }}

{{/*
Init step of a model whose claim the release creates and fills (weights.create): waits until the
weights Job wrote its marker for this reference, so vLLM never starts on a half-filled claim.
Args: ctx, image (the vLLM image: it has a shell), weights.
*/}}
{{- define "ms.waitForWeights" -}}
- name: wait-for-weights
  image: {{ .image | quote }}
  imagePullPolicy: IfNotPresent
  command: ["/bin/sh", "-ec"]
  args:
    - 'until [ "$(cat "$MARKER" 2>/dev/null)" = "$WEIGHTS_REFERENCE" ]; do echo "waiting for the weights Job to fill $MARKER"; sleep 15; done'
  env:
    - name: MARKER
      value: {{ include "ms.weightsMarker" . | quote }}
    - name: WEIGHTS_REFERENCE
      value: {{ .weights.create.reference | quote }}
  securityContext:
    {{- include "ms.containerSecurityContext" . | nindent 4 }}
  resources:
    requests: { cpu: 10m, memory: 16Mi }
    limits: { memory: 64Mi }
  volumeMounts:
    - name: models
      mountPath: /models
      readOnly: true
{{- end }}

{{/*
The pod template of a weights Job (weights.yaml): init steps (CA bundle, the fetcher), then the
marker. Args: ctx, labels (metadata args), model (ms.model), weights, init (rendered init steps), image (vLLM).
*/}}
{{- define "ms.weightsPod" -}}
{{- $v := .ctx.Values -}}
metadata:
  labels:
    {{- include "ms.labels" .labels | nindent 4 }}
    {{- if ne $v.global.network "air-gapped" }}
    installctl.dev/egress-https: "true"
    {{- end }}
spec:
  restartPolicy: Never
  serviceAccountName: {{ $v.serviceAccount.name | quote }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  {{- with $v.global.imagePullSecrets }}
  imagePullSecrets:
    {{- include "ms.yaml" . | nindent 4 }}
  {{- end }}
  {{- if eq .weights.create.accessMode "ReadWriteOnce" }}
  # The claim attaches to one node: the node the model's pod runs on.
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "ms.selectorLabels" (dict "ctx" .ctx "component" "model" "model" .model.name) | nindent 14 }}
  {{- with $v.gpu.tolerations }}
  tolerations:
    {{- include "ms.yaml" . | nindent 4 }}
  {{- end }}
  {{- end }}
  securityContext:
    {{- include "ms.podSecurityContext" (dict "ctx" .ctx "fsGroup" true) | nindent 4 }}
  initContainers:
    {{- .init | nindent 4 }}
  containers:
    - name: mark-filled
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      command: ["/bin/sh", "-ec"]
      args:
        - 'printf "%s" "$WEIGHTS_REFERENCE" > "$MARKER"'
      env:
        - name: MARKER
          value: {{ include "ms.weightsMarker" . | quote }}
        - name: WEIGHTS_REFERENCE
          value: {{ .weights.create.reference | quote }}
      securityContext:
        {{- include "ms.containerSecurityContext" . | nindent 8 }}
      resources:
        requests: { cpu: 10m, memory: 16Mi }
        limits: { memory: 64Mi }
      volumeMounts:
        - name: models
          mountPath: /models
  volumes:
    - name: models
      persistentVolumeClaim:
        claimName: {{ .weights.claimName | quote }}
    - name: tmp
      emptyDir:
        sizeLimit: 4Gi
    {{- if $v.global.imagePullSecrets }}
    - name: registry-auth
      secret:
        secretName: {{ (first $v.global.imagePullSecrets).name | quote }}
        items:
          - key: .dockerconfigjson
            path: config.json
    {{- end }}
    {{- with include "ms.caVolumes" .ctx | trim }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}
