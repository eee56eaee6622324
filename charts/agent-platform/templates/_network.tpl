{{/*
Cloud instance-metadata and credential endpoints, which no egress rule may open (a pod that reaches
one can take the node's or another workload's cloud credentials):
  169.254.169.254  instance metadata: AWS, Azure, GCP, OpenStack, Oracle, IBM, DigitalOcean, Hetzner
  169.254.169.252  GKE metadata server (workload identity; the gke-metadata policy opens it, port 988)
  169.254.170.2    AWS ECS task metadata and credentials
  169.254.170.23   EKS Pod Identity Agent
  169.254.0.23     Tencent Cloud metadata
  100.100.100.200  Alibaba Cloud metadata
installctl's manifest policy metadata-egress checks the same list (cli/helm/manifest-policies.ts).
*/}}
{{- define "ap.metadataAddresses" -}}
169.254.169.254 169.254.169.252 169.254.170.2 169.254.170.23 169.254.0.23 100.100.100.200
{{- end }}

{{/* An IPv4 address a.b.c.d as an integer. */}}
{{- define "ap.ipv4" -}}
{{- $octets := splitList "." . -}}
{{- add (mul (atoi (index $octets 0)) 16777216) (mul (atoi (index $octets 1)) 65536) (mul (atoi (index $octets 2)) 256) (atoi (index $octets 3)) -}}
{{- end }}

{{/*
An egress ipBlock (JSON) for an IPv4 CIDR: the CIDR, and an except for each metadata address it
contains (Sprig has no CIDR arithmetic: two addresses are in the same /n when their integers divided
by 2^(32-n) are equal). Fails on anything but an IPv4 CIDR (IPv6 ranges would need their own
metadata exceptions) and on a CIDR that is a metadata address itself. Args: cidr, field (the value
it comes from, for messages).
*/}}
{{- define "ap.egressIpBlock" -}}
{{- $cidr := toString .cidr -}}
{{- if not (regexMatch "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$" $cidr) -}}
{{- fail (printf "%s: %q is not an IPv4 CIDR (a.b.c.d/n): egress is opened to IPv4 ranges only, so that the cloud metadata addresses can be kept out of them" .field $cidr) -}}
{{- end -}}
{{- $parts := splitList "/" $cidr -}}
{{- $prefix := atoi (index $parts 1) -}}
{{- $size := 1 -}}
{{- range until (sub 32 $prefix | int) }}{{ $size = mul $size 2 }}{{ end -}}
{{- $network := div (include "ap.ipv4" (index $parts 0) | atoi) $size -}}
{{- $except := list -}}
{{- range splitList " " (include "ap.metadataAddresses" .) -}}
{{- if eq (div (include "ap.ipv4" . | atoi) $size) $network -}}
{{- if eq $prefix 32 }}{{ fail (printf "%s: %s is a cloud metadata address, which pods may not reach (it hands out cloud credentials)" $.field $cidr) }}{{ end -}}
{{- $except = append $except (printf "%s/32" .) -}}
{{- end -}}
{{- end -}}
{{- toJson (ternary (dict "cidr" $cidr "except" $except) (dict "cidr" $cidr) (gt (len $except) 0)) -}}
{{- end }}

{{/*
"true" when pods of this identity act as a cloud identity (IRSA role, Azure workload identity,
GKE workload identity): they exchange tokens at the cloud's token endpoint (AWS STS, Entra ID
login.microsoftonline.com, the GKE metadata server) and carry the label installctl.dev/cloud-identity,
which the cloud-identity NetworkPolicy selects. Args: ctx, identity.
*/}}
{{- define "ap.cloudIdentity" -}}
{{- $annotations := include "ap.identityAnnotations" . | fromJson -}}
{{- if or (hasKey $annotations "eks.amazonaws.com/role-arn") (hasKey $annotations "azure.workload.identity/client-id") (hasKey $annotations "iam.gke.io/gcp-service-account") }}true{{ end -}}
{{- end }}

{{/* The TCP port of a URL: its explicit port, else the scheme's (https 443, http 80, ssh 22). */}}
{{- define "ap.urlPort" -}}
{{- $url := urlParse . -}}
{{- regexFind "[0-9]+$" (regexFind ":[0-9]+$" $url.host) | default (get (dict "https" "443" "http" "80" "ssh" "22") $url.scheme) | default "443" -}}
{{- end }}
