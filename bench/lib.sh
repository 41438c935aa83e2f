# Shared by bench/run.sh and bench/load.sh (sourced). Starts and stops the processes it owns by PID only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
KEY=bench-trust-key-8e3b6f1a9d2c5e7b0f4a  # 32+ characters: the service refuses shorter keys
AES_KEY=$(head -c 32 /dev/urandom | base64)
PIDS=()

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT INT TERM

stop_pid() {
  local pid=$1 keep=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" != "$pid" ] && keep+=("$p"); done
  PIDS=("${keep[@]}")
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# The production JVM flags: the Dockerfile's JAVA_OPTS when the Dockerfile is on this branch, else the same set
# copied here. -XX:MaxRAM=384m stands in for the container limit (compose: 384m), so the RAM percentages give the
# heap the image gets; without it they would apply to the host's memory.
production_java_opts() {
  local opts=""
  if [ -f "$ROOT/Dockerfile" ]; then
    opts=$(python3 - "$ROOT/Dockerfile" <<'EOF'
import re, sys
m = re.search(r'JAVA_OPTS="([^"]*)"', open(sys.argv[1]).read().replace('\\\n', ' '))
print(' '.join(m.group(1).split()) if m else '')
EOF
)
  fi
  if [ -z "$opts" ]; then
    opts="-XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=12 -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=96m -XX:+ExitOnOutOfMemoryError"
  fi
  echo "-XX:MaxRAM=${BENCH_CONTAINER_MEMORY:-384m} $opts"
}

# The Dockerfile's other ENV settings that shape the process (glibc's arena count), as env assignments.
production_env() {
  if [ -f "$ROOT/Dockerfile" ]; then
    grep -o 'MALLOC_ARENA_MAX=[0-9]*' "$ROOT/Dockerfile" | head -1
  fi
}

build() {
  cd "$ROOT"
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$OUT/test.cp" ]; then
    log "building the jar and the test classes"
    ./mvnw -B -q -DskipTests package
    ./mvnw -B -q test-compile
    ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$OUT/test.cp" -Dmdep.includeScope=test >/dev/null
  fi
  JAR=$(ls "$ROOT"/target/imaging-api-*.jar | grep -v plain | head -1)
  TEST_CP="$ROOT/target/test-classes:$(cat "$OUT/test.cp")"
  # Compile the single-file launchers once (a source launch recompiles on every start).
  mkdir -p "$OUT/classes"
  javac -nowarn -d "$OUT/classes" -cp "$TEST_CP" "$ROOT/bench/LoadDriver.java" "$ROOT/bench/XnatEmulatorMain.java"
  DRIVER=(java -Xss512k -cp "$OUT/classes:$TEST_CP" LoadDriver)
}

wait_http() { # url timeout-seconds -> 0 when 200
  local url=$1 deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}

# start_emulator P U [extra args]: sets XNAT_PORT, XNAT_PID. Own JVM (default flags, 2 GB heap cap).
start_emulator() {
  local p=$1 u=$2; shift 2
  XNAT_PORT=$(free_port)
  log "starting the XNAT emulator (P=$p, U=$u) on $XNAT_PORT"
  java -Xmx2g -cp "$OUT/classes:$TEST_CP" XnatEmulatorMain --port="$XNAT_PORT" --projects="$p" --users="$u" \
    --subjects="${BENCH_SUBJECTS:-10}" --experiments="${BENCH_EXPERIMENTS:-20}" --demo "$@" \
    >"$OUT/emulator.log" 2>&1 &
  XNAT_PID=$!
  PIDS+=("$XNAT_PID")
  wait_http "http://127.0.0.1:$XNAT_PORT/__emulator/counters" 300 || { cat "$OUT/emulator.log" >&2; exit 1; }
}

# start_service: sets SVC_PORT, SVC_MANAGEMENT_PORT, SVC_PID, SVC_READY_MS (process start to readiness 200,
# which the management port answers).
start_service() {
  SVC_PORT=$(free_port)
  SVC_MANAGEMENT_PORT=$(free_port)
  local t0
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  env XNAT_URL="http://127.0.0.1:$XNAT_PORT" XNAT_SERVICE_USER=imaging-api XNAT_SERVICE_PASSWORD=imaging-api-password \
    TRUST_INTERNAL_SERVICE_KEY="$KEY" AES_KEY_BASE64="$AES_KEY" SERVER_PORT="$SVC_PORT" MANAGEMENT_SERVER_PORT="$SVC_MANAGEMENT_PORT" \
    $(production_env) \
    java $(production_java_opts) -jar "$JAR" >"$OUT/service.log" 2>&1 &
  SVC_PID=$!
  PIDS+=("$SVC_PID")
  wait_http "http://127.0.0.1:$SVC_MANAGEMENT_PORT/actuator/health/readiness" 180 || { tail -50 "$OUT/service.log" >&2; exit 1; }
  SVC_READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "service ready on $SVC_PORT after $SVC_READY_MS ms (pid $SVC_PID)"
}
