{{/* Cross-field checks the schema cannot express; included from validate.yaml (renders nothing). */}}
{{- define "ms.validate" -}}
{{- $v := .Values -}}
{{- $airGapped := eq $v.global.network "air-gapped" -}}
{{- $names := list -}}
{{- $services := list -}}
{{- $created := list -}}
{{- range $v.models -}}
{{- $m := include "ms.model" (dict "ctx" $ "model" .) | fromJson -}}
{{- if has $m.name $names }}{{ fail (printf "models: duplicate model name %s" $m.name) }}{{ end -}}
{{- $names = append $names $m.name -}}
{{- $service := include "ms.serviceName" $m.name -}}
{{- if has $service $services }}{{ fail (printf "models: %s maps to the Service name %s of another model" $m.name $service) }}{{ end -}}
{{- $services = append $services $service -}}
{{- if ne (int $m.gpus) (int $m.tp) -}}
{{- fail (printf "models[%s]: gpuCount (%d) must equal tensorParallelSize (%d): vLLM shards the model over exactly tensorParallelSize GPUs per replica" $m.name (int $m.gpus) (int $m.tp)) -}}
{{- end -}}
{{- $w := $m.weights -}}
{{- $source := get $w "source" | default "" -}}
{{- if not $source }}{{ fail (printf "models[%s].weights.source is required (pvc | oci | s3 | gcs | azure-blob | hf)" $m.name) }}{{ end -}}
{{- if eq $source "hf" -}}
{{- if $airGapped -}}
{{- fail (printf "models[%s]: weights.source hf downloads from the public Hugging Face hub, which an air-gapped install cannot reach; use pvc, oci or an in-tenant object store" $m.name) -}}
{{- end -}}
{{- if not (and (get $w "repo") (regexMatch "^[0-9a-f]{40}$" (get $w "revision" | default ""))) -}}
{{- fail (printf "models[%s]: weights.source hf needs repo and revision (a 40-hex commit)" $m.name) -}}
{{- end -}}
{{- else if eq $source "pvc" -}}
{{- if not (get $w "claimName") }}{{ fail (printf "models[%s]: weights.claimName is required with source pvc" $m.name) }}{{ end -}}
{{- with get $w "create" -}}
{{- if has $w.claimName $created }}{{ fail (printf "models[%s]: weights.create: another model creates the claim %s too" $m.name $w.claimName) }}{{ end -}}
{{- $created = append $created $w.claimName -}}
{{- if and (eq .accessMode "ReadWriteOnce") (or (gt (int $m.replicas) 1) $v.autoscaling.hpa.enabled $v.autoscaling.keda.enabled) -}}
{{- fail (printf "models[%s]: a ReadWriteOnce weights claim attaches to one node, so the model runs one replica; use ReadOnlyMany or ReadWriteMany (a file storage class) for more" $m.name) -}}
{{- end -}}
{{- end -}}
{{- else if eq $source "oci" -}}
{{- if not (regexMatch "@sha256:[a-f0-9]{64}$" (get $w "reference" | default "")) -}}
{{- fail (printf "models[%s]: weights.reference must be an OCI reference pinned by digest (<registry>/<repository>@sha256:<64 hex>)" $m.name) -}}
{{- end -}}
{{- else if has $source (list "s3" "gcs") -}}
{{- if not (get $w "bucket") }}{{ fail (printf "models[%s]: weights.bucket is required with source %s" $m.name $source) }}{{ end -}}
{{- else if eq $source "azure-blob" -}}
{{- if not (and (get $w "account") (get $w "container")) }}{{ fail (printf "models[%s]: weights.account and weights.container are required with source azure-blob" $m.name) }}{{ end -}}
{{- else -}}
{{- fail (printf "models[%s].weights.source %q is not one of pvc | oci | s3 | gcs | azure-blob | hf" $m.name $source) -}}
{{- end -}}
{{- end -}}
{{- if and $v.models (not $v.apiKey.secretName) -}}
{{- fail "apiKey.secretName is required: clients authenticate to vLLM with the key in that Secret" -}}
{{- end -}}
{{- if and (has $v.gpu.preset (list "eks" "gke" "gpu-feature-discovery")) (not $v.gpu.selectorValue) $v.models -}}
{{- fail (printf "gpu.selectorValue is required with gpu.preset %s (eks: instance type; gke: accelerator; gpu-feature-discovery: nvidia.com/gpu.product)" $v.gpu.preset) -}}
{{- end -}}
{{- if and $v.autoscaling.hpa.enabled $v.autoscaling.keda.enabled -}}
{{- fail "enable autoscaling.hpa or autoscaling.keda, not both (both would scale the same Deployments)" -}}
{{- end -}}
{{- if and $v.autoscaling.keda.enabled (not $v.autoscaling.keda.prometheusAddress) -}}
{{- fail "autoscaling.keda.prometheusAddress (the in-cluster Prometheus URL) is required with autoscaling.keda.enabled" -}}
{{- end -}}
{{- end }}
