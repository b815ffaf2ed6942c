#!/usr/bin/env bats
# bootstrap.sh, unmodified, in sandboxes (sandbox.bash): first boot, re-run, replacement and
# rollback, upgrade and failed upgrade, RDS, and every failure path that once lost keys or data.
# Run: bats test/bootstrap (as root; .ci/run and the README's test command do).

load sandbox

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

KEYS_PUT='aws secretsmanager put-secret-value'
VENV_332=/opt/dataplatform/venvs/airflow-3.3.2-py3.12

first_boot() {
  bootstrap
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

@test "first boot: keys generated once from the placeholder, through stdin; a complete env file; Airflow healthy" {
  first_boot
  [ "$(grep -c "^$KEYS_PUT" "$SANDBOX/calls.log")" -eq 1 ]
  called "^$KEYS_PUT .*--secret-string file:///dev/stdin$"
  fernet=$(jq -r .fernet_key "$SANDBOX/aws/keys")
  [ "${#fernet}" -eq 44 ]
  # No key reaches a command line.
  refute grep -qF "$fernet" "$SANDBOX/calls.log"
  refute grep -q 'fernet_key"' <(grep -v '^venv-python -c' "$SANDBOX/calls.log")
  env_file | grep -qx "AIRFLOW__CORE__FERNET_KEY=$fernet"
  env_file | grep -qx "AIRFLOW__API_AUTH__JWT_SECRET=$(jq -r .jwt_secret "$SANDBOX/aws/keys")"
  env_file | grep -qx 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql+psycopg2://airflow@/airflow?host=/run/postgresql'
  env_file | grep -qx 'AIRFLOW_VAR_RAW_BUCKET=raw-bucket'
  env_file | grep -qxF 'AIRFLOW__METRICS__METRICS_ALLOW_LIST=^scheduler_heartbeat$,^ti_successes$'
  env_file | grep -qx 'AIRFLOW__METRICS__STATSD_PREFIX=airflow'
  refute grep -qE '^[A-Za-z_]+=(null)?$' "$SANDBOX/etc-up/airflow/airflow.env"
  airflow_gid=$(awk -F: '$1 == "airflow" {print $4}' "$SANDBOX/etc-up/passwd")
  [ "$(stat -c '%u:%g %a' "$SANDBOX/etc-up/airflow/airflow.env")" = "0:$airflow_gid 640" ]
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = "$VENV_332" ]
  [ "$(grep -c '^airflow db migrate' "$SANDBOX/calls.log")" -eq 1 ]
  called '^venv-python -$' # the admin user, password through the environment
  called '^systemctl restart airflow@scheduler.service$'
  called '^aws ec2 attach-volume .*--instance-id i-0new00000000000'
  called '^mkfs.xfs -q /dev/nvme1n1$'
  called '^createdb -O airflow airflow$'
}

@test "root never runs code the airflow user can change: the venv belongs to root and is read-only to others" {
  first_boot
  venv=$SANDBOX/opt-up${VENV_332#/opt}
  [ -x "$venv/bin/airflow" ]
  [ -z "$(find "$venv" ! -user root)" ]
  [ -z "$(find "$venv" -perm /022 ! -type l)" ]
  # The units run the venv through the link, as the airflow user.
  grep -qx 'ExecStart=/opt/dataplatform/venv/bin/airflow %i' "$SANDBOX/etc-up/systemd/system/airflow@.service"
  grep -qx 'User=airflow' "$SANDBOX/etc-up/systemd/system/airflow@.service"
}

@test "every curl call has a time limit" {
  first_boot
  [ "$(grep -c '^curl ' "$SANDBOX/calls.log")" -ge 3 ]
  refute grep -v -- '--max-time' <(grep '^curl ' "$SANDBOX/calls.log")
}

@test "re-run with nothing changed: no new keys, no dnf, no migration, no restart" {
  first_boot
  keys=$(cat "$SANDBOX/aws/keys")
  env=$(env_file)
  first_boot
  [ "$(cat "$SANDBOX/aws/keys")" = "$keys" ]
  [ "$(env_file)" = "$env" ]
  refute called "^$KEYS_PUT"
  refute called '^dnf '
  refute called 'db migrate'
  refute called '^systemctl (restart|stop) airflow@'
  called '^systemctl start airflow@scheduler.service$'
}

@test "re-run with a changed setting: restarts the components, no migration" {
  first_boot
  platform_env local "AIRFLOW_VAR_NEW_SETTING=1"
  first_boot
  env_file | grep -qx 'AIRFLOW_VAR_NEW_SETTING=1'
  called '^systemctl restart airflow@scheduler.service$'
  refute called 'db migrate'
}

@test "a failed read of the keys secret stops the run and never replaces the keys" {
  secret_fails keys ThrottlingException
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"cannot read secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:keys"* ]]
  refute called "^$KEYS_PUT"
  [ ! -e "$SANDBOX/etc-up/airflow/airflow.env" ]
  refute called 'db migrate'
}

