#!/usr/bin/env bash
# Installs and (re)configures Apache Airflow on this instance. cfn-init runs it at first boot and
# cfn-hup runs it again after every change of the stack's metadata; every step is idempotent.
# It exits non-zero unless Airflow reports a healthy scheduler, so CloudFormation fails the
# deployment instead of "succeeding" with a dead instance.
set -euo pipefail

# Rendered by the stack: region, versions, bucket names, secret ARNs, AIRFLOW_VAR_* values.
# shellcheck source=/dev/null
source /etc/dataplatform/platform.env

readonly AIRFLOW_HOME=/opt/airflow
readonly VENV=$AIRFLOW_HOME/venv
readonly ENV_FILE=/etc/airflow/airflow.env
readonly PG_MOUNT=/var/lib/pgsql
readonly COMPONENTS=(api-server scheduler dag-processor triggerer)

log() { echo "[bootstrap $(date -u +%H:%M:%S)] $*"; }

secret_json() { aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$1" --query SecretString --output text; }

install_packages() {
  log "installing packages"
  dnf install -y -q "python${PYTHON_VERSION}" "python${PYTHON_VERSION}-devel" gcc jq postgresql16 amazon-cloudwatch-agent
  if [[ $DATABASE == local ]]; then
    dnf install -y -q postgresql16-server
  fi
}

ensure_airflow_user() {
  id airflow >/dev/null 2>&1 || useradd --system --home-dir "$AIRFLOW_HOME" --shell /sbin/nologin airflow
  install -d -o airflow -g airflow "$AIRFLOW_HOME" "$AIRFLOW_HOME/dags" "$AIRFLOW_HOME/logs" "$AIRFLOW_HOME/plugins" /var/log/airflow
  install -d -o root -g airflow -m 0750 /etc/airflow
}

imds() {
  local token
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# The metadata database lives on its own encrypted, retained EBS volume. When CloudFormation
# replaces the instance, the new one takes the volume over: it stops the previous instance (the
# same logical resource of this stack; PostgreSQL shuts down cleanly), detaches and attaches it.
attach_data_volume() {
  local self holder
  self=$(imds instance-id)
  holder=$(aws ec2 describe-volumes --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID" \
    --query 'Volumes[0].Attachments[0].InstanceId' --output text)
  if [[ $holder == "$self" ]]; then
    return
  fi
  if [[ $holder != None && -n $holder ]]; then
    log "taking the data volume over from $holder"
    aws ec2 stop-instances --region "$AWS_REGION" --instance-ids "$holder" >/dev/null
    aws ec2 wait instance-stopped --region "$AWS_REGION" --instance-ids "$holder"
    aws ec2 detach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" >/dev/null
  fi
  aws ec2 wait volume-available --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID"
  aws ec2 attach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" --instance-id "$self" --device /dev/sdf >/dev/null
  aws ec2 wait volume-in-use --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID"
}

mount_data_volume() {
  attach_data_volume
  local link="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${DATA_VOLUME_ID//-/}"
  for _ in $(seq 60); do [[ -e $link ]] && break; sleep 5; done
  [[ -e $link ]] || { log "data volume $DATA_VOLUME_ID not attached"; return 1; }
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

setup_postgres() {
  if [[ ! -f $PG_MOUNT/data/PG_VERSION ]]; then
    log "initialising PostgreSQL"
    postgresql-setup --initdb
  fi
  systemctl enable --now postgresql
  # Local peer authentication: the airflow OS user is the airflow database role, no password.
  if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'airflow'" | grep -q 1; then
    runuser -u postgres -- psql -qc "CREATE ROLE airflow LOGIN"
  fi
  if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'airflow'" | grep -q 1; then
    runuser -u postgres -- createdb -O airflow airflow
  fi
}

install_airflow() {
  if [[ -x $VENV/bin/airflow ]] && [[ $("$VENV/bin/airflow" version 2>/dev/null) == "$AIRFLOW_VERSION" ]]; then
    log "Airflow $AIRFLOW_VERSION already installed"
    return
  fi
  log "installing Airflow $AIRFLOW_VERSION on Python $PYTHON_VERSION with the official constraints"
  runuser -u airflow -- "python${PYTHON_VERSION}" -m venv --clear "$VENV"
  runuser -u airflow -- "$VENV/bin/pip" install -q --upgrade pip
  runuser -u airflow -- "$VENV/bin/pip" install -q \
    "apache-airflow[amazon,postgres,fab,statsd]==${AIRFLOW_VERSION}" \
    --constraint "https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt"
}

# Fernet key (32 url-safe base64 bytes, made by cryptography itself), API secret and JWT secret are
# generated once, here, and kept in Secrets Manager; they never appear in the template or user data.
ensure_keys() {
  if [[ $(secret_json "$KEYS_SECRET_ARN" | jq -r '.fernet_key // empty') == "" ]]; then
    log "generating Airflow keys into $KEYS_SECRET_ARN"
    local keys
    keys=$("$VENV/bin/python" -c 'import json, secrets; from cryptography.fernet import Fernet; print(json.dumps({"fernet_key": Fernet.generate_key().decode(), "api_secret_key": secrets.token_urlsafe(32), "jwt_secret": secrets.token_urlsafe(32)}))')
    aws secretsmanager put-secret-value --region "$AWS_REGION" --secret-id "$KEYS_SECRET_ARN" --secret-string "$keys" >/dev/null
  fi
}

# Local: peer authentication over the socket (the airflow OS user is the airflow role, no
# password). RDS: the master credentials from its secret, over TLS.
sql_alchemy_conn() {
  if [[ $DATABASE == rds ]]; then
    secret_json "$DB_SECRET_ARN" | "$VENV/bin/python" -c 'import json, sys, urllib.parse; s = json.load(sys.stdin); print("postgresql+psycopg2://%s:%s@%s:%s/airflow?sslmode=require" % (urllib.parse.quote(s["username"], safe=""), urllib.parse.quote(s["password"], safe=""), s["host"], s["port"]))'
  else
    echo "postgresql+psycopg2://airflow@/airflow?host=/run/postgresql"
  fi
}

write_env_file() {
  local keys tmp
  keys=$(secret_json "$KEYS_SECRET_ARN")
  tmp=$(mktemp /etc/airflow/.airflow.env.XXXXXX)
  {
    echo "AIRFLOW_HOME=$AIRFLOW_HOME"
    echo "AWS_DEFAULT_REGION=$AWS_REGION"
    echo "AIRFLOW__CORE__EXECUTOR=LocalExecutor"
    echo "AIRFLOW__CORE__AUTH_MANAGER=airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
    echo "AIRFLOW__CORE__DAGS_FOLDER=$AIRFLOW_HOME/dags"
    echo "AIRFLOW__CORE__LOAD_EXAMPLES=False"
    echo "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True"
    echo "AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://127.0.0.1:8080/execution/"
    echo "AIRFLOW__CORE__FERNET_KEY=$(jq -r .fernet_key <<<"$keys")"
    echo "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=$(sql_alchemy_conn)"
    echo "AIRFLOW__API__HOST=$AIRFLOW_API_HOST"
    echo "AIRFLOW__API__PORT=8080"
    echo "AIRFLOW__API__SECRET_KEY=$(jq -r .api_secret_key <<<"$keys")"
    echo "AIRFLOW__API_AUTH__JWT_SECRET=$(jq -r .jwt_secret <<<"$keys")"
    echo "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=True"
    echo "AIRFLOW__LOGGING__REMOTE_LOGGING=True"
    echo "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=s3://$LOGS_BUCKET/airflow"
    echo "AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID=aws_default"
    echo "AIRFLOW__METRICS__STATSD_ON=True"
    echo "AIRFLOW__METRICS__STATSD_HOST=127.0.0.1"
    echo "AIRFLOW__METRICS__STATSD_PORT=8125"
    echo "AIRFLOW__METRICS__STATSD_PREFIX=airflow"
    # Each metric name becomes a billed CloudWatch custom metric: send only what the monitoring
    # stack's alarms and dashboard read, plus DAG-processing health (regex patterns, no prefix).
    echo "AIRFLOW__METRICS__METRICS_ALLOW_LIST=^scheduler_heartbeat$,^ti_successes$,^ti_failures$,^dag_processing.total_parse_time$,^dag_processing.import_errors$"
    echo "AIRFLOW_CONN_AWS_DEFAULT='{\"conn_type\": \"aws\", \"extra\": {\"region_name\": \"$AWS_REGION\"}}'"
    grep '^AIRFLOW_VAR_' /etc/dataplatform/platform.env
  } > "$tmp"
  chown root:airflow "$tmp"
  chmod 0640 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

as_airflow() {
  runuser -u airflow -- bash -c 'set -a; source /etc/airflow/airflow.env; set +a; exec "$@"' _ "$@"
}

migrate_and_create_admin() {
  log "migrating the metadata database"
  as_airflow "$VENV/bin/airflow" db migrate
  # The password goes through the environment of one process, never the command line.
  ADMIN_PASSWORD=$(secret_json "$ADMIN_SECRET_ARN" | jq -r .password) \
    as_airflow "$VENV/bin/python" - <<'PY'
import os
from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

with get_application_builder() as appbuilder:
    security = appbuilder.sm
    if security.find_user(username="admin") is None:
        security.add_user("admin", "Airflow", "Admin", "admin@localhost", security.find_role("Admin"),
                          os.environ["ADMIN_PASSWORD"])
        print("created the admin user")
PY
}

start_services() {
  log "starting services"
  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
    -c file:/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json
  systemctl daemon-reload
  systemctl enable --now cfn-hup.service dag-sync.timer
  systemctl start dag-sync.service
  local component
  for component in "${COMPONENTS[@]}"; do
    systemctl enable "airflow@${component}.service"
    systemctl restart "airflow@${component}.service"
  done
}

wait_until_healthy() {
  log "waiting for a healthy scheduler"
  local health
  for _ in $(seq 90); do
    if health=$(curl -fsS http://127.0.0.1:8080/api/v2/monitor/health 2>/dev/null) \
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

main() {
  install_packages
  ensure_airflow_user
  if [[ $DATABASE == local ]]; then
    mount_data_volume
    setup_postgres
  fi
  install_airflow
  ensure_keys
  write_env_file
  migrate_and_create_admin
  start_services
  wait_until_healthy
}

main "$@"
