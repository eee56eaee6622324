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
{{- define "ms.metadataAddresses" -}}
169.254.169.254 169.254.169.252 169.254.170.2 169.254.170.23 169.254.0.23 100.100.100.200
{{- end }}

{{/* An IPv4 address a.b.c.d as an integer. */}}
{{- define "ms.ipv4" -}}
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
{{- define "ms.egressIpBlock" -}}
{{- $cidr := toString .cidr -}}
{{- if not (regexMatch "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$" $cidr) -}}
{{- fail (printf "%s: %q is not an IPv4 CIDR (a.b.c.d/n): egress is opened to IPv4 ranges only, so that the cloud metadata addresses can be kept out of them" .field $cidr) -}}
{{- end -}}
{{- $parts := splitList "/" $cidr -}}
{{- $prefix := atoi (index $parts 1) -}}
{{- $size := 1 -}}
{{- range until (sub 32 $prefix | int) }}{{ $size = mul $size 2 }}{{ end -}}
{{- $network := div (include "ms.ipv4" (index $parts 0) | atoi) $size -}}
{{- $except := list -}}
{{- range splitList " " (include "ms.metadataAddresses" .) -}}
{{- if eq (div (include "ms.ipv4" . | atoi) $size) $network -}}
{{- if eq $prefix 32 }}{{ fail (printf "%s: %s is a cloud metadata address, which pods may not reach (it hands out cloud credentials)" $.field $cidr) }}{{ end -}}
{{- $except = append $except (printf "%s/32" .) -}}
{{- end -}}
{{- end -}}
{{- toJson (ternary (dict "cidr" $cidr "except" $except) (dict "cidr" $cidr) (gt (len $except) 0)) -}}
{{- end }}
