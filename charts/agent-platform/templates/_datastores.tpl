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