@test "a failed read of the keys secret on a running host leaves its env file and services alone" {
  first_boot
  env=$(env_file)
  secret_fails keys AccessDeniedException
  bootstrap
  [ "$status" -ne 0 ]
  [ "$(env_file)" = "$env" ]
  refute called "^$KEYS_PUT"
  refute called '^systemctl (restart|stop) airflow@'
}

@test "a keys secret that is not JSON, or lacks a key, is never overwritten" {
  secret keys 'not json'
  bootstrap
  [ "$status" -ne 0 ]
  refute called "^$KEYS_PUT"
  [ "$(cat "$SANDBOX/aws/keys")" = 'not json' ]

  secret keys '{"fernet_key": "x", "api_secret_key": "y", "jwt_secret": null}'
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *'the keys secret has no usable "jwt_secret"'* ]]
  refute called "^$KEYS_PUT"

  secret keys '{"something": "else"}'
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"neither Airflow's keys nor the stack's placeholder"* ]]
  refute called "^$KEYS_PUT"
}

@test "an unreadable admin secret stops the run: no admin with an empty password" {
  secret_fails admin KMSAccessDeniedException
  bootstrap
  [ "$status" -ne 0 ]
  refute called '^venv-python -$'
}

@test "RDS: the connection comes from the secret, URL-quoted, over TLS" {
  platform_env rds
  secret db '{"username": "airflow", "password": "p@ss/w:rd%", "host": "db.example.internal", "port": 5432}'
  first_boot
  env_file | grep -qx 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql+psycopg2://airflow:p%40ss%2Fw%3Ard%25@db.example.internal:5432/airflow?sslmode=require'
  refute called 'ec2 attach-volume'
  refute called 'postgresql-setup'
}

@test "RDS: an unreadable or incomplete database secret stops the run and leaves the env file alone" {
  platform_env rds
  secret db '{"username": "airflow", "password": "pw", "host": "db.example.internal", "port": 5432}'
  first_boot
  env=$(env_file)
  secret_fails db ThrottlingException
  bootstrap
  [ "$status" -ne 0 ]
  [ "$(env_file)" = "$env" ]
  refute called '^systemctl (restart|stop) airflow@'
  rm "$SANDBOX/aws/db.fail"
  secret db '{"username": "airflow", "password": "pw"}'
  bootstrap
  [ "$status" -ne 0 ]
  [ "$(env_file)" = "$env" ]
  refute grep -q 'SQL_ALCHEMY_CONN=$' "$SANDBOX/etc-up/airflow/airflow.env"
}

@test "replacement: the new instance installs everything before it takes the volume over" {
  echo i-0old00000000000 > "$SANDBOX/aws/volume-holder"
  first_boot
  [ "$(line_of '^pip install .*apache-airflow')" -lt "$(line_of '^aws ec2 stop-instances .*i-0old00000000000')" ]
  [ "$(line_of "^$KEYS_PUT")" -lt "$(line_of '^aws ec2 stop-instances')" ]
  [ "$(line_of '^aws ec2 stop-instances')" -lt "$(line_of '^aws ec2 detach-volume')" ]
  [ "$(cat "$SANDBOX/aws/volume-holder")" = i-0new00000000000 ]
  refute called 'start-instances'
}

@test "replacement that fails: the volume goes back to the previous instance, which is started again" {
  echo i-0old00000000000 > "$SANDBOX/aws/volume-holder"
  rm "$SANDBOX/healthy"
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"handing the data volume back to i-0old00000000000"* ]]
  [ "$(cat "$SANDBOX/aws/volume-holder")" = i-0old00000000000 ]
  called '^aws ec2 start-instances --region eu-west-1 --instance-ids i-0old00000000000$'
  [ "$(line_of '^aws ec2 attach-volume .*i-0old')" -lt "$(line_of '^aws ec2 start-instances')" ]
  called '^systemctl stop postgresql$'
}

