#!/usr/bin/env bash
# A/B of two builds of the service on the same emulator, alternated, to see what a code change does to
# CPU per request (the matrix's absolute figures move by +-30 % between runs on a shared machine; two jars
# measured in turns within one run do not).
#
#   cp target/imaging-api-*.jar /tmp/before.jar   # ... change, ./mvnw -DskipTests package ...
#   bench/ab.sh /tmp/before.jar target/imaging-api-0.1.0.jar /projects/BULK_P000050 16 4
#   AB_PROJECTS=100 AB_USERS=10000 bench/ab.sh A.jar B.jar /users 1 3
#
# Both services run with the Dockerfile's flags; each round drives one side then the other for 5 s.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || { echo "usage: $0 JAR_A JAR_B PATH [CONCURRENCY] [ROUNDS]" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2"); REQ_PATH=$3; C=${4:-16}; ROUNDS=${5:-4}
BENCH_SKIP_BUILD=1 build
start_emulator "${AB_PROJECTS:-100}" "${AB_USERS:-100}"
declare -A PORT PID_OF
for side in A B; do
  JAR=$A; [ "$side" = B ] && JAR=$B
  start_service
  PORT[$side]=$SVC_PORT; PID_OF[$side]=$SVC_PID
done
probe() { # side warmup duration
  "${DRIVER[@]}" probe --url="http://127.0.0.1:${PORT[$1]}" --path="$REQ_PATH" --pid="${PID_OF[$1]}" --key="$KEY" \
    --concurrency="$C" --warmup="$2" --duration="$3"
}
for side in A B; do probe "$side" 15 1 >/dev/null; done
OUTFILE="$OUT/ab.txt"
: >"$OUTFILE"
for _ in $(seq "$ROUNDS"); do
  for side in A B; do
    echo "$side $(probe "$side" 1 5)" | tee -a "$OUTFILE"
  done
done
echo
awk '{for (i = 1; i <= NF; i++) { if ($i == "CPU") c[$1] += $(i + 1); if ($i == "req/s,") r[$1] += $(i - 1) } n[$1]++}
     END { for (s in n) printf "%s: mean %.0f req/s, %.3f ms CPU per request (%d rounds)\n", s, r[s] / n[s], c[s] / n[s], n[s] }' \
  "$OUTFILE" | sort
for side in A B; do
  echo "$side: peak RSS $(awk '/VmHWM/{printf "%.0f MB", $2 / 1024}' /proc/"${PID_OF[$side]}"/status)"
done
