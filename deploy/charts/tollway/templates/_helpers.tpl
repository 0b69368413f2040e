{{/* The prefix of every object's name: fullnameOverride, else the release name. */}}
{{- define "tollway.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "tollway.controller.name" -}}
{{- printf "%s-config-service" (include "tollway.fullname" .) -}}
{{- end -}}

{{- define "tollway.usageStreams.name" -}}
{{- printf "%s-usage-streams" (include "tollway.fullname" .) -}}
{{- end -}}

{{- define "tollway.snapshotKey.secretName" -}}
{{- default (printf "%s-snapshot-key" (include "tollway.fullname" .)) .Values.snapshotKey.existingSecret -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "tollway.labels" -}}
app.kubernetes.io/name: tollway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tollway
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "ctx" . "component" "config-service"). */}}
{{- define "tollway.selectorLabels" -}}
app.kubernetes.io/name: tollway
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tollway.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/*
Kafka settings as environment variables for one service: call with (dict "ctx" . "saslSecret" NAME).
Every TOLLWAY_KAFKA_<NAME> but the bootstrap becomes the client property <name> in the service.
*/}}
{{- define "tollway.kafkaEnv" -}}
{{- $kafka := .ctx.Values.kafka -}}
- name: TOLLWAY_KAFKA_BOOTSTRAP
  value: {{ required "kafka.bootstrap is required (host:port of the Kafka brokers)" $kafka.bootstrap | quote }}
{{- if or $kafka.tls.enabled $kafka.sasl.enabled }}
- name: TOLLWAY_KAFKA_SECURITY_PROTOCOL
  {{- if and $kafka.tls.enabled $kafka.sasl.enabled }}
  value: SASL_SSL
  {{- else if $kafka.tls.enabled }}
  value: SSL
  {{- else }}
  value: SASL_PLAINTEXT
  {{- end }}
{{- end }}
{{- if and $kafka.tls.enabled $kafka.tls.caSecret.name }}
{{- $ca := $kafka.tls.caSecret }}
{{- if not (has $ca.type (list "PEM" "PKCS12" "JKS")) }}
{{- fail (printf "kafka.tls.caSecret.type: %s (expected: PEM, PKCS12 or JKS)" $ca.type) }}
{{- end }}
{{- if and $ca.passwordKey (eq $ca.type "PEM") }}
{{- fail "kafka.tls.caSecret.passwordKey: set for a PEM trust store (expected: only with type PKCS12 or JKS)" }}
{{- end }}
- name: TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE
  value: {{ $ca.type | quote }}
- name: TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "/etc/tollway/kafka-ca/%s" $ca.key | quote }}
{{- with $ca.passwordKey }}
- name: TOLLWAY_KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $ca.name | quote }}
      key: {{ . | quote }}
{{- end }}
{{- end }}
{{- if $kafka.sasl.enabled }}
{{- if not (has $kafka.sasl.mechanism (list "SCRAM-SHA-512" "SCRAM-SHA-256" "PLAIN")) }}
{{- fail (printf "kafka.sasl.mechanism: %s (expected: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN)" $kafka.sasl.mechanism) }}
{{- end }}
- name: TOLLWAY_KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: TOLLWAY_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ required "the SASL credentials Secret of each service is required when kafka.sasl.enabled" .saslSecret | quote }}
      key: {{ $kafka.sasl.jaasConfigKey | quote }}
{{- end }}
{{- range $name, $value := $kafka.properties }}
{{- if not (regexMatch "^[a-z][a-z0-9]*(\\.[a-z0-9]+)*$" $name) }}
{{- fail (printf "kafka.properties: %q (expected: a Kafka client property name, lower case with dots)" $name) }}
{{- end }}
{{- if or (eq $name "bootstrap.servers") (hasPrefix "sasl.jaas" $name) (contains "password" $name) }}
{{- fail (printf "kafka.properties: %q (expected: set through kafka.bootstrap or the SASL Secret, not here)" $name) }}
{{- end }}
- name: {{ printf "TOLLWAY_KAFKA_%s" ($name | upper | replace "." "_") }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The CA volume for Kafka TLS, if any. */}}
{{- define "tollway.kafkaCaVolume" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name | quote }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key | quote }}
        path: {{ .Values.kafka.tls.caSecret.key | quote }}
{{- end }}
{{- end -}}

{{- define "tollway.kafkaCaMount" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/tollway/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}
