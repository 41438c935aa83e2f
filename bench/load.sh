#!/usr/bin/env bash
# Load and fault test (issue 6): 200 concurrent clients for 60 s against the service on the XNAT emulator, a mix
# of GET /projects/{id}, /projects/{id}/subjects and /projects/{id}/experiments over random projects; then the
# same with 10 % of XNAT calls answering 500. Prints requests, statuses, XNAT calls and logins, p50/p99, and how
# many injected failures reached callers as 502 versus were absorbed by the gateway's retries.
#
#   bench/load.sh                           # 200 clients, 60 s, P=1000 U=1000, 10 % faults
#   LOAD_CLIENTS=200 LOAD_SECONDS=60 LOAD_FAULT_RATE=0.1 LOAD_PROJECTS=1000 bench/load.sh
#   LOAD_SLOW_XNAT_MS=8000 LOAD_SLOW_CLIENTS=150 bench/load.sh   # the slow-XNAT run (0 skips it)
#   BENCH_SKIP_BUILD=1 bench/load.sh        # reuse target/ from the previous run
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CLIENTS=${LOAD_CLIENTS:-200}
SECONDS_=${LOAD_SECONDS:-60}
RATE=${LOAD_FAULT_RATE:-0.1}
P=${LOAD_PROJECTS:-1000}
U=${LOAD_USERS:-1000}
SLOW_MS=${LOAD_SLOW_XNAT_MS:-8000}
SLOW_CLIENTS=${LOAD_SLOW_CLIENTS:-150}

build
start_emulator "$P" "$U"
start_service

RESULTS="$OUT/load.md"
{
  echo "# Load and fault injection"
  echo
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (+ local changes)')"
  echo "- machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg); service flags \`$(production_java_opts)\`"
  echo "- $CLIENTS clients x ${SECONDS_} s per run (after a 10 s warm-up with 16 clients), emulator P=$P U=$U"
  echo
} >"$RESULTS"
"${DRIVER[@]}" load --xnat="http://127.0.0.1:$XNAT_PORT" --service="http://127.0.0.1:$SVC_PORT" --key="$KEY" \
  --management="http://127.0.0.1:$SVC_MANAGEMENT_PORT" --slow-xnat-ms="$SLOW_MS" --slow-clients="$SLOW_CLIENTS" \
  --clients="$CLIENTS" --duration="$SECONDS_" --fault-rate="$RATE" --out="$OUT/load-table.md" >/dev/null
cat "$OUT/load-table.md" >>"$RESULTS"
echo "" >>"$RESULTS"
echo "Service peak RSS: $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' /proc/"$SVC_PID"/status)" >>"$RESULTS"
echo
cat "$RESULTS"