@test "replacement that fails before the take-over leaves the previous instance untouched" {
  echo i-0old00000000000 > "$SANDBOX/aws/volume-holder"
  touch "$SANDBOX/pip-fails"
  bootstrap
  [ "$status" -ne 0 ]
  refute called 'ec2 stop-instances'
  refute called 'ec2 detach-volume'
  [ "$(cat "$SANDBOX/aws/volume-holder")" = i-0old00000000000 ]
}

@test "upgrade: the new Airflow is built beside the old one, the components stop before the migration" {
  first_boot
  AIRFLOW_VERSION_UNDER_TEST=3.3.3 platform_env local
  first_boot
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = /opt/dataplatform/venvs/airflow-3.3.3-py3.12 ]
  [ -x "$SANDBOX/opt-up${VENV_332#/opt}/bin/airflow" ]
  [ "$(line_of '^systemctl stop airflow@scheduler')" -lt "$(line_of 'db migrate')" ]
  [ "$(line_of 'db migrate')" -lt "$(line_of '^systemctl restart airflow@scheduler')" ]
}

@test "failed upgrade (pip): the running Airflow is untouched" {
  first_boot
  touch "$SANDBOX/pip-fails"
  AIRFLOW_VERSION_UNDER_TEST=3.3.3 platform_env local
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"could not install Airflow 3.3.3; the running Airflow is untouched"* ]]
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = "$VENV_332" ]
  [ ! -e "$SANDBOX/opt-up/dataplatform/venvs/airflow-3.3.3-py3.12" ]
  refute called '^systemctl (stop|restart) airflow@'
}

@test "failed upgrade (migration): the old Airflow starts again and the run fails" {
  first_boot
  touch "$SANDBOX/migrate-fails"
  AIRFLOW_VERSION_UNDER_TEST=3.3.3 platform_env local
  bootstrap
  [ "$status" -ne 0 ]
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = "$VENV_332" ]
  [ "$(line_of 'db migrate')" -lt "$(line_of '^systemctl start airflow@scheduler')" ]
}

@test "a Python version change builds a new venv on an existing host" {
  first_boot
  PYTHON_VERSION_UNDER_TEST=3.13 platform_env local
  first_boot
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = /opt/dataplatform/venvs/airflow-3.3.2-py3.13 ]
  called '^python3.13 -m venv'
}

@test "a host with an old layout (venv or its link in AIRFLOW_HOME) moves to the root-owned link, stopping Airflow first" {
  mkdir -p "$SANDBOX/opt-up/airflow/venv/bin"
  touch "$SANDBOX/opt-up/airflow/venv/bin/airflow"
  first_boot
  [ "$(readlink "$SANDBOX/opt-up/dataplatform/venv")" = "$VENV_332" ]
  [ "$(line_of '^systemctl stop airflow@scheduler')" -lt "$(line_of 'db migrate')" ]
  # Root leaves what is in AIRFLOW_HOME alone.
  [ -f "$SANDBOX/opt-up/airflow/venv/bin/airflow" ]

  sandbox_teardown; sandbox_setup
  mkdir -p "$SANDBOX/opt-up/airflow"
  ln -s "$VENV_332" "$SANDBOX/opt-up/airflow/venv"
  first_boot
  [ "$(line_of '^systemctl stop airflow@scheduler')" -lt "$(line_of 'db migrate')" ]
}

@test "root never writes through a path the airflow user controls (links planted in AIRFLOW_HOME and the log folder)" {
  first_boot
  # What any task could do as the airflow user on a host of the previous layout.
  airflow_uid=$(awk -F: '$1 == "airflow" {print $3}' "$SANDBOX/etc-up/passwd")
  mkdir -p "$SANDBOX/etc-up/victim"
  echo 'root:secret' > "$SANDBOX/etc-up/victim/shadow"
  rm -rf "$SANDBOX/opt-up/airflow/dags"
  ln -s /etc/victim "$SANDBOX/opt-up/airflow/dags"
  chown -h "$airflow_uid" "$SANDBOX/opt-up/airflow/dags"
  chown "$airflow_uid" "$SANDBOX/var-up/log/airflow"
  ln -s /etc/victim/shadow "$SANDBOX/var-up/log/airflow/scheduler.log"
  touch "$SANDBOX/var-up/log/airflow/triggerer.log"
  chown "$airflow_uid" "$SANDBOX/var-up/log/airflow/triggerer.log"
  first_boot
  [ "$(stat -c '%u %a' "$SANDBOX/etc-up/victim")" = "0 755" ]
  [ "$(stat -c %u "$SANDBOX/etc-up/victim/shadow")" = 0 ]
  [ "$(cat "$SANDBOX/etc-up/victim/shadow")" = 'root:secret' ]
  # The log folder belongs to root again and holds nothing a user put there.
  [ "$(stat -c '%u %a' "$SANDBOX/var-up/log/airflow")" = "0 755" ]
  [ ! -L "$SANDBOX/var-up/log/airflow/scheduler.log" ]
  [ ! -e "$SANDBOX/var-up/log/airflow/triggerer.log" ]
  # AIRFLOW_HOME's folders are made by the airflow user, never chowned by root.
  called '^runuser -u airflow -- mkdir -p /opt/airflow/dags /opt/airflow/logs /opt/airflow/plugins$'
  refute grep -nE '(install|chown).* /opt/airflow/' "$BOOTSTRAP"
}

