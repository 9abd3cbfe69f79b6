{{/* Labels shared by every object of the chart; app=hft-trading is what Services, policies and monitors select. */}}
{{- define "hft.labels" -}}
app: hft-trading
app.kubernetes.io/name: hft-trading
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/*
TLS of the server pods (values tls): the scheme of the API listener (probes: HTTPS, kubelet does not verify), and the
read-only mount of Secret tls.secretName at /app/tls ([tls] cert_file, key_file, ca_file of the production profile).
*/}}
{{- define "hft.apiScheme" -}}
{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end -}}
{{- end }}

{{- define "hft.tlsVolumeMount" -}}
{{- if .Values.tls.enabled -}}
- name: tls
  mountPath: /app/tls
  readOnly: true
{{- end }}
{{- end }}

{{- define "hft.tlsVolume" -}}
{{- if .Values.tls.enabled -}}
- name: tls
  secret:
    secretName: {{ .Values.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end }}
