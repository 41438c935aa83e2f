#!/usr/bin/env bash
# Real-browser check of Swagger UI (issue 8): start the service against the XNAT emulator, authorize
# with the demo key in Swagger UI, run GET /projects with "Try it out" / "Execute", and assert the
# page shows 200 and a project from the emulator. Screenshot: target/swagger-ui-check.png.
#
# Also: the management port answers readiness and Prometheus without the key, and the API port
# serves no actuator.
#
# Overridable: BROWSER_CHECK_START_CMD (how to start the service), BROWSER_CHECK_PORT (8000),
# BROWSER_CHECK_MANAGEMENT_PORT (8081), BROWSER_CHECK_KEY (the demo key), BROWSER_CHECK_EXPECT_STATUS (200),
# BROWSER_CHECK_STARTUP_TIMEOUT (seconds, 300).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${BROWSER_CHECK_PORT:-8000}"
BASE="http://127.0.0.1:${PORT}"
MANAGEMENT="http://127.0.0.1:${BROWSER_CHECK_MANAGEMENT_PORT:-8081}"
# The demo key of DemoXnatConfiguration (./mvnw spring-boot:test-run prints it too).
KEY="${BROWSER_CHECK_KEY:-demo-trust-key-3f8a1c6e9b2d5f0a7c4e}"
EXPECT_STATUS="${BROWSER_CHECK_EXPECT_STATUS:-200}"
START_CMD="${BROWSER_CHECK_START_CMD:-./mvnw -B -q spring-boot:test-run}"
STARTUP_TIMEOUT="${BROWSER_CHECK_STARTUP_TIMEOUT:-300}"
SHOT="target/swagger-ui-check.png"
LOG="target/browser-check-service.log"
mkdir -p target

log() { echo "browser-check: $*"; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v python3 >/dev/null || missing+=(python3)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for url in "$BASE/health" "$MANAGEMENT/actuator/health"; do
  if curl -s -o /dev/null "$url"; then
    log "something already listens at ${url%/*/*}; stop it first" >&2
    exit 1
  fi
done

service_pid="" driver_pid=""
cleanup() {
  # Only the process groups started here.
  [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
  if [ -n "$service_pid" ]; then
    kill -TERM -- "-$service_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 -- "-$service_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$service_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

log "starting the service: $START_CMD (log: $LOG)"
setsid bash -c "exec $START_CMD" >"$LOG" 2>&1 &
service_pid=$!

deadline=$((SECONDS + STARTUP_TIMEOUT))
until curl -sf -o /dev/null "$BASE/health"; do
  if ! kill -0 "$service_pid" 2>/dev/null; then
    log "the service exited before answering /health:" >&2; tail -40 "$LOG" >&2; exit 1
  fi
  if ((SECONDS > deadline)); then
    log "no answer on $BASE/health within ${STARTUP_TIMEOUT} s" >&2; tail -40 "$LOG" >&2; exit 1
  fi
  sleep 2
done
log "service is up"

# The management port: readiness (the emulator is up) and Prometheus, both without a key; the API
# port has neither.
readiness=$(curl -s -o /dev/null -w '%{http_code}' "$MANAGEMENT/actuator/health/readiness")
scrape=$(curl -s -o /dev/null -w '%{http_code}' "$MANAGEMENT/actuator/prometheus")
on_api=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Trust-Internal-Service-Key: $KEY" "$BASE/actuator/health")
log "management port: readiness $readiness, prometheus $scrape; API port /actuator/health $on_api"
if [ "$readiness" != 200 ] || [ "$scrape" != 200 ] || [ "$on_api" != 404 ]; then
  log "expected 200, 200 and 404" >&2; exit 1
fi

# What the page must show: the emulator's projects as the API itself returns them.
expected_id=""
api_status=$(curl -s -o target/browser-check-projects.json -w '%{http_code}' -H "X-Trust-Internal-Service-Key: $KEY" "$BASE/projects")
log "GET /projects with curl answered $api_status"
if [ "$EXPECT_STATUS" = 200 ]; then
  [ "$api_status" = 200 ] || { log "expected 200 from GET /projects" >&2; exit 1; }
  expected_id=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p[0]["ID"] if p else "")' target/browser-check-projects.json)
  [ -n "$expected_id" ] || { log "the emulator returned no projects; demo data missing?" >&2; exit 1; }
  log "expecting project $expected_id on the page"
fi

chromedriver --port=9515 --allowed-ips=127.0.0.1 >target/chromedriver.log 2>&1 &
driver_pid=$!
for _ in $(seq 40); do curl -s -o /dev/null http://127.0.0.1:9515/status && break; sleep 0.25; done

python3 .ci/swagger_ui_check.py "$BASE" "$KEY" "$EXPECT_STATUS" "$expected_id" "$SHOT"
log "passed"
