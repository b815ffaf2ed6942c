#!/usr/bin/env bash
# Synth speed benchmark (median of N runs, default 5), through the pinned CDK CLI:
#   1. this platform, one environment, with bin/cdk-app (the cdk.json launcher)
#   2. a one-empty-stack app with the same launcher (the floor: JVM + jsii + CLI)
#   3. this platform with the `mvn -q compile exec:java` launcher cdk init generates
# and the full test command (mvn -q test). Usage: scripts/bench-synth.sh [runs] [env]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
env_name=${2:-dev}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

mvn -q -B test-compile -DskipTests >/dev/null   # warm build; also writes target/app.classpath
touch target/.cdk-app-built

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
time_runs() { # label, command...
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')")
  done
  printf '%-44s median %6ss over %s runs\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "$runs"
}

time_runs "platform synth ($env_name), bin/cdk-app" \
  npx cdk synth -q -c env="$env_name" --output "$out/platform"
time_runs "empty-stack app, same launcher" \
  env CDK_APP_MAIN=io.dataplatform.bench.EmptyStackApp CDK_APP_EXTRA_CLASSPATH=target/test-classes \
  npx cdk synth -q --output "$out/empty"
time_runs "platform synth ($env_name), mvn exec:java" \
  npx cdk synth -q -c env="$env_name" --output "$out/mvn" \
  --app "mvn -q -B compile exec:java -Dexec.mainClass=io.dataplatform.DataPlatformApp"
runs=$(( runs < 3 ? runs : 3 )) time_runs "full test command (mvn -q test)" mvn -q -B test