@test "a link or file in place of a root-owned folder stops the run" {
  mkdir -p "$SANDBOX/var-up/log"
  ln -s /etc "$SANDBOX/var-up/log/airflow"
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"/var/log/airflow is not a directory; refusing to use it"* ]]
}

@test "Airflow and its tasks hold the task role, never the instance role: metadata service blocked, credentials from a root-owned file" {
  first_boot
  unit=$SANDBOX/etc-up/systemd/system/airflow@.service
  grep -qx 'IPAddressDeny=169.254.169.254 fd00:ec2::254' "$unit"
  env_file | grep -qx 'AWS_CONFIG_FILE=/etc/airflow/aws-config'
  env_file | grep -qx 'AWS_EC2_METADATA_DISABLED=true'
  env_file | grep -qx 'AWS_SHARED_CREDENTIALS_FILE=/dev/null'
  called '^aws sts assume-role --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/dataplat-dev-scheduler-TaskRole --role-session-name airflow-tasks --duration-seconds 3600'
  credentials=$SANDBOX/run-up/dataplatform/task-credentials.json
  airflow_gid=$(awk -F: '$1 == "airflow" {print $4}' "$SANDBOX/etc-up/passwd")
  [ "$(stat -c '%u:%g %a' "$credentials")" = "0:$airflow_gid 640" ]
  [ "$(stat -c '%u:%g %a' "$SANDBOX/run-up/dataplatform")" = "0:$airflow_gid 750" ]
  [ "$(stat -c '%u:%g %a' "$SANDBOX/etc-up/airflow/aws-config")" = "0:$airflow_gid 640" ]
  grep -qx 'credential_process = /usr/bin/cat /run/dataplatform/task-credentials.json' "$SANDBOX/etc-up/airflow/aws-config"
  # The AWS SDK itself (botocore) reads them through this configuration.
  sed "s|/run/dataplatform|$SANDBOX/run-up/dataplatform|" "$SANDBOX/etc-up/airflow/aws-config" > "$SANDBOX/aws-config"
  AWS_CONFIG_FILE=$SANDBOX/aws-config AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    run python3 -c 'import botocore.session; c = botocore.session.Session().get_credentials(); print(c.method, c.get_frozen_credentials().access_key)'
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
  [ "$output" = "custom-process ASIAEXAMPLE0001" ]
  # The timer renews them; a renewal replaces the file whole.
  called '^systemctl enable --now .*dataplatform-task-credentials.timer'
  grep -qx 'ExecStart=/opt/dataplatform/bootstrap.sh task-credentials' "$SANDBOX/etc-up/systemd/system/dataplatform-task-credentials.service"
  bootstrap task-credentials
  [ "$status" -eq 0 ]
  [ "$(jq -r .AccessKeyId "$credentials")" = ASIAEXAMPLE0002 ]
  [ "$(jq -r .Version "$credentials")" = 1 ]
  [ -z "$(find "$SANDBOX/run-up/dataplatform" -name '.task-credentials.*')" ]
}

@test "a failed renewal of the task credentials keeps the current ones" {
  first_boot
  credentials=$SANDBOX/run-up/dataplatform/task-credentials.json
  before=$(cat "$credentials")
  echo AccessDenied > "$SANDBOX/aws/assume-role.fail"
  bootstrap task-credentials
  [ "$status" -ne 0 ]
  [[ $output == *"cannot assume the task role"* ]]
  [ "$(cat "$credentials")" = "$before" ]
}

@test "PostgreSQL that refuses connections is reported as such, not as a missing role" {
  touch "$SANDBOX/postgres-down"
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"cannot connect to the local PostgreSQL"* ]]
  refute called 'CREATE ROLE'
}

