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
  serviceName: {{ $name }}
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
      serviceAccountName: {{ include "ap.fullname" (dict "ctx" $ctx "component" "datastore") }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $ctx.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "ap.podSecurityContext" (dict "ctx" $ctx "uid" .uid "fsGroup" true) | nindent 8 }}
      terminationGracePeriodSeconds: 60
      containers:
        - name: {{ .component }}
          image: {{ include "ap.image" (dict "ctx" $ctx "key" .imageKey) }}
          imagePullPolicy: IfNotPresent
          {{- with .command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: {{ .portName }}
              containerPort: {{ .port }}
              protocol: TCP
          env:
            {{- toYaml .env | nindent 12 }}
          resources:
            {{- toYaml .values.bundled.resources | nindent 12 }}
          startupProbe:
            {{- toYaml .liveness | nindent 12 }}
            periodSeconds: 10
            failureThreshold: 60
          readinessProbe:
            {{- toYaml .readiness | nindent 12 }}
            periodSeconds: 10
            timeoutSeconds: 5
          livenessProbe:
            {{- toYaml .liveness | nindent 12 }}
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 6
          securityContext:
            {{- include "ap.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: {{ .dataPath }}
            - name: tmp
              mountPath: /tmp
            {{- with .mounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "ap.labels" . | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        {{- with $storage.storageClass }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ $storage.size }}
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
    - name: {{ .portName }}
      port: {{ .port }}
      targetPort: {{ .portName }}
      protocol: TCP
{{- end }}
