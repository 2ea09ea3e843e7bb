{{/*
Names and labels.
*/}}
{{- define "shoebox.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "shoebox.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "shoebox.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shoebox.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "shoebox.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "shoebox.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The image reference: the digest wins over the tag, the tag defaults to the
chart's appVersion.
*/}}
{{- define "shoebox.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Whether the worker's scheduler backs up and verifies. When it does not, the
backup and verify CronJobs do.
*/}}
{{- define "shoebox.inAppBackups" -}}
{{- and .Values.worker.scheduler .Values.backup.scheduled }}
{{- end }}

{{/*
Where the age identity is mounted when backup.identity.existingSecret is set.
*/}}
{{- define "shoebox.identityDir" -}}/etc/shoebox/backup-identity{{- end }}

{{/*
The environment of every Shoebox container (SPEC §3). Secret values are only
ever referenced (secretKeyRef), never written here. Call with
(dict "root" $ "identity" true) to also point backup.identity_file at the
mounted identity (see shoebox.volumes).
*/}}
{{- define "shoebox.env" -}}
{{- $root := .root }}
{{- $values := $root.Values }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $values.database.existingSecret | quote }}
      key: {{ $values.database.urlKey | quote }}
- name: SHOEBOX_HTTP__BIND
  value: "0.0.0.0:8080"
- name: SHOEBOX_HTTP__PUBLIC_URL
  value: {{ $values.publicUrl | quote }}
- name: SHOEBOX_AUTH__SIGNUP
  value: {{ $values.auth.signup | quote }}
- name: SHOEBOX_AUTH__REQUIRE_EMAIL_VERIFICATION
  value: {{ $values.auth.requireEmailVerification | quote }}
- name: SHOEBOX_AUTH__NOTIFY_NEW_DEVICE
  value: {{ $values.auth.notifyNewDevice | quote }}
- name: SHOEBOX_LOG__FORMAT
  value: {{ $values.log.format | quote }}
- name: SHOEBOX_LOG__LEVEL
  value: {{ $values.log.level | quote }}
- name: SHOEBOX_STORAGE__URL
  value: {{ $values.storage.url | quote }}
{{- with $values.storage.endpoint }}
- name: SHOEBOX_STORAGE__ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: SHOEBOX_STORAGE__REGION
  value: {{ $values.storage.region | quote }}
- name: SHOEBOX_STORAGE__PATH_STYLE
  value: {{ $values.storage.pathStyle | quote }}
{{- with $values.storage.existingSecret }}
- name: SHOEBOX_STORAGE__ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $values.storage.accessKeyIdKey | quote }}
- name: SHOEBOX_STORAGE__SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $values.storage.secretAccessKeyKey | quote }}
{{- end }}
{{- with $values.mail }}
{{- if .from }}
- name: SHOEBOX_MAIL__FROM
  value: {{ .from | quote }}
{{- end }}
{{- with .existingSecret }}
- name: SHOEBOX_MAIL__SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $values.mail.smtpUrlKey | quote }}
{{- end }}
{{- end }}
- name: SHOEBOX_WORKER__SCHEDULER
  value: {{ $values.worker.scheduler | quote }}
- name: SHOEBOX_BACKUP__SCHEDULED
  value: {{ include "shoebox.inAppBackups" $root | quote }}
- name: SHOEBOX_BACKUP__SCHEDULE
  value: {{ $values.backup.schedule | quote }}
- name: SHOEBOX_BACKUP__VERIFY_SCHEDULE
  value: {{ $values.backup.verifySchedule | quote }}
{{- with $values.backup.recipients }}
- name: SHOEBOX_BACKUP__RECIPIENTS
  value: {{ join "," . | quote }}
{{- end }}
{{- if and .identity $values.backup.identity.existingSecret }}
- name: SHOEBOX_BACKUP__IDENTITY_FILE
  value: {{ printf "%s/%s" (include "shoebox.identityDir" $root) $values.backup.identity.key | quote }}
{{- end }}
{{- range $name, $value := $values.config }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- with $values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod and container security: user and group 10001 of the image, nothing
privileged, a read-only root filesystem (writable /tmp only).
*/}}
{{- define "shoebox.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "shoebox.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end }}

{{/*
Pod-level settings shared by every Shoebox pod.
*/}}
{{- define "shoebox.podCommon" -}}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
automountServiceAccountToken: false
# Service environment variables (SHOEBOX_PORT…) are not Shoebox settings.
enableServiceLinks: false
securityContext:
  {{- include "shoebox.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Volumes and their mounts: /tmp (the root filesystem is read-only) and, with
(dict "root" $ "identity" true), the age identity.
*/}}
{{- define "shoebox.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- if and .identity .root.Values.backup.identity.existingSecret }}
- name: backup-identity
  secret:
    secretName: {{ .root.Values.backup.identity.existingSecret | quote }}
    defaultMode: 0440
    items:
      - key: {{ .root.Values.backup.identity.key | quote }}
        path: {{ .root.Values.backup.identity.key | quote }}
{{- end }}
{{- end }}

{{- define "shoebox.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and .identity .root.Values.backup.identity.existingSecret }}
- name: backup-identity
  mountPath: {{ include "shoebox.identityDir" .root }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
The init container of the server and worker pods: wait until the migration
hook has brought the schema to what this image needs.
*/}}
{{- define "shoebox.waitForSchema" -}}
- name: wait-for-schema
  image: {{ include "shoebox.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args: ["migrate", "--wait", "--timeout", {{ .Values.migration.waitTimeoutSeconds | quote }}]
  env:
    {{- include "shoebox.env" (dict "root" .) | nindent 4 }}
  securityContext:
    {{- include "shoebox.containerSecurityContext" . | nindent 4 }}
  resources:
    {{- toYaml .Values.migration.resources | nindent 4 }}
  volumeMounts:
    {{- include "shoebox.volumeMounts" (dict "root" .) | nindent 4 }}
{{- end }}
