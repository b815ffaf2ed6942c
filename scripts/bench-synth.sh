#!/usr/bin/env bash
# Synth speed benchmark through the pinned CDK CLI. Each round runs, back to back:
#   1. this platform, one environment, with bin/cdk-app (the cdk.json launcher)
#   2. a one-empty-stack app with the same launcher (the floor: JVM + jsii + CLI + validation)
#   3. this platform with the `mvn -q compile exec:java` launcher cdk init generates
# Rounds are interleaved so that a machine getting slower or faster during the benchmark affects
# all three alike. Prints the median of each over the rounds (default 5), the median of the
# per-round ratios platform/empty against the 1.5x target, then the full test command (mvn -q test).
# Usage: scripts/bench-synth.sh [rounds] [env]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
env_name=${2:-dev}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

mvn -q -B test-compile -DskipTests >/dev/null   # warm build; also writes target/app.classpath
touch target/.cdk-app-built

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
seconds() { # command... -> elapsed seconds on stdout; the command's output is discarded
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}'
}

platform=() empty=() mvn_exec=() ratios=()
for round in $(seq "$rounds"); do
  p=$(seconds npx cdk synth -q -c env="$env_name" --output "$out/platform")
  e=$(seconds env CDK_APP_MAIN=io.dataplatform.bench.EmptyStackApp CDK_APP_EXTRA_CLASSPATH=target/test-classes \
    npx cdk synth -q --output "$out/empty")
  m=$(seconds npx cdk synth -q -c env="$env_name" --output "$out/mvn" \
    --app "mvn -q -B compile exec:java -Dexec.mainClass=io.dataplatform.DataPlatformApp")
  platform+=("$p") empty+=("$e") mvn_exec+=("$m")
  ratios+=("$(awk -v p="$p" -v e="$e" 'BEGIN {printf "%.3f", p / e}')")
  printf 'round %s: platform %ss, empty %ss, platform via mvn exec:java %ss\n' "$round" "$p" "$e" "$m"
done

ratio=$(printf '%s\n' "${ratios[@]}" | median)
printf '%-48s median %6ss over %s rounds\n' "platform synth ($env_name), bin/cdk-app" "$(printf '%s\n' "${platform[@]}" | median)" "$rounds"
printf '%-48s median %6ss\n' "empty-stack app, same launcher" "$(printf '%s\n' "${empty[@]}" | median)"
printf '%-48s median %6ss\n' "platform synth ($env_name), mvn exec:java" "$(printf '%s\n' "${mvn_exec[@]}" | median)"
printf '%-48s median %6sx (target: at most 1.5x) -> %s\n' "platform / empty, per round" "$ratio" \
  "$(awk -v r="$ratio" 'BEGIN {print (r <= 1.5) ? "within target" : "OVER TARGET"}')"

tests=()
for _ in 1 2 3; do tests+=("$(seconds mvn -q -B test)"); done
printf '%-48s median %6ss over 3 runs (target: at most 60s)\n' "full test command (mvn -q test)" \
  "$(printf '%s\n' "${tests[@]}" | median)"
