#!/usr/bin/env bash
# Benchmark: the service against direct XNAT (the emulator), provisioning against the reference's call pattern,
# start-up against a bare Spring Boot application. One command; prints the tables and writes target/bench/results.md.
#
#   bench/run.sh                      # P,U in {100,10000}^2, 5 s per run, concurrency 1,16,64
#   BENCH_MATRIX="100x100 10000x10000" BENCH_DURATION=3 bench/run.sh
#   BENCH_SKIP_BUILD=1 bench/run.sh   # reuse target/ from the previous run
#   BENCH_XNAT_LATENCY_MS=0 bench/run.sh  # skip the series with modelled XNAT service time
#
# Everything runs on loopback on this machine: the load driver, the emulator and the service share its cores,
# so absolute figures depend on the machine; the ratios come from direct and service runs alternated in one run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MATRIX=${BENCH_MATRIX:-"100x100 10000x100 100x10000 10000x10000"}
DURATION=${BENCH_DURATION:-5}
WARMUP=${BENCH_WARMUP:-3}
CONCURRENCY=${BENCH_CONCURRENCY:-1,16,64}
STARTS=${BENCH_STARTS:-3}
LATENCY_MS=${BENCH_XNAT_LATENCY_MS:-10}   # extra series: every XNAT call takes this long (0 = skip)

build

# ---- a bare Spring Boot application (web + actuator only), built offline from ~/.m2 with the wrapper's Maven
BARE="$OUT/bare-app"
if [ ! -f "$BARE/target/bare-0.0.1.jar" ]; then
  log "building the bare Spring Boot application in $BARE"
  mkdir -p "$BARE/src/main/java/bare"
  boot=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")
  cat >"$BARE/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>$boot</version>
    <relativePath/>
  </parent>
  <groupId>bench</groupId>
  <artifactId>bare</artifactId>
  <version>0.0.1</version>
  <properties><java.version>17</java.version></properties>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>
    </plugins>
  </build>
</project>
EOF
  cat >"$BARE/src/main/java/bare/BareApplication.java" <<'EOF'
package bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BareApplication {
    public static void main(String[] args) {
        SpringApplication.run(BareApplication.class, args);
    }
}
EOF
  (cd "$ROOT" && ./mvnw -B -q -o -f "$BARE/pom.xml" -DskipTests package)
fi

