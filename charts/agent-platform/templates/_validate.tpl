{{/*
Cross-field checks that the schema cannot express. Each failure names the value to fix.
Included once, from validate.yaml (renders nothing).
*/}}
{{- define "ap.validate" -}}
{{- $v := .Values -}}
{{- $airGapped := eq $v.global.network "air-gapped" -}}

{{- /* SCM */ -}}
{{- $scm := $v.scm -}}
{{- $methods := dict "github" (list "github-app") "github-enterprise-server" (list "github-app" "access-token") "gitlab-self-managed" (list "oauth-app" "access-token") "bitbucket-data-center" (list "access-token" "oauth-app") -}}
{{- if not (has $scm.auth.method (get $methods $scm.type)) -}}
{{- fail (printf "scm.auth.method %q is not available for scm.type %s (use one of: %s)" $scm.auth.method $scm.type (get $methods $scm.type | join ", ")) -}}
{{- end -}}
{{- if and (eq $scm.type "github") $airGapped -}}
{{- fail "scm.type github (GitHub.com) is a public SaaS: an air-gapped install cannot reach it" -}}
{{- end -}}
{{- if and (ne $scm.type "github") (not $scm.url) -}}
{{- fail (printf "scm.url is required for scm.type %s" $scm.type) -}}
{{- end -}}
{{- if and (eq $scm.auth.method "github-app") (not $scm.auth.appId) -}}
{{- fail "scm.auth.appId is required with scm.auth.method github-app" -}}
{{- end -}}
{{- if and (eq $scm.auth.method "oauth-app") (not $scm.auth.clientId) -}}
{{- fail "scm.auth.clientId is required with scm.auth.method oauth-app" -}}
{{- end -}}
{{- $needed := get (dict "github-app" (list "privateKey") "access-token" (list "token") "oauth-app" (list "clientSecret")) $scm.auth.method -}}
{{- if ne $scm.webhooks.delivery "polling" }}{{ $needed = append $needed "webhookSecret" }}{{ end -}}
{{- range $needed -}}
{{- $ref := get $scm.auth.secrets . | default dict -}}
{{- if not (and (get $ref "secretName") (get $ref "key")) -}}
{{- fail (printf "scm.auth.secrets.%s (secretName and key) is required with scm.auth.method %s and webhooks.delivery %s" . $scm.auth.method $scm.webhooks.delivery) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $scm.webhooks.delivery "relay") (not $scm.webhooks.url) -}}
{{- fail "scm.webhooks.url (the relay's URL) is required with scm.webhooks.delivery relay" -}}
{{- end -}}
{{- if and (eq $scm.webhooks.delivery "ingress") (not $v.ingress.enabled) -}}
{{- fail "scm.webhooks.delivery ingress needs ingress.enabled" -}}
{{- end -}}

{{- /* AI gateway backend */ -}}
{{- $ai := $v.aiGatewayBackend -}}
{{- if not $ai.models -}}
{{- fail "aiGatewayBackend.models is empty: list the models the AI gateway routes to" -}}
{{- end -}}
{{- if eq $ai.type "saas-api" -}}
{{- if $airGapped }}{{ fail "aiGatewayBackend.type saas-api is reached over the public internet, which an air-gapped install does not have" }}{{ end -}}
{{- if not $ai.provider }}{{ fail "aiGatewayBackend.provider (anthropic | openai | google-gemini) is required with type saas-api" }}{{ end -}}
{{- if not $ai.credentials.secretName }}{{ fail "aiGatewayBackend.credentials.secretName (the API key Secret) is required with type saas-api" }}{{ end -}}
{{- else if eq $ai.type "bedrock" -}}
{{- if not $ai.region }}{{ fail "aiGatewayBackend.region is required with type bedrock" }}{{ end -}}
{{- else if eq $ai.type "azure-openai" -}}
{{- if not $ai.baseUrl }}{{ fail "aiGatewayBackend.baseUrl (https://<account>.openai.azure.com) is required with type azure-openai" }}{{ end -}}
{{- else if eq $ai.type "vertex" -}}
{{- if not (and $ai.project $ai.region) }}{{ fail "aiGatewayBackend.project and aiGatewayBackend.region are required with type vertex" }}{{ end -}}
{{- else if eq $ai.type "in-cluster" -}}
{{- range $ai.models -}}
{{- if not (or (get . "baseUrl") $ai.baseUrl) }}{{ fail (printf "aiGatewayBackend.baseUrl (or models[].baseUrl) is required for in-cluster model %s" .name) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if and $ai.credentials.secretName (not $ai.credentials.key) -}}
{{- fail "aiGatewayBackend.credentials.key is required when credentials.secretName is set" -}}
{{- end -}}

{{- /* Datastores */ -}}
{{- $pg := $v.postgres -}}
{{- if and (eq $pg.mode "external") (not $pg.host) }}{{ fail "postgres.host is required when postgres.mode is external" }}{{ end -}}
{{- if and (eq $pg.mode "bundled") (eq $pg.auth "iam") }}{{ fail "postgres.auth iam needs a managed database (postgres.mode external)" }}{{ end -}}
{{- if and (eq $pg.auth "password") (not $pg.credentials.secretName) }}{{ fail "postgres.credentials.secretName is required with postgres.auth password" }}{{ end -}}
{{- if and (eq $pg.auth "iam") (not $pg.credentials.secretName) (not $pg.user) }}{{ fail "postgres.user (the database user the cloud grants the platform identity; installctl's infrastructure values layer sets it) is required with postgres.auth iam" }}{{ end -}}
{{- if and (eq $v.redis.mode "external") (not $v.redis.host) }}{{ fail "redis.host is required when redis.mode is external" }}{{ end -}}
{{- if and (eq $v.rabbitmq.mode "external") (not $v.rabbitmq.host) }}{{ fail "rabbitmq.host is required when rabbitmq.mode is external" }}{{ end -}}
{{- if not $v.rabbitmq.credentials.secretName }}{{ fail "rabbitmq.credentials.secretName is required (bundled: the broker's user; external: the client's)" }}{{ end -}}

{{- /* Workers, ingress */ -}}
{{- $names := list -}}
{{- range $v.agents.workers -}}
{{- if has .name $names }}{{ fail (printf "agents.workers: duplicate worker name %s" .name) }}{{ end -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- if and $v.ingress.enabled (not $v.ingress.hostname) }}{{ fail "ingress.hostname is required when ingress.enabled" }}{{ end -}}
{{- end }}
