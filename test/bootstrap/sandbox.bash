# Runs src/main/resources/scheduler/bootstrap.sh, unmodified, as cfn-init and cfn-hup run it, in a
# throwaway sandbox: a private mount namespace whose /etc, /opt, /var, /dev and /run are overlays on the
# host's (writes land in the sandbox, never on the host), with recording stubs for every external
# command (AWS CLI, IMDS through curl, dnf/rpm, systemctl, PostgreSQL tools, pip and airflow) first
# on PATH. Real bash, jq, install, useradd, chown, runuser's caller, mktemp and Python run for real.
# Needs root (CI and the project's machines run as root); uses unshare and overlayfs.
# shellcheck shell=bash

SANDBOX_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$SANDBOX_LIB/../.." && pwd)
BOOTSTRAP=$ROOT_DIR/src/main/resources/scheduler/bootstrap.sh

sandbox_setup() {
  SANDBOX=$(mktemp -d "${BATS_TMPDIR:-/tmp}/bootstrap-sandbox.XXXXXX")
  export SANDBOX
  SANDBOX_STUBS=$SANDBOX/stubs
  export SANDBOX_STUBS
  cp -a "$SANDBOX_LIB/stubs" "$SANDBOX_STUBS"
  for version in 3.10 3.11 3.12 3.13; do ln -s python-venv "$SANDBOX_STUBS/python$version"; done
  mkdir -p "$SANDBOX/aws"
  for dir in etc opt var dev run; do mkdir -p "$SANDBOX/$dir-up" "$SANDBOX/$dir-work"; done
  echo i-0new00000000000 > "$SANDBOX/instance-id"
  touch "$SANDBOX/healthy"
  # What cfn-init writes before it runs the bootstrap (AirflowBootstrap.java).
  install -D -m 0750 "$BOOTSTRAP" "$SANDBOX/opt-up/dataplatform/bootstrap.sh"
  mkdir -p "$SANDBOX/etc-up/systemd/system" "$SANDBOX/etc-up/dataplatform"
  for unit in airflow@.service dag-sync.service dag-sync.timer cfn-hup.service dataplatform-data-volume.service \
    dataplatform-task-credentials.service dataplatform-task-credentials.timer; do
    cp "$ROOT_DIR/src/main/resources/scheduler/$unit" "$SANDBOX/etc-up/systemd/system/"
  done
  install -D -m 0755 "$SANDBOX_STUBS/noop" "$SANDBOX/opt-up/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
  install -D -m 0644 /dev/null "$SANDBOX/etc-up/fstab"
  mkdir -p "$SANDBOX/dev-up/disk/by-id"
  touch "$SANDBOX/dev-up/nvme1n1"
  ln -s /dev/nvme1n1 "$SANDBOX/dev-up/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0data0000000001"
  platform_env local
  secret keys '{"placeholder": "generated-by-the-stack"}'
  secret admin '{"username": "admin", "password": "p@ss w0rd$`\"'\''"}'
}

sandbox_teardown() {
  [[ -n ${SANDBOX:-} && -d $SANDBOX ]] && rm -rf "$SANDBOX"
}

# platform.env as the scheduler stack renders it; DATABASE local or rds; extra KEY=VALUE lines.
platform_env() {
  local database=$1
  shift
  {
    echo "AWS_REGION=eu-west-1"
    echo "AIRFLOW_VERSION=${AIRFLOW_VERSION_UNDER_TEST:-3.3.2}"
    echo "PYTHON_VERSION=${PYTHON_VERSION_UNDER_TEST:-3.12}"
    echo "AIRFLOW_API_HOST=127.0.0.1"
    echo "ADMIN_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:111122223333:secret:admin"
    echo "KEYS_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:111122223333:secret:keys"
    echo "TASK_ROLE_ARN=arn:aws:iam::111122223333:role/dataplat-dev-scheduler-TaskRole"
    echo "ARTIFACTS_BUCKET=artifacts-bucket"
    echo "LOGS_BUCKET=logs-bucket"
    echo "DATA_VOLUME_ID=$([[ $database == local ]] && echo vol-0data0000000001)"
    echo "DATABASE=$database"
    echo "DB_SECRET_ARN=$([[ $database == rds ]] && echo arn:aws:secretsmanager:eu-west-1:111122223333:secret:db)"
    echo "METRICS_NAMESPACE=DataPlatform/dataplat-dev/Airflow"
    echo "BOOTSTRAP_FAILURES_METRIC=BootstrapFailures"
    echo 'STATSD_PREFIX=airflow'
    echo 'METRICS_ALLOW_LIST=^scheduler_heartbeat$,^ti_successes$'
    echo "AIRFLOW_VAR_RAW_BUCKET=raw-bucket"
    printf '%s\n' "$@"
  } > "$SANDBOX/etc-up/dataplatform/platform.env"
}

secret() { printf '%s' "$2" > "$SANDBOX/aws/$1"; }
secret_fails() { echo "$2" > "$SANDBOX/aws/$1.fail"; }

# Runs the bootstrap the way cfn-init does; sets $status and $output (bats run).
bootstrap() {
  : > "$SANDBOX/calls.log"
  # shellcheck disable=SC2016  # expanded by the sandbox's own bash
  run unshare -m --propagation private env -i PATH="$SANDBOX_STUBS:/usr/sbin:/usr/bin:/sbin:/bin" \
    SANDBOX="$SANDBOX" SANDBOX_STUBS="$SANDBOX_STUBS" bash -c '
      for dir in etc opt var dev run; do
        /bin/mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$SANDBOX/$dir-up,workdir=$SANDBOX/$dir-work" "/$dir"
      done
      exec /opt/dataplatform/bootstrap.sh "$@"' _ "$@"
}

# Runs another of the platform's first-boot scripts ($1, a path under the project root) in the same sandbox.
run_script() {
  : > "$SANDBOX/calls.log"
  install -D -m 0755 "$ROOT_DIR/$1" "$SANDBOX/opt-up/dataplatform-test/script.sh"
  # shellcheck disable=SC2016  # expanded by the sandbox's own bash
  run unshare -m --propagation private env -i PATH="$SANDBOX_STUBS:/usr/sbin:/usr/bin:/sbin:/bin" \
    SANDBOX="$SANDBOX" SANDBOX_STUBS="$SANDBOX_STUBS" bash -c '
      for dir in etc opt var dev run; do
        /bin/mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$SANDBOX/$dir-up,workdir=$SANDBOX/$dir-work" "/$dir"
      done
      exec /opt/dataplatform-test/script.sh'
}

calls() { cat "$SANDBOX/calls.log"; }
# Fails (and says so) when the command succeeds. Bats does not fail a test on "! command".
refute() {
  if "$@"; then
    echo "expected to fail: $*" >&2
    return 1
  fi
}
called() { grep -qE -- "$1" "$SANDBOX/calls.log"; }
line_of() { grep -nE -- "$1" "$SANDBOX/calls.log" | head -1 | cut -d: -f1; }
env_file() { cat "$SANDBOX/etc-up/airflow/airflow.env"; }
sandbox_path() { echo "$SANDBOX/$1-up/${2#/*/}"; }
