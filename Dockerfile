# syntax=docker/dockerfile:1
# imaging-api container image.
#   docker build -t imaging-api .
#   docker run -p 127.0.0.1:8000:8000 --read-only --tmpfs /tmp --memory 384m --stop-timeout 50 \
#              -e XNAT_URL=... -e XNAT_SERVICE_USER=... -e XNAT_SERVICE_PASSWORD=... \
#              -e TRUST_INTERNAL_SERVICE_KEY=... -e AES_KEY_BASE64=... imaging-api
# Port 8000 is the API; 8081 (MANAGEMENT_SERVER_PORT) carries the probes and /actuator/prometheus
# without a key: never publish it beyond the host or the monitoring network.

# ---- build: the Maven wrapper pins Maven, so the image needs no Maven of its own ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# The cache mount keeps ~/.m2 between builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package \
 && cp target/imaging-api-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# ---- runtime: JRE only, non-root, layers ordered from least to most often changed ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 imaging \
 && useradd --system --uid 10001 --gid imaging --no-create-home --shell /usr/sbin/nologin imaging
WORKDIR /app
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./

# Memory: the percentages apply to the container's memory limit (compose sets 384m, Kubernetes
# limits 384Mi), giving a heap of at most ~150 MB; with SerialGC (no GC threads, compact heap),
# capped metaspace, code cache and direct memory, and small thread stacks the process stays under
# ~300 MB RSS (docs/benchmarks.md). 75 % would leave too little room for the non-heap part at 384 MB.
# Native memory: the JIT compilers and Netty free what they malloc, but glibc keeps freed memory in
# one arena per thread that ever allocated; two arenas and a periodic trim (JDK 17.0.9+) give it
# back (measured: ~15-30 MB less peak RSS under 2 MB listings). Heap free ratios 20-40 % (default
# 40-70 %) keep the committed heap near the live set instead of growing it to twice that after a
# burst of large listings (~25-35 MB less peak RSS, ~5 % more CPU on 2 MB listings, none measurable
# on small answers).
# Override the whole set with JAVA_OPTS; add to it with JAVA_TOOL_OPTIONS.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=12 -XX:+UseSerialGC -Xss512k \
-XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m \
-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=5000 \
-XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2 \
    SERVER_PORT=8000 \
    MANAGEMENT_SERVER_PORT=8081

USER 10001:10001
EXPOSE 8000 8081

# No curl or wget is needed: bash's /dev/tcp speaks enough HTTP/1.0 to read the status line.
# Liveness is on the management port (its own connector and threads, so a busy API does not fail
# it) and never calls XNAT, so an XNAT outage does not restart the container.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-8081} && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# exec: the JVM replaces the shell as PID 1, so SIGTERM reaches it and shutdown is graceful: readiness
# DOWN, the requests in flight drain (up to 30 s, imaging-api.shutdown.drain-timeout), then the servers
# stop. Give it the time: docker stop -t 50 / --stop-timeout 50 (compose: stop_grace_period).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher \"$@\"", "--"]
