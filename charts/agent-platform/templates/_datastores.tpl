{{/*
A bundled datastore: a single-replica StatefulSet with one PVC, restricted security, probes, and
a ClusterIP Service. Credentials come only from existing Secrets. Args: ctx, component, imageKey,
uid, port, portName, dataPath, values (postgres|redis|rabbitmq values), env (list), args (list),
command (list), readiness/liveness (probe maps), mounts/volumes (lists).
*/}}
{{- define "ap.datastore" -}}
{{- $ctx := .ctx -}}
{{- $name := include "ap.fullname" . -}}
{{- $storage := .values.bundled.storage -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "ap.metadata" (dict "ctx" $ctx "component" .component "name" $name) | nindent 2 }}
spec:
  serviceName: {{ $name | quote }}
  replicas: 1
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "ap.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ap.labels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "ap.fullname" (dict "ctx" $ctx "component" "datastore") | quote }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $ctx.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- include "ap.yaml" . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "ap.podSecurityContext" (dict "ctx" $ctx "uid" .uid "fsGroup" true) | nindent 8 }}
      terminationGracePeriodSeconds: 60
      containers:
        - name: {{ .component | quote }}
          image: {{ include "ap.image" (dict "ctx" $ctx "key" .imageKey) | quote }}
          imagePullPolicy: IfNotPresent
          {{- with .command }}
          command:
            {{- include "ap.yaml" . | nindent 12 }}
          {{- end }}
          {{- with .args }}
          args:
            {{- include "ap.yaml" . | nindent 12 }}
          {{- end }}
          ports:
            - name: {{ .portName | quote }}
              containerPort: {{ .port }}
              protocol: TCP
          env:
            {{- include "ap.yaml" .env | nindent 12 }}
          resources:
            {{- include "ap.yaml" .values.bundled.resources | nindent 12 }}
          startupProbe:
            {{- include "ap.yaml" .liveness | nindent 12 }}
            periodSeconds: 10
            failureThreshold: 60
          readinessProbe:
            {{- include "ap.yaml" .readiness | nindent 12 }}
            periodSeconds: 10
            timeoutSeconds: 5
          livenessProbe:
            {{- include "ap.yaml" .liveness | nindent 12 }}
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 6
          securityContext:
            {{- include "ap.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: {{ .dataPath | quote }}
            - name: tmp
              mountPath: /tmp
            {{- with .mounts }}
            {{- include "ap.yaml" . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- with .volumes }}
        {{- include "ap.yaml" . | nindent 8 }}
        {{- end }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "ap.claimLabels" . | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        {{- with $storage.storageClass }}
        storageClassName: {{ . | quote }}
        {{- end }}
        resources:
          requests:
            storage: {{ $storage.size | toJson }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "ap.metadata" (dict "ctx" $ctx "component" .component "name" $name) | nindent 2 }}
spec:
  type: ClusterIP
  selector:
    {{- include "ap.selectorLabels" . | nindent 4 }}
  ports:
    - name: {{ .portName | quote }}
      port: {{ .port }}
      targetPort: {{ .portName | quote }}
      protocol: TCP
{{- end }}

{{/*
PostgreSQL TLS: where libpq finds the CAs it verifies the server with (PGSSLROOTCERT), from postgres.sslMode and
postgres.serverCa. Output:
  configmap  postgres.serverCa.configMapName, an existing ConfigMap (AWS: the RDS global bundle the runbook creates);
  chart      <release>-postgres-ca, rendered by the chart from a bundle shipped in files/postgres-ca/ (Azure's
             roots) and/or postgres.serverCa.pem (Cloud SQL's server CA, from the infrastructure values layer);
  trust      an external server with neither: the image's system roots plus global.caBundle (the trust bundle);
  ""         nothing to verify: bundled PostgreSQL (plaintext inside the release's NetworkPolicies) or sslMode disable.
The file holds only the server's CAs (except "trust"): system roots would let any public CA vouch for the database.
*/}}
{{- define "ap.postgresCaSource" -}}
{{- $pg := .Values.postgres -}}
{{- $ca := $pg.serverCa -}}
{{- if and (ne $pg.mode "bundled") (hasPrefix "verify-" $pg.sslMode) -}}
{{- if and $ca.configMapName (or $ca.bundle $ca.pem) }}{{ fail "postgres.serverCa: set configMapName, or bundle and/or pem, not both" }}{{ end -}}
{{- if $ca.configMapName }}configmap{{ else if or $ca.bundle $ca.pem }}chart{{ else }}trust{{ end -}}
{{- end -}}
{{- end }}

{{/* The PEM of the chart-rendered server CA ConfigMap: the shipped bundle, then postgres.serverCa.pem. */}}
{{- define "ap.postgresCaPem" -}}
{{- $ca := .Values.postgres.serverCa -}}
{{- $parts := list -}}
{{- with $ca.bundle }}
{{- $file := printf "files/postgres-ca/%s.pem" . -}}
{{- $content := $.Files.Get $file -}}
{{- if not $content }}{{ fail (printf "postgres.serverCa.bundle %q: the chart ships no %s" . $file) }}{{ end -}}
{{- $parts = append $parts (trim $content) -}}
{{- end }}
{{- with $ca.pem }}{{ $parts = append $parts (trim .) }}{{ end -}}
{{- printf "%s\n" (join "\n" $parts) -}}
{{- end }}

{{/* DATABASE_SSLMODE (bundled: disable) and PGSSLROOTCERT, the file libpq verifies the server with. */}}
{{- define "ap.postgresTlsEnv" -}}
{{- $source := include "ap.postgresCaSource" . -}}
- name: DATABASE_SSLMODE
  value: {{ ternary "disable" .Values.postgres.sslMode (eq .Values.postgres.mode "bundled") | quote }}
{{- if eq $source "trust" }}
- name: PGSSLROOTCERT
  value: /etc/installctl/trust/ca-bundle.crt
{{- else if $source }}
- name: PGSSLROOTCERT
  value: /etc/installctl/postgres-ca/ca.crt
{{- end }}
{{- end }}

{{/* The server CA volume of a database client (configmap and chart sources; "trust" uses the trust bundle's volume). */}}
{{- define "ap.postgresCaVolumes" -}}
{{- $source := include "ap.postgresCaSource" . -}}
{{- if has $source (list "configmap" "chart") }}
{{- $ca := .Values.postgres.serverCa }}
- name: postgres-ca
  configMap:
    name: {{ ternary $ca.configMapName (include "ap.fullname" (dict "ctx" . "component" "postgres-ca")) (eq $source "configmap") | quote }}
    items:
      - key: {{ ternary $ca.key "ca.crt" (eq $source "configmap") | quote }}
        path: ca.crt
{{- end }}
{{- end }}

{{- define "ap.postgresCaVolumeMounts" -}}
{{- if has (include "ap.postgresCaSource" .) (list "configmap" "chart") }}
- name: postgres-ca
  mountPath: /etc/installctl/postgres-ca
  readOnly: true
{{- end }}
{{- end }}
