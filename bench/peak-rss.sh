#!/usr/bin/env bash
# The memory target in two minutes: the packaged jar with the Dockerfile's flags and environment
# (384 MB container limit), against an emulator with 10,000 projects and 10,000 users, driven at
# concurrency 64 through the heaviest operations (one project, subjects, then the 2 MB user and project
# listings twice each). Prints the service's peak RSS (VmHWM) after each step and the heap after a full GC.
#
#   bench/peak-rss.sh                 # builds the jar first
#   BENCH_SKIP_BUILD=1 RSS_SECONDS=10 bench/peak-rss.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build
start_emulator "${RSS_PROJECTS:-10000}" "${RSS_USERS:-10000}"
start_service
project=$(printf "BULK_P%06d" $(( ${RSS_PROJECTS:-10000} / 2 )))
for p in "/projects/$project" "/projects/$project/subjects" /users /projects /users /projects; do
  line=$("${DRIVER[@]}" probe --url="http://127.0.0.1:$SVC_PORT" --path="$p" --pid="$SVC_PID" --key="$KEY" \
    --concurrency=64 --warmup=2 --duration="${RSS_SECONDS:-6}")
  printf '%-70s peak RSS %s\n' "$line" "$(awk '/VmHWM/{printf "%.0f MB", $2 / 1024}' /proc/"$SVC_PID"/status)"
done
jcmd "$SVC_PID" GC.heap_info | grep -E 'def new|tenured' || true
echo "peak RSS: $(awk '/VmHWM/{printf "%.0f MB", $2 / 1024}' /proc/"$SVC_PID"/status) (target: at most 300 MB)"
