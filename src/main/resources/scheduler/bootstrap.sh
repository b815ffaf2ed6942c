#!/usr/bin/env bash
# Installs and (re)configures Apache Airflow on this instance. cfn-init runs it at first boot and
# cfn-hup runs it again after every change of the stack's metadata; every step is idempotent.
# It exits non-zero unless Airflow reports a healthy scheduler, so CloudFormation fails the
# deployment instead of "succeeding" with a dead instance.
#
# Failure rules (test/bootstrap/bootstrap.bats runs this script in sandboxes to keep them true):
# - a secret that cannot be read stops the run; Airflow's keys are generated only while the keys
#   secret still holds the placeholder the stack created, never after a failed read;
# - every value is validated before the live environment file is replaced;
# - a new Airflow is built in its own venv beside the running one and switched to only once it
#   installed, migrated and answers; the venvs belong to root, so nothing the airflow user (every
#   task) can write is ever run by root;
# - root never writes, chowns or follows a path the airflow user controls: AIRFLOW_HOME's folders
#   are made by the airflow user itself, the venv link and the service logs live in root-owned
#   directories;
# - Airflow and its tasks never hold the instance role: the units block the instance metadata
#   service and get the task role's credentials, renewed here every 15 minutes, from a root-owned
#   file through the AWS SDK's credential_process;
# - a new instance prepares everything before it takes the data volume over from the instance it
#   replaces, and if it then fails it hands the volume back and starts that instance again;
# - only what changed is restarted.
set -euo pipefail

# Rendered by the stack: region, versions, bucket names, secret ARNs, AIRFLOW_VAR_* values.
# shellcheck source=/dev/null
source /etc/dataplatform/platform.env

readonly AIRFLOW_HOME=/opt/airflow
readonly VENV_LINK=/opt/dataplatform/venv
readonly VENVS=/opt/dataplatform/venvs
readonly SERVICE_LOGS=/var/log/airflow
readonly TASK_CREDENTIALS_DIR=/run/dataplatform
readonly TASK_CREDENTIALS=$TASK_CREDENTIALS_DIR/task-credentials.json
readonly TASK_AWS_CONFIG=/etc/airflow/aws-config
readonly VENV=$VENVS/airflow-$AIRFLOW_VERSION-py$PYTHON_VERSION
readonly ENV_FILE=/etc/airflow/airflow.env
readonly PG_MOUNT=/var/lib/pgsql
readonly STATE=/var/lib/dataplatform
readonly COMPONENTS=(api-server scheduler dag-processor triggerer)
readonly DATA_DEVICE=/dev/sdf
readonly CURL=(curl -fsS --max-time 10)

