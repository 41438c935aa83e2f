#!/usr/bin/env bash
# Provisioning time against the number of new users (issue 14): the whole flow
# (POST /projects/create-project-from-central-hub-project) for N = 1, 10, 50, 200 new users with every XNAT call
# delayed 100 ms (the emulator's delay fault), per-user steps one at a time (provisioning.user-concurrency=1)
# and at the default (8). Prints the table and writes target/bench/provision-scaling.md.
#
#   bench/provision-scaling.sh
#   SCALING_SIZES=1,10 SCALING_DELAY_MS=50 SCALING_CONCURRENCY="1 4 8" BENCH_SKIP_BUILD=1 bench/provision-scaling.sh
#
# The caller's deadline is raised to 10 min for these runs (PROVISIONING_DEADLINE), so that the sequential
# figures are measured to the end instead of being cut by the 25 s deadline's 504.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SIZES=${SCALING_SIZES:-1,10,50,200}
DELAY_MS=${SCALING_DELAY_MS:-100}
LEVELS=${SCALING_CONCURRENCY:-"1 8"}

build
start_emulator 100 100
curl -s -X POST "http://127.0.0.1:$XNAT_PORT/__emulator/faults?delayMs=$DELAY_MS" >/dev/null

for c in $LEVELS; do
  export PROVISIONING_USERCONCURRENCY=$c PROVISIONING_DEADLINE=600s PROVISIONING_BACKGROUND_BUDGET=15m
  start_service
  log "user-concurrency $c: N = $SIZES at $DELAY_MS ms per XNAT call"
  "${DRIVER[@]}" scaling --xnat="http://127.0.0.1:$XNAT_PORT" --service="http://127.0.0.1:$SVC_PORT" --key="$KEY" \
    --sizes="$SIZES" --label="c$c" --out="$OUT/scaling-$c.tsv" >/dev/null
  stop_pid "$SVC_PID"
done
unset PROVISIONING_USERCONCURRENCY PROVISIONING_DEADLINE PROVISIONING_BACKGROUND_BUDGET

RESULTS="$OUT/provision-scaling.md"
{
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (+ local changes)')"
  echo "- machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg); service flags \`$(production_java_opts)\`"
  echo "- every XNAT call delayed $DELAY_MS ms (logins apart); one request per N, a new hub project with N new users"
  echo
  header="| N new users |"; rule="|---|"
  for c in $LEVELS; do header="$header concurrency $c: s | XNAT calls |"; rule="$rule---|---|"; done
  echo "$header"; echo "$rule"
  IFS=',' read -ra ns <<<"$SIZES"
  for i in "${!ns[@]}"; do
    row="| ${ns[$i]} |"
    for c in $LEVELS; do
      line=$(sed -n "$((i + 1))p" "$OUT/scaling-$c.tsv")
      secs=$(cut -f2 <<<"$line"); calls=$(cut -f3 <<<"$line"); st=$(cut -f4 <<<"$line")
      [ "$st" -ge 300 ] && secs="$secs (HTTP $st)"
      row="$row $secs | $calls |"
    done
    echo "$row"
  done
} >"$RESULTS"
echo
cat "$RESULTS"
