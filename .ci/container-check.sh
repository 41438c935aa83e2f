#!/usr/bin/env bash
# Container check (issue 17). Where a Docker engine answers: build the image from this Dockerfile, run it
# as production does (read-only root filesystem, 384 MB, no capabilities), and check /health, the probes
# and metrics on the management port, the non-root user, the JVM flags and heap, the image's own
# HEALTHCHECK, and a graceful stop. Where no engine answers it prints why it was skipped and exits 0.
#
# Overridable: CONTAINER_CHECK_IMAGE (imaging-api:container-check), CONTAINER_CHECK_TIMEOUT (s, 180).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "container-check: $*"; }
fail() { echo "container-check: FAILED: $*" >&2; exit 1; }

if ! command -v docker >/dev/null 2>&1; then
  log "skipped: no Docker engine (no docker command on this machine)"
  exit 0
fi
if ! docker info >/dev/null 2>&1; then
  log "skipped: no Docker engine (docker info does not answer)"
  exit 0
fi

IMAGE="${CONTAINER_CHECK_IMAGE:-imaging-api:container-check}"
TIMEOUT="${CONTAINER_CHECK_TIMEOUT:-180}"
mkdir -p target
LOG=target/container-check.log

log "building $IMAGE"
docker build -t "$IMAGE" . >target/container-check-build.log 2>&1 || { tail -40 target/container-check-build.log >&2; fail "docker build"; }

# Throw-away secrets of the required strength; XNAT is absent (port 9), which only readiness notices.
KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48)
AES=$(head -c 32 /dev/urandom | base64)
cid=""
cleanup() {
  if [ -n "$cid" ]; then
    docker logs "$cid" >"$LOG" 2>&1 || true
    docker rm -f "$cid" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

cid=$(docker run -d --read-only --tmpfs /tmp --memory 384m --cap-drop ALL --security-opt no-new-privileges:true \
  -p 127.0.0.1::8000 -p 127.0.0.1::8081 \
  -e XNAT_URL=http://127.0.0.1:9 -e XNAT_SERVICE_USER=container-check -e XNAT_SERVICE_PASSWORD=container-check \
  -e TRUST_INTERNAL_SERVICE_KEY="$KEY" -e AES_KEY_BASE64="$AES" -e FLIP_RELEASE=container-check \
  "$IMAGE")
api="http://$(docker port "$cid" 8000/tcp | head -1)"
management="http://$(docker port "$cid" 8081/tcp | head -1)"
log "container ${cid:0:12}: API $api, management $management"

deadline=$((SECONDS + TIMEOUT))
until curl -sf -o /dev/null "$api/health"; do
  [ "$(docker inspect -f '{{.State.Running}}' "$cid")" = true ] || { docker logs "$cid" 2>&1 | tail -40 >&2; fail "the container exited"; }
  ((SECONDS < deadline)) || { docker logs "$cid" 2>&1 | tail -40 >&2; fail "no /health within $TIMEOUT s"; }
  sleep 2
done

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect() { # WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || fail "$1: expected $2, got $3"
  log "ok: $1 ($3)"
}

expect "GET /health version" '"container-check"' "$(curl -s "$api/health" | grep -o '"version":"[^"]*"' | cut -d: -f2)"
expect "liveness on the management port, no key" 200 "$(status "$management/actuator/health/liveness")"
expect "readiness without XNAT" 503 "$(status "$management/actuator/health/readiness")"
expect "a protected route without the key" 401 "$(status "$api/projects")"
expect "no actuator on the API port" 404 "$(status -H "X-Trust-Internal-Service-Key: $KEY" "$api/actuator/prometheus")"
metrics=$(curl -s "$management/actuator/prometheus")
grep -q '^jvm_memory_max_bytes{area="heap",id="Tenured Gen"}' <<<"$metrics" || fail "no SerialGC heap pools in the metrics"
log "ok: SerialGC (Tenured Gen pool)"
heap=$(awk '/^jvm_memory_max_bytes\{area="heap"/ {sum += $2} END {printf "%d", sum / 1048576}' <<<"$metrics")
((heap >= 130 && heap <= 170)) || fail "heap max $heap MB, expected ~40 % of 384 MB"
log "ok: heap max $heap MB (40 % of the 384 MB limit)"

expect "user id" 10001 "$(docker exec "$cid" id -u)"
cmdline=$(docker exec "$cid" cat /proc/1/cmdline | tr '\0' ' ')
for flag in -XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError; do
  grep -q -- "$flag" <<<"$cmdline" || fail "PID 1 runs without $flag: $cmdline"
done
log "ok: PID 1 is the JVM with the image's flags"
if docker exec "$cid" sh -c 'touch /app/written 2>/dev/null'; then fail "the root filesystem is writable"; fi
log "ok: read-only root filesystem"

until [ "$(docker inspect -f '{{.State.Health.Status}}' "$cid")" = healthy ]; do
  ((SECONDS < deadline + 90)) || fail "the image's HEALTHCHECK did not report healthy: $(docker inspect -f '{{json .State.Health}}' "$cid")"
  sleep 3
done
log "ok: HEALTHCHECK healthy"
log "memory: $(docker stats --no-stream --format '{{.MemUsage}}' "$cid")"

started=$SECONDS
docker stop -t 50 "$cid" >/dev/null
log "stopped in $((SECONDS - started)) s with exit code $(docker inspect -f '{{.State.ExitCode}}' "$cid")"
docker logs "$cid" >"$LOG" 2>&1
grep -q "No request in flight; stopping the servers" "$LOG" || fail "no graceful drain in the log ($LOG)"
if grep -qE "Force-closing|RejectedExecutionException" "$LOG"; then fail "a Netty stack trace at shutdown ($LOG)"; fi
log "passed"