log() { echo "[bootstrap $(date -u +%H:%M:%S)] $*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

# The SecretString of a secret. A failed read (throttling, network, KMS or IAM denial) stops the
# run: the caller assigns it on its own line, so set -e sees the status.
secret_value() {
  aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$1" --query SecretString --output text \
    || fail "cannot read secret $1 (error above); nothing was changed"
}

# A non-empty string field of a JSON object, or the run stops.
json_field() {
  jq -er --arg field "$2" '.[$field] | select(type == "string" and length > 0)' <<<"$1" 2>/dev/null \
    || fail "$3 has no usable \"$2\""
}

imds() {
  local token
  token=$("${CURL[@]}" -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")
  "${CURL[@]}" -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# dnf install with a bounded retry: on a fresh Amazon Linux 2023 boot, dnf can fail transiently (its metadata
# refresh racing the system's own, mirrors not yet reachable through a NAT that is still starting;
# aws/aws-cdk#36717). Five attempts, 10 to 50 s apart, then a clear failure.
dnf_install() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if dnf install -y -q "$@"; then
      return 0
    fi
    log "dnf install $* failed (attempt $attempt of 5)"
    ((attempt < 5)) && sleep $((attempt * 10))
  done
  fail "could not install $* with dnf after 5 attempts (network, NAT or repository problem; see above)"
}

# The CloudWatch agent first, so that even a bootstrap that fails in its next step is readable in
# the ServiceLogs group (it ships this script's log, cfn-init's and the services').
start_agent() {
  if ! rpm -q amazon-cloudwatch-agent >/dev/null 2>&1; then
    log "installing the CloudWatch agent"
    dnf_install amazon-cloudwatch-agent
  fi
  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
    -c file:/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json
}

install_packages() {
  local packages=("python${PYTHON_VERSION}" "python${PYTHON_VERSION}-devel" gcc jq postgresql16 amazon-cloudwatch-agent)
  if [[ $DATABASE == local ]]; then
    packages+=(postgresql16-server)
  fi
  if ! rpm -q "${packages[@]}" >/dev/null 2>&1; then
    log "installing packages"
    dnf_install "${packages[@]}"
  fi
}

# A root-owned directory at $1 (mode $2, group $3): an existing one is taken back from whoever owned it; a
# symlink or a file in its place stops the run (only root can put one where these live).
root_dir() {
  [[ -L $1 || (-e $1 && ! -d $1) ]] && fail "$1 is not a directory; refusing to use it"
  install -d -o root -g "$3" -m "$2" "$1"
}

ensure_airflow_user() {
  id airflow >/dev/null 2>&1 || useradd --system --home-dir "$AIRFLOW_HOME" --shell /sbin/nologin airflow
  [[ -L $AIRFLOW_HOME ]] && fail "$AIRFLOW_HOME is a symlink; refusing to use it"
  if [[ ! -d $AIRFLOW_HOME ]]; then
    install -d -o airflow -g airflow -m 0750 "$AIRFLOW_HOME"
  fi
  # Its folders are the airflow user's own: it makes them itself, so root never chowns or follows anything in them.
  runuser -u airflow -- mkdir -p "$AIRFLOW_HOME/dags" "$AIRFLOW_HOME/logs" "$AIRFLOW_HOME/plugins"
  root_dir /etc/airflow 0750 airflow
  root_dir /opt/dataplatform 0755 root
  root_dir "$VENVS" 0755 root
  root_dir "$STATE" 0755 root
  # systemd (root) appends the components' output here: a root-owned folder, so nobody can put a link or another
  # file in a log's place. Earlier hosts had an airflow-owned folder: what it holds that is not a plain root-owned
  # file of one link goes.
  root_dir "$SERVICE_LOGS" 0755 root
  find "$SERVICE_LOGS" -mindepth 1 -maxdepth 1 \( ! -type f -o ! -user root -o -links +1 \) -exec rm -rf -- {} +
}

# Airflow for this version pair in its own root-owned venv, beside the one that runs; a failed
# install removes only its own venv. The switch happens in apply_changes.
install_airflow() {
  if [[ -f $VENV/.complete ]]; then
    return
  fi
  log "installing Airflow $AIRFLOW_VERSION on Python $PYTHON_VERSION with the official constraints into $VENV"
  rm -rf "$VENV"
  if ! { "python${PYTHON_VERSION}" -m venv "$VENV" \
    && "$VENV/bin/pip" install -q --upgrade pip \
    && "$VENV/bin/pip" install -q "apache-airflow[amazon,postgres,fab,statsd]==${AIRFLOW_VERSION}" \
      --constraint "https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt" \
    && [[ $("$VENV/bin/airflow" version 2>/dev/null) == "$AIRFLOW_VERSION" ]]; }; then
    rm -rf "$VENV"
    fail "could not install Airflow $AIRFLOW_VERSION; the running Airflow is untouched"
  fi
  touch "$VENV/.complete"
}

# Fernet key (32 url-safe base64 bytes, made by cryptography itself), API secret and JWT secret are
# generated once, while the secret still holds the stack's placeholder, and kept in Secrets
# Manager; they never appear in the template, the user data or a command line.
ensure_keys() {
  local keys
  keys=$(secret_value "$KEYS_SECRET_ARN")
  jq -e 'type == "object"' <<<"$keys" >/dev/null 2>&1 || fail "the keys secret is not a JSON object; refusing to replace it"
  if jq -e 'has("fernet_key")' <<<"$keys" >/dev/null; then
    local field
    for field in fernet_key api_secret_key jwt_secret; do
      json_field "$keys" "$field" "the keys secret" >/dev/null
    done
    return
  fi
  jq -e 'keys == ["placeholder"]' <<<"$keys" >/dev/null \
    || fail "the keys secret holds neither Airflow's keys nor the stack's placeholder; refusing to overwrite it"
  log "generating Airflow keys into $KEYS_SECRET_ARN"
  local generated
  generated=$("$VENV/bin/python" -c 'import json, secrets; from cryptography.fernet import Fernet; print(json.dumps({"fernet_key": Fernet.generate_key().decode(), "api_secret_key": secrets.token_urlsafe(32), "jwt_secret": secrets.token_urlsafe(32)}))')
  aws secretsmanager put-secret-value --region "$AWS_REGION" --secret-id "$KEYS_SECRET_ARN" \
    --secret-string file:///dev/stdin <<<"$generated" >/dev/null
  # This run uses what it generated and stored: a read right after the write may still return the placeholder.
  GENERATED_KEYS=$generated
}

# The metadata database lives on its own encrypted, retained EBS volume. When CloudFormation
# replaces the instance, the new one takes the volume over (after it has installed everything):
# it stops the previous instance (PostgreSQL shuts down cleanly), detaches the volume and attaches
# it here. If this run fails after that, hand_volume_back returns both to the previous instance.
PREVIOUS_HOLDER=""
claim_data_volume() {
  local self holder
  self=$(imds instance-id)
  holder=$(aws ec2 describe-volumes --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID" \
    --query 'Volumes[0].Attachments[0].InstanceId' --output text)
  if [[ $holder == "$self" ]]; then
    return
  fi
  if [[ $holder != None && -n $holder ]]; then
    log "taking the data volume over from $holder"
    PREVIOUS_HOLDER=$holder
    aws ec2 stop-instances --region "$AWS_REGION" --instance-ids "$holder" >/dev/null
    aws ec2 wait instance-stopped --region "$AWS_REGION" --instance-ids "$holder"
    aws ec2 detach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" >/dev/null
  fi
  aws ec2 wait volume-available --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID"
  aws ec2 attach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" --instance-id "$self" --device "$DATA_DEVICE" >/dev/null
  aws ec2 wait volume-in-use --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID"
}

# At boot (dataplatform-data-volume.service): attach the volume if it is free, mount it if it is
# ours; a volume attached to another instance is left alone.
reclaim_volume() {
  [[ $DATABASE == local ]] || return 0
  local self holder
  self=$(imds instance-id)
  holder=$(aws ec2 describe-volumes --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID" \
    --query 'Volumes[0].Attachments[0].InstanceId' --output text)
  if [[ $holder == None || -z $holder ]]; then
    log "the data volume is free: attaching it"
    aws ec2 attach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" --instance-id "$self" --device "$DATA_DEVICE" >/dev/null
    aws ec2 wait volume-in-use --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID"
  elif [[ $holder != "$self" ]]; then
    log "the data volume is attached to $holder; not taking it (a replacement takes it over in its bootstrap)"
    return 0
  fi
  mount_data_volume
}

hand_volume_back() {
  [[ -n $PREVIOUS_HOLDER ]] || return 0
  log "handing the data volume back to $PREVIOUS_HOLDER and starting it again"
  local component
  for component in "${COMPONENTS[@]}"; do systemctl stop "airflow@${component}.service" || true; done
  systemctl stop postgresql || true
  if mountpoint -q "$PG_MOUNT"; then umount "$PG_MOUNT" || true; fi
  aws ec2 detach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" >/dev/null || true
  aws ec2 wait volume-available --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID" || true
  aws ec2 attach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" --instance-id "$PREVIOUS_HOLDER" \
    --device "$DATA_DEVICE" >/dev/null || true
  aws ec2 start-instances --region "$AWS_REGION" --instance-ids "$PREVIOUS_HOLDER" >/dev/null || true
}

mount_data_volume() {
  local link="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${DATA_VOLUME_ID//-/}"
  for _ in $(seq 60); do [[ -e $link ]] && break; sleep 5; done
  [[ -e $link ]] || fail "data volume $DATA_VOLUME_ID not attached"
  local device uuid
  device=$(readlink -f "$link")
  if ! blkid "$device" >/dev/null 2>&1; then
    log "formatting new data volume $device"
    mkfs.xfs -q "$device"
  fi
  uuid=$(blkid -s UUID -o value "$device")
  grep -q "UUID=$uuid" /etc/fstab || echo "UUID=$uuid $PG_MOUNT xfs defaults,nofail 0 2" >> /etc/fstab
  install -d "$PG_MOUNT"
  mountpoint -q "$PG_MOUNT" || mount "$PG_MOUNT"
  chown postgres:postgres "$PG_MOUNT"
  chmod 0700 "$PG_MOUNT"
}

psql_value() {
  runuser -u postgres -- psql -tAc "$1" || fail "cannot connect to the local PostgreSQL (see above)"
}

setup_postgres() {
  if [[ ! -f $PG_MOUNT/data/PG_VERSION ]]; then
    log "initialising PostgreSQL"
    postgresql-setup --initdb
  fi
  systemctl enable --now postgresql
  # Local peer authentication: the airflow OS user is the airflow database role, no password.
  local found
  found=$(psql_value "SELECT 1 FROM pg_roles WHERE rolname = 'airflow'")
  [[ $found == 1 ]] || runuser -u postgres -- psql -qc "CREATE ROLE airflow LOGIN"
  found=$(psql_value "SELECT 1 FROM pg_database WHERE datname = 'airflow'")
  [[ $found == 1 ]] || runuser -u postgres -- createdb -O airflow airflow
}

# Local: peer authentication over the socket (the airflow OS user is the airflow role, no
# password). RDS: the master credentials from its secret, over TLS.
sql_alchemy_conn() {
  if [[ $DATABASE == rds ]]; then
    local secret
    secret=$(secret_value "$DB_SECRET_ARN")
    "$VENV/bin/python" -c 'import json, sys, urllib.parse
s = json.load(sys.stdin)
if not all(isinstance(s.get(k), (str, int)) and str(s.get(k)) for k in ("username", "password", "host", "port")):
    sys.exit("the database secret lacks username, password, host or port")
print("postgresql+psycopg2://%s:%s@%s:%s/airflow?sslmode=require" % (urllib.parse.quote(s["username"], safe=""), urllib.parse.quote(s["password"], safe=""), s["host"], s["port"]))' <<<"$secret" \
      || fail "the database secret $DB_SECRET_ARN is not usable"
  else
    echo "postgresql+psycopg2://airflow@/airflow?host=/run/postgresql"
  fi
}

# The task role's credentials for Airflow and its tasks, in the format of the AWS SDK's credential_process
# (botocore re-reads it before they expire). Role chaining gives at most one hour; the timer renews them every
# 15 minutes. Written beside the live file and renamed over it, root-owned, readable by the airflow group.
refresh_task_credentials() {
  root_dir "$TASK_CREDENTIALS_DIR" 0750 airflow
  local credentials staged
  credentials=$(aws sts assume-role --region "$AWS_REGION" --role-arn "$TASK_ROLE_ARN" --role-session-name airflow-tasks \
    --duration-seconds 3600 --query Credentials --output json) || fail "cannot assume the task role $TASK_ROLE_ARN (error above)"
  staged=$(mktemp "$TASK_CREDENTIALS_DIR/.task-credentials.XXXXXX")
  if ! jq -e '{Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration}
      | select(all(.[]; (type == "string" and length > 0) or . == 1))' <<<"$credentials" > "$staged"; then
    rm -f "$staged"
    fail "the task role's credentials are incomplete"
  fi
  chown root:airflow "$staged"
  chmod 0640 "$staged"
  mv -f "$staged" "$TASK_CREDENTIALS"
}

# The AWS SDK configuration of Airflow and its tasks: the task role's credentials, never the instance's.
render_aws_config() {
  local staged
  staged=$(mktemp /etc/airflow/.aws-config.XXXXXX)
  printf '[default]\nregion = %s\ncredential_process = /usr/bin/cat %s\n' "$AWS_REGION" "$TASK_CREDENTIALS" > "$staged"
  chown root:airflow "$staged"
  chmod 0640 "$staged"
  mv -f "$staged" "$TASK_AWS_CONFIG"
}

# Writes the complete, validated environment file to $1 (nothing reads it yet).
render_env_file() {
  local keys fernet api jwt conn
  if [[ -n ${GENERATED_KEYS:-} ]]; then
    keys=$GENERATED_KEYS
  else
    keys=$(secret_value "$KEYS_SECRET_ARN")
  fi
  fernet=$(json_field "$keys" fernet_key "the keys secret")
  api=$(json_field "$keys" api_secret_key "the keys secret")
  jwt=$(json_field "$keys" jwt_secret "the keys secret")
  conn=$(sql_alchemy_conn)
  [[ -n $conn ]] || fail "empty database connection"
  {
    echo "AIRFLOW_HOME=$AIRFLOW_HOME"
    echo "AWS_DEFAULT_REGION=$AWS_REGION"
    # The task role only: the SDK reads this configuration and never asks the (blocked) instance metadata service.
    echo "AWS_CONFIG_FILE=$TASK_AWS_CONFIG"
    echo "AWS_SHARED_CREDENTIALS_FILE=/dev/null"
    echo "AWS_EC2_METADATA_DISABLED=true"
    echo "AIRFLOW__CORE__EXECUTOR=LocalExecutor"
    echo "AIRFLOW__CORE__AUTH_MANAGER=airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
    echo "AIRFLOW__CORE__DAGS_FOLDER=$AIRFLOW_HOME/dags"
    echo "AIRFLOW__CORE__LOAD_EXAMPLES=False"
    echo "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True"
    echo "AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://127.0.0.1:8080/execution/"
    echo "AIRFLOW__CORE__FERNET_KEY=$fernet"
    echo "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=$conn"
    echo "AIRFLOW__API__HOST=$AIRFLOW_API_HOST"
    echo "AIRFLOW__API__PORT=8080"
    echo "AIRFLOW__API__SECRET_KEY=$api"
    echo "AIRFLOW__API_AUTH__JWT_SECRET=$jwt"
    echo "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=True"
    echo "AIRFLOW__LOGGING__REMOTE_LOGGING=True"
    echo "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=s3://$LOGS_BUCKET/airflow"
    echo "AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID=aws_default"
    echo "AIRFLOW__METRICS__STATSD_ON=True"
    echo "AIRFLOW__METRICS__STATSD_HOST=127.0.0.1"
    echo "AIRFLOW__METRICS__STATSD_PORT=8125"
    # Prefix and allow list from the stack (AirflowMetrics.java): each metric name is a billed custom
    # metric, so only what the monitoring stack's alarms and dashboard read is sent.
    echo "AIRFLOW__METRICS__STATSD_PREFIX=$STATSD_PREFIX"
    echo "AIRFLOW__METRICS__METRICS_ALLOW_LIST=$METRICS_ALLOW_LIST"
    echo "AIRFLOW_CONN_AWS_DEFAULT='{\"conn_type\": \"aws\", \"extra\": {\"region_name\": \"$AWS_REGION\"}}'"
    # (an environment without DAG variables is fine: grep finds nothing and says so with status 1)
    grep '^AIRFLOW_VAR_' /etc/dataplatform/platform.env || true
  } > "$1"
  chown root:airflow "$1"
  chmod 0640 "$1"
}

as_airflow() { # environment file, command...
  # shellcheck disable=SC2016  # expanded by the inner bash: $0 is the environment file
  runuser -u airflow -- bash -c 'set -a; source "$0"; set +a; exec "$@"' "$1" "${@:2}"
}

# People's Airflow users (scheduler.airflowUsers, AIRFLOW_USERS=name:Role:secret ARN,...) as JSON in USERS_JSON,
# each with the password of its own secret. A secret that cannot be read stops the run.
read_users() {
  USERS_JSON='[]'
  local entries=() entry name role arn secret password
  [[ -n ${AIRFLOW_USERS:-} ]] && IFS=, read -ra entries <<<"$AIRFLOW_USERS"
  for entry in "${entries[@]}"; do
    IFS=: read -r name role arn <<<"$entry"
    secret=$(secret_value "$arn")
    password=$(json_field "$secret" password "the secret of Airflow user $name")
    # Through the environment of jq, never its command line.
    USERS_JSON=$(PASSWORD=$password jq -c --arg name "$name" --arg role "$role" \
      '. + [{name: $name, role: $role, password: env.PASSWORD}]' <<<"$USERS_JSON")
  done
}

# The break-glass admin and every person's user. A person's user is created once with the password of its
# secret (never reset: the person changes it), gets the role the configuration gives it, and is deactivated
# when it leaves the configuration.
create_users() { # environment file
  local secret password
  secret=$(secret_value "$ADMIN_SECRET_ARN")
  password=$(json_field "$secret" password "the admin secret")
  read_users
  # The passwords go through the environment of one process, never the command line.
  ADMIN_PASSWORD=$password USERS_JSON=$USERS_JSON as_airflow "$1" "$VENV/bin/python" - <<'PY'
import json
import os
from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

MANAGED = "(platform)"  # last name of the users this script manages

with get_application_builder() as appbuilder:
    security = appbuilder.sm
    if security.find_user(username="admin") is None:
        security.add_user("admin", "Airflow", "Admin", "admin@localhost", security.find_role("Admin"),
                          os.environ["ADMIN_PASSWORD"])
        print("created the admin user")
    wanted = {u["name"]: u for u in json.loads(os.environ["USERS_JSON"])}
    for name, user in wanted.items():
        role = security.find_role(user["role"])
        existing = security.find_user(username=name)
        if existing is None:
            security.add_user(name, name, MANAGED, name + "@localhost", role, user["password"])
            print("created Airflow user " + name)
        elif existing.roles != [role] or not existing.active:
            existing.roles = [role]
            existing.active = True
            security.update_user(existing)
            print("updated Airflow user " + name)
    for existing in security.get_all_users():
        if existing.last_name == MANAGED and existing.username not in wanted and existing.active:
            existing.active = False
            security.update_user(existing)
            print("deactivated Airflow user " + existing.username)
PY
}

components() { # systemctl verb
  local component
  for component in "${COMPONENTS[@]}"; do
    systemctl "$1" "airflow@${component}.service"
  done
}

# Switches to the new venv and environment file, restarting only what changed: a new Airflow
# (or Python) version stops the components, migrates the database with the new venv and switches
# (on a failed migration the old venv starts again); a changed environment or unit file restarts
# the components; anything else leaves them running.
apply_changes() {
  local candidate=$1 current_venv="" env_changed=no units
  [[ -L $VENV_LINK ]] && current_venv=$(readlink "$VENV_LINK")
  cmp -s "$candidate" "$ENV_FILE" || env_changed=yes
  units=$(cat /etc/systemd/system/airflow@.service /etc/systemd/system/dag-sync.* | sha256sum)
  systemctl daemon-reload

  # Everything that can fail runs against the candidate environment file; the live one is replaced
  # only once migration and admin user are done, so a failed run leaves it and the services as they were.
  if [[ $current_venv != "$VENV" ]]; then
    log "switching Airflow to $VENV"
    # (the link in AIRFLOW_HOME: hosts set up before the link moved to a root-owned folder)
    [[ -n $current_venv || -e $VENV_LINK || -e $AIRFLOW_HOME/venv || -L $AIRFLOW_HOME/venv ]] && components stop
    if ! as_airflow "$candidate" "$VENV/bin/airflow" db migrate; then
      if [[ -n $current_venv ]]; then
        log "migration failed: starting Airflow from $current_venv again"
        components start || true
      fi
      fail "airflow db migrate failed with $VENV"
    fi
    create_users "$candidate"
    mv -f "$candidate" "$ENV_FILE"
    rm -f "$VENV_LINK.new"
    ln -s "$VENV" "$VENV_LINK.new"
    mv -T "$VENV_LINK.new" "$VENV_LINK"
    components enable
    components restart
  elif [[ $env_changed == yes || $units != "$(cat "$STATE/units.sha256" 2>/dev/null)" ]]; then
    log "configuration changed: restarting Airflow"
    create_users "$candidate"
    mv -f "$candidate" "$ENV_FILE"
    components restart
  else
    rm -f "$candidate"
    create_users "$ENV_FILE" # people's users follow the configuration without a restart
    components start
  fi
  echo "$units" > "$STATE/units.sha256"
}

start_support_services() {
  systemctl enable --now cfn-hup.service dag-sync.timer dataplatform-task-credentials.timer
  if [[ $DATABASE == local ]]; then
    systemctl enable dataplatform-data-volume.service
  fi
  # A failed first sync is not fatal: the timer retries every minute.
  systemctl start dag-sync.service || log "DAG sync failed (the timer retries every minute): journalctl -u dag-sync"
}

wait_until_healthy() {
  log "waiting for a healthy scheduler"
  local health=""
  for _ in $(seq 90); do
    if health=$("${CURL[@]}" http://127.0.0.1:8080/api/v2/monitor/health 2>/dev/null) \
      && [[ $(jq -r .metadatabase.status <<<"$health") == healthy ]] \
      && [[ $(jq -r .scheduler.status <<<"$health") == healthy ]]; then
      log "Airflow is healthy: $health"
      return 0
    fi
    sleep 10
  done
  log "Airflow did not become healthy; last answer: ${health:-none}"
  systemctl --no-pager status 'airflow@*' || true
  return 1
}

# Every run's outcome as a metric (1 failed, 0 succeeded): a cfn-hup run that fails does not fail
# any deployment, so the monitoring stack alarms on this instead.
report_outcome() {
  local self
  self=$(imds instance-id 2>/dev/null) || return 0
  aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace "$METRICS_NAMESPACE" \
    --metric-name "$BOOTSTRAP_FAILURES_METRIC" --dimensions "InstanceId=$self" --unit Count --value "$1" >/dev/null \
    || log "could not report the outcome to CloudWatch"
}

on_exit() {
  local status=$?
  # A candidate environment file that was not applied (it holds the keys) does not stay behind.
  [[ -n ${CANDIDATE:-} ]] && rm -f "$CANDIDATE"
  if ((status != 0)); then
    hand_volume_back
    report_outcome 1
  else
    report_outcome 0
  fi
  exit "$status"
}

main() {
  trap on_exit EXIT
  start_agent
  install_packages
  ensure_airflow_user
  install_airflow
  ensure_keys
  refresh_task_credentials
  render_aws_config
  CANDIDATE=$(mktemp /etc/airflow/.airflow.env.XXXXXX)
  render_env_file "$CANDIDATE"
  # Everything is in place: only now take the data volume (and with it the database) over.
  if [[ $DATABASE == local ]]; then
    claim_data_volume
    mount_data_volume
    setup_postgres
  fi
  apply_changes "$CANDIDATE"
  start_support_services
  wait_until_healthy
  PREVIOUS_HOLDER=""
}

case ${1:-} in
  reclaim-volume) reclaim_volume ;;
  task-credentials) refresh_task_credentials ;;
  *) main ;;
esac