@test "a failed first DAG sync does not fail the run (the timer retries)" {
  touch "$SANDBOX/dag-sync-fails"
  first_boot
  [[ $output == *"DAG sync failed"* ]]
}

@test "every run reports its outcome to CloudWatch: 0 when it succeeded, 1 when it failed" {
  first_boot
  called '^aws cloudwatch put-metric-data --region eu-west-1 --namespace DataPlatform/dataplat-dev/Airflow --metric-name BootstrapFailures --dimensions InstanceId=i-0new00000000000 --unit Count --value 0$'
  secret_fails keys ThrottlingException
  bootstrap
  [ "$status" -ne 0 ]
  called '^aws cloudwatch put-metric-data .*--metric-name BootstrapFailures .*--value 1$'
}

@test "an Airflow that never reports a healthy scheduler fails the run" {
  rm "$SANDBOX/healthy"
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"Airflow did not become healthy"* ]]
  [ "$(grep -c '/api/v2/monitor/health' "$SANDBOX/calls.log")" -eq 90 ]
}

@test "at boot, a free data volume is attached and mounted; one held by another instance is left alone" {
  first_boot
  called '^systemctl enable dataplatform-data-volume.service$'
  echo None > "$SANDBOX/aws/volume-holder"
  bootstrap reclaim-volume
  [ "$status" -eq 0 ]
  called '^aws ec2 attach-volume .*--instance-id i-0new00000000000'
  called '^mount /var/lib/pgsql$|^mountpoint -q /var/lib/pgsql$'
  echo i-0other000000000 > "$SANDBOX/aws/volume-holder"
  bootstrap reclaim-volume
  [ "$status" -eq 0 ]
  refute called 'ec2 (attach|detach)-volume|stop-instances'
  [ "$(cat "$SANDBOX/aws/volume-holder")" = i-0other000000000 ]
}

@test "the CloudWatch agent runs before anything else can fail, so a failed bootstrap is readable in CloudWatch" {
  touch "$SANDBOX/pip-fails"
  bootstrap
  [ "$status" -ne 0 ]
  called '^amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json$'
  [ "$(line_of 'fetch-config')" -lt "$(line_of '^pip install')" ]
  [ "$(line_of 'fetch-config')" -lt "$(line_of '^dnf install -y -q python3')" ]
}

@test "a run that fails after rendering (admin secret unreadable) leaves the live env file and services alone" {
  first_boot
  env=$(env_file)
  platform_env local "AIRFLOW_VAR_NEW_SETTING=1"
  secret_fails admin ThrottlingException
  bootstrap
  [ "$status" -ne 0 ]
  [ "$(env_file)" = "$env" ]
  refute called '^systemctl (restart|stop) airflow@'
  [ -z "$(find "$SANDBOX/etc-up/airflow" -name '.airflow.env.*')" ]
  # Next run, with the secret readable again, applies the change.
  rm "$SANDBOX/aws/admin.fail"
  first_boot
  env_file | grep -qx 'AIRFLOW_VAR_NEW_SETTING=1'
  called '^systemctl restart airflow@scheduler.service$'
}

# Runs the users script the bootstrap handed to Airflow's Python against the fake FAB builder (fake-airflow/).
run_users_script() {
  ADMIN_PASSWORD=admin-pw USERS_JSON=$(cat "$SANDBOX/users.json") FAKE_AIRFLOW_USERS=$SANDBOX/fab-users.json \
    PYTHONPATH=$SANDBOX_LIB/fake-airflow run python3 "$SANDBOX/users-script.py"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
}
fab_user() { jq -c --arg u "$1" '.[] | select(.username == $u) | [.roles, .active, .password]' "$SANDBOX/fab-users.json"; }

