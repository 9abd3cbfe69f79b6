{{/* Labels shared by every object of the chart; app=hft-trading is what Services, policies and monitors select. */}}
{{- define "hft.labels" -}}
app: hft-trading
app.kubernetes.io/name: hft-trading
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