start_bare() {
  local port t0
  port=$(free_port)
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  SERVER_PORT=$port env $(production_env) java $(production_java_opts) -jar "$BARE/target/bare-0.0.1.jar" \
    --management.endpoint.health.probes.enabled=true >"$OUT/bare.log" 2>&1 &
  BARE_PID=$!
  PIDS+=("$BARE_PID")
  wait_http "http://127.0.0.1:$port/actuator/health/readiness" 120 || { tail -30 "$OUT/bare.log" >&2; exit 1; }
  BARE_READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# A service that died under load (e.g. OutOfMemoryError with -XX:+ExitOnOutOfMemoryError) is a result: record
# it and start a fresh one so the remaining measurements still run.
service_alive_or_restart() {
  if ! kill -0 "$SVC_PID" 2>/dev/null; then
    local why
    why=$(grep -m1 -o 'Terminating due to.*\|OutOfMemoryError.*' "$OUT/service.log" || echo "see service.log")
    log "the service died: $why"
    cp "$OUT/service.log" "$OUT/service-died-$P-$U.log"
    printf '\n**The service process died during these runs: `%s`** (log kept as target/bench/service-died-%s-%s.log). It was restarted for what follows.\n' "$why" "$P" "$U" >>"$RESULTS"
    stop_pid "$SVC_PID"
    start_service
  fi
}

RESULTS="$OUT/results.md"
{
  echo "# Benchmark results"
  echo
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (+ local changes)')"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB RAM, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- JVM: $(java -version 2>&1 | head -1); service flags: \`$(production_java_opts)\`, env \`$(production_env)\`"
  echo "- runs: ${DURATION} s each after ${WARMUP} s warm-up per side, concurrency $CONCURRENCY, direct and service alternated; subjects/experiments per project: ${BENCH_SUBJECTS:-10}/${BENCH_EXPERIMENTS:-20}"
  echo
  echo "Ratios are service / direct. XNAT calls and bytes per request are the emulator's counters over the service run divided by the service's requests."
} >"$RESULTS"

rm -f "$OUT/provisioning.md.part" "$OUT/latency.md.part"
first=1
for cfg in $MATRIX; do
  P=${cfg%x*}
  U=${cfg#*x}
  start_emulator "$P" "$U"
  if [ $first = 1 ]; then
    # Start-up to ready, alternated with the bare application, all against the same emulator.
    svc_times=() bare_times=()
    for i in $(seq "$STARTS"); do
      start_service; svc_times+=("$SVC_READY_MS"); stop_pid "$SVC_PID"
      start_bare; bare_times+=("$BARE_READY_MS"); stop_pid "$BARE_PID"
    done
    median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
    sm=$(median "${svc_times[@]}"); bm=$(median "${bare_times[@]}")
    {
      echo
      echo "## Start-up to ready (process start until /actuator/health/readiness answers 200)"
      echo
      echo "| | runs (ms) | median ms |"
      echo "|---|---|---|"
      echo "| imaging-api | ${svc_times[*]} | $sm |"
      echo "| bare Spring Boot (web + actuator) | ${bare_times[*]} | $bm |"
      echo
      echo "Ratio imaging-api / bare: **$(awk -v a="$sm" -v b="$bm" 'BEGIN{printf "%.2f", a/b}')**"
      echo
      echo "## Direct XNAT (emulator) vs through the service"
    } >>"$RESULTS"
    first=0
  fi
  start_service
  log "matrix P=$P U=$U"
  "${DRIVER[@]}" matrix --xnat="http://127.0.0.1:$XNAT_PORT" --service="http://127.0.0.1:$SVC_PORT" --key="$KEY" \
    --pid="$SVC_PID" --xnat-pid="$XNAT_PID" --projects="$P" --users="$U" --duration="$DURATION" --warmup="$WARMUP" \
    --concurrency="$CONCURRENCY" --all-projects --out="$OUT/matrix-$P-$U.md" >/dev/null || log "matrix failed"
  cat "$OUT/matrix-$P-$U.md" >>"$RESULTS" || true
  service_alive_or_restart
  if [ "$cfg" = "${MATRIX##* }" ] && [ "$LATENCY_MS" -gt 0 ]; then
    log "matrix P=$P U=$U with ${LATENCY_MS} ms XNAT service time"
    "${DRIVER[@]}" matrix --xnat="http://127.0.0.1:$XNAT_PORT" --service="http://127.0.0.1:$SVC_PORT" --key="$KEY" \
      --pid="$SVC_PID" --xnat-pid="$XNAT_PID" --projects="$P" --users="$U" --duration="$DURATION" \
      --warmup="$WARMUP" --service-warmup=5 --concurrency="$CONCURRENCY" --ops=one-project,subjects \
      --xnat-latency-ms="$LATENCY_MS" --out="$OUT/matrix-latency.md" >/dev/null || log "latency matrix failed"
    service_alive_or_restart
    echo "$(cat "$OUT/matrix-latency.md")" >>"$OUT/latency.md.part"
  fi
  log "provisioning P=$P U=$U"
  "${DRIVER[@]}" provision --xnat="http://127.0.0.1:$XNAT_PORT" --service="http://127.0.0.1:$SVC_PORT" --key="$KEY" \
    --projects="$P" --users="$U" --out="$OUT/provision-$P-$U.md" >/dev/null
  echo "$(cat "$OUT/provision-$P-$U.md")" >>"$OUT/provisioning.md.part"
  stop_pid "$SVC_PID"
  stop_pid "$XNAT_PID"
done
if [ -f "$OUT/latency.md.part" ]; then
  {
    echo
    echo "## The same with XNAT's own service time modelled (${LATENCY_MS} ms per XNAT call, emulator delay)"
    cat "$OUT/latency.md.part"
  } >>"$RESULTS"
  rm -f "$OUT/latency.md.part"
fi
{
  echo
  echo "## Provisioning: XNAT calls per request, service vs the reference's algorithm"
  cat "$OUT/provisioning.md.part"
} >>"$RESULTS"
rm -f "$OUT/provisioning.md.part"

echo
cat "$RESULTS"