@test "people's Airflow users: created once from their own secrets, roles follow the config, removed users are deactivated" {
  users="ana:Op:arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-ana,joao:Viewer:arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-joao"
  platform_env local "AIRFLOW_USERS=$users"
  secret user-ana '{"username": "ana", "password": "pw-of-ana"}'
  secret user-joao '{"username": "joao", "password": "pw-of-joao"}'
  first_boot
  called '^aws secretsmanager get-secret-value .*--secret-id arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-ana'
  called '^aws secretsmanager get-secret-value .*--secret-id arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-joao'
  refute grep -q 'pw-of-' "$SANDBOX/calls.log"
  echo '[]' > "$SANDBOX/fab-users.json"
  run_users_script
  [ "$(fab_user admin)" = '[["Admin"],true,"admin-pw"]' ]
  [ "$(fab_user ana)" = '[["Op"],true,"pw-of-ana"]' ]
  [ "$(fab_user joao)" = '[["Viewer"],true,"pw-of-joao"]' ]
  # ana changed her password in Airflow; her role changes and joao leaves the configuration.
  jq '(.[] | select(.username == "ana") | .password) = "changed-by-ana"' "$SANDBOX/fab-users.json" > "$SANDBOX/x" && mv "$SANDBOX/x" "$SANDBOX/fab-users.json"
  platform_env local "AIRFLOW_USERS=ana:Admin:arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-ana"
  first_boot
  run_users_script
  [ "$(fab_user ana)" = '[["Admin"],true,"changed-by-ana"]' ]
  [ "$(fab_user joao)" = '[["Viewer"],false,"pw-of-joao"]' ]
  [ "$(fab_user admin)" = '[["Admin"],true,"admin-pw"]' ]
}

@test "an unreadable secret of a person's Airflow user stops the run" {
  platform_env local "AIRFLOW_USERS=ana:Op:arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-ana"
  secret_fails user-ana AccessDeniedException
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"cannot read secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:user-ana"* ]]
  [ ! -e "$SANDBOX/etc-up/airflow/airflow.env" ]
  refute called '^systemctl (restart|start) airflow@'
}

@test "first boot uses the keys it generated even when the next read still returns the placeholder" {
  cp "$SANDBOX/aws/keys" "$SANDBOX/aws/keys.stale"
  first_boot
  fernet=$(jq -r .fernet_key "$SANDBOX/aws/keys")
  [ "${#fernet}" -eq 44 ]
  env_file | grep -qx "AIRFLOW__CORE__FERNET_KEY=$fernet"
}

@test "an environment without DAG variables (no AIRFLOW_VAR_ line) bootstraps" {
  grep -v '^AIRFLOW_VAR_' "$SANDBOX/etc-up/dataplatform/platform.env" > "$SANDBOX/platform.env"
  cp "$SANDBOX/platform.env" "$SANDBOX/etc-up/dataplatform/platform.env"
  first_boot
  env_file | grep -qx 'AIRFLOW__CORE__EXECUTOR=LocalExecutor'
  refute grep -q '^AIRFLOW_VAR_' "$SANDBOX/etc-up/airflow/airflow.env"
}

@test "the README's Fernet rotation command keeps the other keys and puts the new key first" {
  first_boot
  old=$(jq -r .fernet_key "$SANDBOX/aws/keys")
  command=$(sed -n '/<!-- fernet-rotation:start -->/,/<!-- fernet-rotation:end -->/p' "$ROOT_DIR/README.md" | sed -n '/^```bash$/,/^```$/p' | sed '1d;$d')
  [ -n "$command" ]
  # Outside the instance: the test's values instead of platform.env, the PATH's Python instead of the venv's.
  command=$(grep -vx '\. /etc/dataplatform/platform.env' <<<"$command" | sed 's|/opt/dataplatform/venv/bin/python|python3|')
  KEYS_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:111122223333:secret:keys AWS_REGION=eu-west-1 \
    PATH="$SANDBOX_STUBS:$PATH" SANDBOX=$SANDBOX SANDBOX_STUBS=$SANDBOX_STUBS run bash -c "set -euo pipefail; $command"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
  new=$(jq -r .fernet_key "$SANDBOX/aws/keys")
  [ "${new#*,}" = "$old" ]
  [ "${#new}" -eq 89 ]
  [ "$(jq -r 'keys | join(" ")' "$SANDBOX/aws/keys")" = "api_secret_key fernet_key jwt_secret" ]
  # Then the bootstrap accepts it.
  first_boot
  env_file | grep -qx "AIRFLOW__CORE__FERNET_KEY=$new"
}

@test "dnf failing at first boot is retried with a bound, then fails clearly" {
  echo 2 > "$SANDBOX/dnf-fails"
  first_boot
  [ "$(grep -c '^dnf install' "$SANDBOX/calls.log")" -ge 3 ]
  called '^sleep 10$'
  called '^sleep 20$'

  sandbox_teardown; sandbox_setup
  echo 99 > "$SANDBOX/dnf-fails"
  bootstrap
  [ "$status" -ne 0 ]
  [[ $output == *"could not install amazon-cloudwatch-agent with dnf after 5 attempts"* ]]
  [ "$(grep -c '^dnf install' "$SANDBOX/calls.log")" -eq 5 ]
}
