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

{{/*
Kafka settings of the proxies config-service provisions, as config-service's TOLLWAY_PROXY_KAFKA_* variables
(config-service gives each proxy TOLLWAY_PROXY_KAFKA_<NAME> as TOLLWAY_KAFKA_<NAME>, secret-looking ones through
the Gateway's Secret). Set whenever TLS or SASL is on: the proxies run in the Gateways' namespaces, so they get
their own credentials and the CA certificate inline instead of config-service's mounts.
*/}}
{{- define "tollway.proxyKafkaEnv" -}}
{{- $kafka := .Values.kafka -}}
{{- if .Values.proxy.kafkaBootstrap }}
- name: TOLLWAY_PROXY_KAFKA_BOOTSTRAP
  value: {{ .Values.proxy.kafkaBootstrap | quote }}
{{- end }}
{{- if or $kafka.tls.enabled $kafka.sasl.enabled }}
- name: TOLLWAY_PROXY_KAFKA_SECURITY_PROTOCOL
  {{- if and $kafka.tls.enabled $kafka.sasl.enabled }}
  value: SASL_SSL
  {{- else if $kafka.tls.enabled }}
  value: SSL
  {{- else }}
  value: SASL_PLAINTEXT
  {{- end }}
{{- end }}
{{- if and $kafka.tls.enabled $kafka.tls.caSecret.name }}
{{- $pemKey := $kafka.tls.caSecret.pemKey }}
{{- if not $pemKey }}
{{- if ne $kafka.tls.caSecret.type "PEM" }}
{{- fail (printf "kafka.tls.caSecret.pemKey: empty with a %s trust store (expected: the key of the CA certificate as PEM in the same Secret, which provisioned proxies receive inline)" $kafka.tls.caSecret.type) }}
{{- end }}
{{- $pemKey = $kafka.tls.caSecret.key }}
{{- end }}
- name: TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_CERTIFICATES
  valueFrom:
    secretKeyRef:
      name: {{ $kafka.tls.caSecret.name | quote }}
      key: {{ $pemKey | quote }}
{{- end }}
{{- if $kafka.sasl.enabled }}
- name: TOLLWAY_PROXY_KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: TOLLWAY_PROXY_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.proxySecret is required when kafka.sasl.enabled (the proxies' credentials)" $kafka.sasl.proxySecret | quote }}
      key: {{ $kafka.sasl.jaasConfigKey | quote }}
{{- end }}
{{- if or $kafka.tls.enabled $kafka.sasl.enabled }}
{{- range $name, $value := $kafka.properties }}
- name: {{ printf "TOLLWAY_PROXY_KAFKA_%s" ($name | upper | replace "." "_") }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}
