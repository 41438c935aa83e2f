// Load driver for bench/run.sh and bench/load.sh (single-file source launch, needs Jackson on the class path):
//   java -cp <test classpath> bench/LoadDriver.java matrix    --xnat=URL --service=URL --key=K --pid=PID ...
//   java -cp <test classpath> bench/LoadDriver.java provision --xnat=URL --service=URL --key=K ...
//   java -cp <test classpath> bench/LoadDriver.java load      --xnat=URL --service=URL --key=K --clients=200 ...
//
// Why a hand-written client: a fixed pool of blocking threads, one keep-alive socket each, raw HTTP/1.1. It
// allocates almost nothing per request, so on a 2-core machine shared with the emulator and the service it
// steals as little CPU as possible, and the same client measures both sides, so ratios compare like with like.
// Closed loop (each thread waits for its answer): latencies are service times under that concurrency, not
// open-loop latencies with coordinated-omission correction.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

public class LoadDriver {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE_USER = "imaging-api";
    static final String SERVICE_PASSWORD = "imaging-api-password";
    static final String KEY_HEADER = "X-Trust-Internal-Service-Key";
    static final String DCM2NIIX_IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String s : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = s.indexOf('=');
            a.put(s.substring(2, eq < 0 ? s.length() : eq), eq < 0 ? "true" : s.substring(eq + 1));
        }
        switch (args[0]) {
            case "matrix" -> new Matrix(a).run();
            case "provision" -> new Provision(a).run();
            case "load" -> new Load(a).run();
            case "scaling" -> new Scaling(a).run();
            case "probe" -> probe(a);
            default -> throw new IllegalArgumentException("matrix | provision | load | scaling");
        }
    }

    // ------------------------------------------------------------------ raw HTTP/1.1 over keep-alive sockets

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** One keep-alive connection; reconnects after a close or an I/O error. Not thread-safe. */
    static final class Conn implements AutoCloseable {
        final String host;
        final int port;
        Socket socket;
        InputStream in;
        OutputStream out;
        final byte[] skip = new byte[16384];

        Conn(String baseUrl) {
            URI u = URI.create(baseUrl);
            host = u.getHost();
            port = u.getPort();
        }

        static byte[] request(String method, String host, int port, String path, Map<String, String> headers,
                              byte[] body) {
            StringBuilder sb = new StringBuilder(256);
            sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':')
                    .append(port).append("\r\nAccept: application/json\r\nUser-Agent: bench-load-driver\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (body == null) {
                return head;
            }
            byte[] all = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        byte[] request(String method, String path, Map<String, String> headers, byte[] body) {
            return request(method, host, port, path, headers, body);
        }

        void open() throws IOException {
            close();
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(180_000); // a sequential provisioning of 200 users at 100 ms per XNAT call takes ~65 s
            try {
                s.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            in = new BufferedInputStream(s.getInputStream(), 16384);
            out = s.getOutputStream();
            socket = s;
        }

        /** Sends a prepared request; keepBody=false discards the body (load runs). Returns status, -1 on I/O error. */
        Response send(byte[] req, boolean keepBody) {
            for (int attempt = 0; attempt < 2; attempt++) {
                boolean fresh = socket == null;
                try {
                    if (fresh) {
                        open();
                    }
                    out.write(req);
                    out.flush();
                    return read(keepBody);
                } catch (IOException e) {
                    close();
                    if (fresh) {
                        return new Response(-1, new byte[0]);
                    }
                    // a stale keep-alive connection closed by the server: retry once on a new one
                }
            }
            return new Response(-1, new byte[0]);
        }

        private Response read(boolean keepBody) throws IOException {
            String status = line();
            while (status.isEmpty()) {
                status = line();
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            for (String h = line(); !h.isEmpty(); h = line()) {
                int c = h.indexOf(':');
                String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(c + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase("keep-alive"));
                    default -> { }
                }
            }
            ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream() : null;
            if (code == 204 || code == 304 || (code >= 100 && code < 200)) {
                length = 0;
            }
            if (chunked) {
                while (true) {
                    String sz = line();
                    int semi = sz.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? sz : sz.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    copy(n, body);
                    line();
                }
            } else if (length >= 0) {
                copy(length, body);
            } else {
                copy(Long.MAX_VALUE, body);
                close = true;
            }
            if (close) {
                close();
            }
            return new Response(code, body == null ? new byte[0] : body.toByteArray());
        }

        /** Reads n bytes, or to end of stream when n is Long.MAX_VALUE (no length, connection close). */
        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            boolean untilEof = n == Long.MAX_VALUE;
            while (n > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, n));
                if (r < 0) {
                    if (untilEof) {
                        return;
                    }
                    throw new EOFException();
                }
                if (to != null) {
                    to.write(skip, 0, r);
                }
                n -= r;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) c);
            }
            throw new EOFException();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            socket = null;
        }
    }

    /** A client for single calls (set-up, counters, provisioning, replay). */
    static final class Client {
        final Conn conn;
        final Map<String, String> headers;

        Client(String baseUrl, Map<String, String> headers) {
            conn = new Conn(baseUrl);
            this.headers = headers;
        }

        Response call(String method, String path, String contentType, byte[] body) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (contentType != null) {
                h.put("Content-Type", contentType);
            }
            return conn.send(conn.request(method, path, h, body), true);
        }

        Response get(String path) {
            return call("GET", path, null, null);
        }

        Response postJson(String path, Object value) throws IOException {
            return call("POST", path, "application/json", JSON.writeValueAsBytes(value));
        }
    }

    /** Logs in like a well-behaved XNAT client (one session) and returns the JSESSIONID cookie header. */
    static Map<String, String> xnatSession(String xnat) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (SERVICE_USER + ":" + SERVICE_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Response r = new Client(xnat, Map.of("Authorization", basic)).call("POST", "/data/JSESSION", null, new byte[0]);
        if (r.status() != 200) {
            throw new IllegalStateException("XNAT login failed: " + r.status());
        }
        return Map.of("Cookie", "JSESSIONID=" + r.text().trim());
    }

    // ------------------------------------------------------------------ emulator counters

    record Counters(long calls, long bytes, long logins, long faults, Map<String, Long> perOp) {
        Counters minus(Counters o) {
            Map<String, Long> d = new TreeMap<>();
            perOp.forEach((k, v) -> {
                long x = v - o.perOp.getOrDefault(k, 0L);
                if (x != 0) {
                    d.put(k, x);
                }
            });
            return new Counters(calls - o.calls, bytes - o.bytes, logins - o.logins, faults - o.faults, d);
        }

        long op(String name) {
            return perOp.getOrDefault(name, 0L);
        }
    }

    static Counters counters(Client admin) throws IOException {
        Response r = admin.get("/__emulator/counters");
        if (r.status() != 200) {
            throw new IllegalStateException("The emulator has no /__emulator/counters route (HTTP " + r.status() + ")");
        }
        JsonNode j = r.json();
        Map<String, Long> perOp = new TreeMap<>();
        j.path("calls").fields().forEachRemaining(e -> perOp.put(e.getKey(), e.getValue().asLong()));
        return new Counters(j.path("totalCalls").asLong(), j.path("bytesSent").asLong(), j.path("logins").asLong(),
                j.path("injectedFaults").asLong(), perOp);
    }

    // ------------------------------------------------------------------ closed-loop runs

    record Target(String name, String baseUrl, List<byte[]> requests) {
    }

    record Stats(long requests, double seconds, Map<Integer, Long> statuses, long[] sortedNanos) {
        double rps() {
            return requests / seconds;
        }

        double pct(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(i, sortedNanos.length - 1))] / 1e6;
        }

        long count(java.util.function.IntPredicate p) {
            return statuses.entrySet().stream().filter(e -> p.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }

        long ok() {
            return count(s -> s >= 200 && s < 300);
        }
    }

    /** N threads, each with its own keep-alive connection, loop over random picks of the requests for seconds. */
    static Stats drive(String baseUrl, List<byte[]> requests, int threads, double seconds) throws InterruptedException {
        long[][] lat = new long[threads][];
        int[] counts = new int[threads];
        @SuppressWarnings("unchecked")
        Map<Integer, Long>[] statuses = new Map[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong endAt = new AtomicLong();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                Conn c = new Conn(baseUrl);
                long[] l = new long[4096];
                int n = 0;
                Map<Integer, Long> st = new TreeMap<>();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                try {
                    c.open();
                } catch (IOException e) {
                    // counted as errors below
                }
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = endAt.get();
                while (true) {
                    byte[] req = requests.get(requests.size() == 1 ? 0 : rnd.nextInt(requests.size()));
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    int s = c.send(req, false).status();
                    long d = System.nanoTime() - t0;
                    if (n == l.length) {
                        l = Arrays.copyOf(l, n * 2);
                    }
                    l[n++] = d;
                    st.merge(s, 1L, Long::sum);
                }
                c.close();
                lat[id] = l;
                counts[id] = n;
                statuses[id] = st;
            }, "load-" + t);
            ts[t].start();
        }
        ready.await();
        long start = System.nanoTime();
        endAt.set(start + (long) (seconds * 1e9));
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int off = 0;
        Map<Integer, Long> st = new TreeMap<>();
        for (int t = 0; t < threads; t++) {
            if (lat[t] == null) {
                continue;
            }
            System.arraycopy(lat[t], 0, all, off, counts[t]);
            off += counts[t];
            statuses[t].forEach((k, v) -> st.merge(k, v, Long::sum));
        }
        Arrays.sort(all);
        return new Stats(total, elapsed, st, all);
    }

    /** Polls VmRSS/VmHWM of a process while a run is going. */
    static final class RssSampler implements AutoCloseable {
        final long pid;
        volatile long peakKb;
        volatile boolean stop;
        final Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
            thread = new Thread(() -> {
                while (!stop) {
                    peakKb = Math.max(peakKb, Math.max(read("VmRSS:"), read("VmHWM:")));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss");
            thread.setDaemon(true);
            if (pid > 0) {
                thread.start();
            }
        }

        long read(String field) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith(field)) {
                        return Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // process gone
            }
            return 0;
        }

        double peakMb() {
            return Math.max(peakKb, read("VmHWM:")) / 1024.0;
        }

        @Override
        public void close() {
            stop = true;
        }
    }

    /** User plus system CPU time of a process in milliseconds (from /proc/<pid>/stat; clock ticks of 10 ms). */
    static double cpuMs(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static int intArg(Map<String, String> a, String k, int d) {
        return a.containsKey(k) ? Integer.parseInt(a.get(k)) : d;
    }

    static double dblArg(Map<String, String> a, String k, double d) {
        return a.containsKey(k) ? Double.parseDouble(a.get(k)) : d;
    }

    static void write(Map<String, String> a, String md) throws IOException {
        System.out.print(md);
        if (a.containsKey("out")) {
            Path p = Path.of(a.get("out"));
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.writeString(p, md);
        }
    }

    /** A bulk project from the middle of the listing (not the first, which a linear scan would find at once). */
    static List<String> bulkProjects(String xnat, Map<String, String> session) throws IOException {
        JsonNode rows = new Client(xnat, session).get("/data/projects?format=json&columns=ID").json()
                .path("ResultSet").path("Result");
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> {
            String id = r.path("ID").asText();
            if (id.startsWith("BULK_")) {
                ids.add(id);
            }
        });
        if (ids.isEmpty()) {
            throw new IllegalStateException("The emulator holds no bulk projects");
        }
        return ids;
    }

    /** One GET path at one concurrency: req/s, p50/p99 and the process's CPU per request (baselines, profiling). */
    static void probe(Map<String, String> a) throws Exception {
        String url = a.get("url");
        long pid = Long.parseLong(a.getOrDefault("pid", "0"));
        Map<String, String> h = a.containsKey("key") ? Map.of(KEY_HEADER, a.get("key")) : Map.of();
        List<byte[]> req = List.of(new Conn(url).request("GET", a.get("path"), h, null));
        int c = intArg(a, "concurrency", 16);
        drive(url, req, c, dblArg(a, "warmup", 5));
        double c0 = cpuMs(pid);
        Stats s = drive(url, req, c, dblArg(a, "duration", 10));
        double c1 = cpuMs(pid);
        System.out.printf(Locale.ROOT, "%s C=%d: %.0f req/s, p50 %.2f ms, p99 %.2f ms, CPU %.3f ms/req, statuses %s%n",
                a.get("path"), c, s.rps(), s.pct(50), s.pct(99), (c1 - c0) / s.requests(), s.statuses());
    }

    // ------------------------------------------------------------------ matrix: direct vs service per operation

    static final class Matrix {
        final Map<String, String> a;

        Matrix(Map<String, String> a) {
            this.a = a;
        }

        void run() throws Exception {
            String xnat = a.get("xnat");
            String service = a.get("service");
            long pid = Long.parseLong(a.getOrDefault("pid", "0"));
            long xpid = Long.parseLong(a.getOrDefault("xnat-pid", "0"));
            double seconds = dblArg(a, "duration", 5);
            double warm = dblArg(a, "warmup", 3);
            int[] cs = Arrays.stream(a.getOrDefault("concurrency", "1,16,64").split(",")).mapToInt(Integer::parseInt)
                    .toArray();
            Map<String, String> session = xnatSession(xnat);
            Map<String, String> key = Map.of(KEY_HEADER, a.get("key"));
            Client admin = new Client(xnat, Map.of());
            List<String> bulk = bulkProjects(xnat, session);
            String pj = bulk.get(bulk.size() / 2);
            Conn d = new Conn(xnat);
            Conn s = new Conn(service);
            // name, direct request, service request
            List<String[]> ops = new ArrayList<>();
            ops.add(new String[] {"one project", "/data/projects?format=json&ID=" + pj, "/projects/" + pj});
            ops.add(new String[] {"subjects", "/data/projects/" + pj + "/subjects?format=json",
                "/projects/" + pj + "/subjects"});
            ops.add(new String[] {"experiments", "/data/experiments?format=json&project=" + pj,
                "/projects/" + pj + "/experiments"});
            ops.add(new String[] {"user list", "/xapi/users/profiles", "/users"});
            if (a.containsKey("all-projects")) {
                ops.add(new String[] {"all projects", "/data/projects?format=json", "/projects"});
            }
            if (a.containsKey("ops")) {
                List<String> keep = List.of(a.get("ops").split(","));
                ops.removeIf(o -> !keep.contains(o[0].replace(' ', '-')));
            }
            int latency = intArg(a, "xnat-latency-ms", 0);
            admin.call("DELETE", "/__emulator/faults", null, null);
            if (latency > 0) {
                admin.call("POST", "/__emulator/faults?delayMs=" + latency, null, null);
            }
            // The service's JIT needs far longer than the emulator's: a minute of mixed traffic on this machine
            // took one-project CPU per request from 2.2 ms to 0.6 ms. Warm every operation first.
            double serviceWarm = dblArg(a, "service-warmup", 30);
            if (serviceWarm > 0) {
                List<byte[]> mix = new ArrayList<>();
                for (String[] op : ops) {
                    mix.add(s.request("GET", op[2], key, null));
                }
                System.err.println("service warm-up " + serviceWarm + " s");
                drive(service, mix, 8, serviceWarm);
            }
            String label = "P=" + a.get("projects") + ", U=" + a.get("users")
                    + (latency > 0 ? ", every XNAT call delayed " + latency + " ms" : "");
            StringBuilder md = new StringBuilder();
            md.append("\n### ").append(label).append(" (project ").append(pj).append(", ")
                    .append(f(seconds, 0)).append(" s per run)\n\n");
            md.append("| operation | C | direct req/s | service req/s | thr. ratio | direct p50 ms | service p50 ms "
                    + "| p50 ratio | direct p99 ms | service p99 ms | p99 ratio | XNAT calls/req | XNAT bytes/req "
                    + "| XNAT CPU ms/req direct | service CPU ms/req (+ XNAT) | service non-2xx |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            double peak = 0;
            try (RssSampler rss = new RssSampler(pid)) {
                for (String[] op : ops) {
                    List<byte[]> dreq = List.of(d.request("GET", op[1], session, null));
                    List<byte[]> sreq = List.of(s.request("GET", op[2], key, null));
                    Response probe = new Client(service, key).get(op[2]);
                    if (probe.status() != 200) {
                        md.append("| ").append(op[0]).append(" | - | not measured: the service answers HTTP ")
                                .append(probe.status()).append(" for ").append(op[2])
                                .append(" (endpoint not on this branch yet) |||||||||||\n");
                        System.err.println("skip " + op[0] + ": HTTP " + probe.status());
                        continue;
                    }
                    // warm-up of both paths (JIT of service, emulator and driver; connection pools)
                    drive(xnat, dreq, 16, warm);
                    drive(service, sreq, 16, warm);
                    for (int c : cs) {
                        double x0 = cpuMs(xpid);
                        Stats ds = drive(xnat, dreq, c, seconds);
                        double x1 = cpuMs(xpid);
                        Counters before = counters(admin);
                        double s0 = cpuMs(pid);
                        Stats ss = drive(service, sreq, c, seconds);
                        double s1 = cpuMs(pid);
                        double x2 = cpuMs(xpid);
                        Counters delta = counters(admin).minus(before);
                        double callsPerReq = (double) delta.calls() / ss.requests();
                        double bytesPerReq = (double) delta.bytes() / ss.requests();
                        long bad = ss.requests() - ss.ok();
                        md.append(String.format(Locale.ROOT,
                                "| %s | %d | %s | %s | **%s** | %s | %s | **%s** | %s | %s | %s | %s | %s | %s | %s (+ %s) | %d |%n",
                                op[0], c, f(ds.rps(), 0), f(ss.rps(), 0), f(ss.rps() / ds.rps(), 2),
                                f(ds.pct(50), 2), f(ss.pct(50), 2), f(ss.pct(50) / ds.pct(50), 2),
                                f(ds.pct(99), 2), f(ss.pct(99), 2), f(ss.pct(99) / ds.pct(99), 2),
                                f(callsPerReq, 2), f(bytesPerReq, 0), f((x1 - x0) / ds.requests(), 3),
                                f((s1 - s0) / ss.requests(), 3), f((x2 - x1) / ss.requests(), 3), bad));
                        System.err.printf(Locale.ROOT, "%s %s C=%d direct %.0f/s service %.0f/s calls/req %.2f "
                                + "service CPU ms/req %.3f%n", label, op[0], c, ds.rps(), ss.rps(), callsPerReq,
                                (s1 - s0) / ss.requests());
                        if (bad > 0) {
                            System.err.println("  service statuses: " + ss.statuses());
                        }
                    }
                }
                peak = rss.peakMb();
            }
            if (latency > 0) {
                admin.call("DELETE", "/__emulator/faults", null, null);
            }
            md.append("\nService peak RSS during these runs: **").append(f(peak, 0)).append(" MB** (VmHWM).\n");
            write(a, md.toString());
        }
    }

    // ------------------------------------------------------------------ provisioning time against N (issue 14)

    /**
     * The whole provisioning flow for N new users, N in {@code --sizes} (1,10,50,200): one request each, a fresh
     * hub project, timed from send to answer, with the XNAT calls it cost (emulator counters, logins apart). Prints
     * one tab-separated line per N: {@code N seconds calls status}; the XNAT delay fault is set by the caller.
     */
    static final class Scaling {
        final Map<String, String> a;

        Scaling(Map<String, String> a) {
            this.a = a;
        }

        void run() throws Exception {
            Client svc = new Client(a.get("service"), Map.of(KEY_HEADER, a.get("key")));
            Client admin = new Client(a.get("xnat"), Map.of());
            String run = Long.toString(System.nanoTime() % 1_000_000, 36);
            StringBuilder out = new StringBuilder();
            for (String size : a.getOrDefault("sizes", "1,10,50,200").split(",")) {
                int n = Integer.parseInt(size.trim());
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("project_id", UUID.randomUUID().toString());
                p.put("trust_id", UUID.randomUUID().toString());
                p.put("project_name", "Scaling");
                p.put("users", Provision.hubUsers("scale" + run + a.getOrDefault("label", "") + n, n));
                p.put("dicom_to_nifti", true);
                Counters before = counters(admin);
                long t0 = System.nanoTime();
                Response r = svc.postJson("/projects/create-project-from-central-hub-project", p);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Counters d = counters(admin).minus(before);
                if (r.status() / 100 != 2) {
                    System.err.println("N=" + n + " answered " + r.status() + ": " + r.text());
                }
                out.append(String.format(Locale.ROOT, "%d\t%s\t%d\t%d%n", n, f(seconds, 1), d.calls() - d.logins(),
                        r.status()));
                System.err.println("N=" + n + " " + f(seconds, 1) + " s, " + (d.calls() - d.logins()) + " XNAT calls, "
                        + d.perOp());
            }
            write(a, out.toString());
        }
    }

    // ------------------------------------------------------------------ provisioning: service vs reference replay

    static final class Provision {
        final Map<String, String> a;
        final String xnat;
        final String service;
        final Map<String, String> session;
        final Client admin;

        Provision(Map<String, String> a) {
            this.a = a;
            xnat = a.get("xnat");
            service = a.get("service");
            session = xnatSession(xnat);
            admin = new Client(xnat, Map.of());
        }

        static List<Map<String, Object>> hubUsers(String prefix, int n) {
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("id", UUID.randomUUID().toString());
                u.put("email", prefix + "." + i + "@hospital.example.org");
                u.put("is_disabled", false);
                users.add(u);
            }
            return users;
        }

        void run() throws Exception {
            Client svc = new Client(service, Map.of(KEY_HEADER, a.get("key")));
            List<String> bulk = bulkProjects(xnat, session);
            String run = Long.toString(System.nanoTime() % 1_000_000, 36);
            StringBuilder md = new StringBuilder();
            String label = "P=" + a.get("projects") + ", U=" + a.get("users");
            md.append("\n### Provisioning, ").append(label).append("\n\n");
            // Which service endpoint exists: the full flow or only its users step.
            boolean fullFlow = probeFullFlow(svc);
            md.append(fullFlow
                    ? "Service: `POST /projects/create-project-from-central-hub-project` (whole flow). Reference: "
                      + "its §3.4/§6 call pattern replayed against the same emulator.\n\n"
                    : "Service: `POST /projects/{id}/users` (the provisioning step alone; the whole flow "
                      + "is not on this branch yet). Reference: its session check plus the §6.1 user loop replayed "
                      + "against the same emulator.\n\n");
            md.append("| N new users | service XNAT calls | service user listings | service XNAT bytes | service ms "
                    + "| reference XNAT calls | reference user listings | reference XNAT bytes | N existing users: "
                    + "service calls / listings |\n|---|---|---|---|---|---|---|---|---|\n");
            int k = 0;
            for (int n : new int[] {1, 10, 50}) {
                String project = bulk.get((k++ * 7 + 3) % bulk.size());
                List<Map<String, Object>> users = hubUsers("svc" + run + n, n);
                Counters before = counters(admin);
                long t0 = System.nanoTime();
                Response r = fullFlow ? svc.postJson("/projects/create-project-from-central-hub-project",
                        hubProject(users)) : svc.postJson("/projects/" + project + "/users", Map.of("users", users));
                double ms = (System.nanoTime() - t0) / 1e6;
                Counters sd = counters(admin).minus(before);
                if (r.status() / 100 != 2) {
                    System.err.println("service provisioning answered " + r.status() + ": " + r.text());
                }
                // the same users again: everything exists now
                before = counters(admin);
                Response again = fullFlow ? svc.postJson("/projects/create-project-from-central-hub-project",
                        hubProject(users)) : svc.postJson("/projects/" + project + "/users", Map.of("users", users));
                Counters sd2 = counters(admin).minus(before);

                before = counters(admin);
                replay(fullFlow, project, hubUsers("ref" + run + n, n));
                Counters rd = counters(admin).minus(before);
                md.append(String.format(Locale.ROOT, "| %d | %d%s | %d | %d | %s | %d | %d | %d | %d / %d%s |%n", n,
                        sd.calls(), r.status() / 100 == 2 ? "" : " (HTTP " + r.status() + ")", listings(sd),
                        sd.bytes(), f(ms, 0), rd.calls(), listings(rd), rd.bytes(), sd2.calls(), listings(sd2),
                        again.status() / 100 == 2 ? "" : " (HTTP " + again.status() + ")"));
                System.err.println("provision N=" + n + " service " + sd.perOp() + " reference " + rd.perOp());
            }
            write(a, md.toString());
        }

        static long listings(Counters c) {
            return c.op("GET /xapi/users/profiles") + c.op("GET /xapi/users");
        }

        Map<String, Object> hubProject(List<Map<String, Object>> users) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("project_id", UUID.randomUUID().toString());
            p.put("trust_id", UUID.randomUUID().toString());
            p.put("project_name", "Bench");
            p.put("query", "SELECT 1");
            p.put("users", users);
            p.put("dicom_to_nifti", true);
            return p;
        }

        boolean probeFullFlow(Client svc) throws IOException {
            Map<String, Object> p = hubProject(List.of());
            p.put("project_id", "not-a-uuid");
            int st = svc.postJson("/projects/create-project-from-central-hub-project", p).status();
            return st == 422 || st == 400; // the route exists and validated the body; 404/405 when absent
        }

        /**
         * The reference's call pattern (reference-imaging-api.md §2.2, §3.4, §5.4, §6.1–6.4, v3), sent directly
         * to the emulator with one cached session: every inbound request validates the session with GET
         * /xapi/users; every user lookup downloads the whole profile listing.
         */
        void replay(boolean fullFlow, String existingProject, List<Map<String, Object>> users) throws IOException {
            Client x = new Client(xnat, session);
            x.get("/xapi/users"); // session validation, once per inbound request
            String project = existingProject;
            if (fullFlow) {
                project = UUID.randomUUID().toString();
                x.get("/data/projects"); // duplicate check: full listing
                String xml = "<xnat:projectData xmlns:xnat=\"" + xnat + "/data/projects\"><ID>" + project
                        + "</ID><secondary_ID>" + UUID.randomUUID() + "</secondary_ID><name>Bench:ref-FL-Project"
                        + "</name><description></description></xnat:projectData>";
                x.call("POST", "/data/projects", "application/xml", xml.getBytes(StandardCharsets.UTF_8));
                x.get("/data/projects"); // read back: full listing again
                x.call("PUT", "/data/projects/" + project + "/prearchive_code/4", "application/json", new byte[0]);
                JsonNode cmds = x.get("/xapi/commands?image=" + DCM2NIIX_IMAGE).json();
                String commandId = cmds.path(0).path("id").asText("1");
                String wrapper = cmds.path(0).path("xnat").path(0).path("name").asText("dcm2niix-scan");
                x.call("PUT", "/xapi/projects/" + project + "/commands/" + commandId + "/wrappers/" + wrapper
                        + "/enabled", "application/json", new byte[0]);
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("event-type", "org.nrg.xnat.eventservice.events.ScanEvent");
                filter.put("status", "CREATED");
                filter.put("project-ids", List.of(project));
                filter.put("payload-filter", "(@.resources.length() > 0 && \"DICOM\" in @.resources[*].label)");
                Map<String, Object> sub = new LinkedHashMap<>();
                sub.put("name", "DICOM-NIfTI Conversion");
                sub.put("event-selector", "org.nrg.xnat.eventservice.events.ScanEvent:CREATED");
                sub.put("action-key", "org.nrg.containers.services.CommandActionProvider:" + commandId);
                sub.put("attributes", Map.of());
                sub.put("active", true);
                sub.put("event-filter", filter);
                sub.put("act-as-event-user", false);
                x.postJson("/xapi/projects/" + project + "/events/subscription", sub);
            }
            for (Map<String, Object> u : users) {
                String email = (String) u.get("email");
                JsonNode profiles = x.get("/xapi/users/profiles").json(); // lookup by e-mail
                String username = null;
                for (JsonNode p : profiles) {
                    if (email.equals(p.path("email").asText())) {
                        username = p.path("username").asText();
                    }
                }
                if (username == null) {
                    String stem = email.substring(0, email.indexOf('@')).replaceAll("[^A-Za-z0-9 -]", "");
                    JsonNode all = x.get("/xapi/users/profiles").json(); // uniqueness of the username
                    java.util.Set<String> taken = new java.util.HashSet<>();
                    all.forEach(p -> taken.add(p.path("username").asText()));
                    username = stem;
                    for (int i = 1; taken.contains(username); i++) {
                        username = stem + i;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("username", username);
                    body.put("password", "P@ssw0rd123456!");
                    body.put("email", email);
                    body.put("firstName", username);
                    body.put("lastName", username);
                    body.put("enabled", true);
                    x.postJson("/xapi/users", body);
                    x.get("/xapi/users/profiles"); // fetch the created profile
                    x.get("/data/services/tokens/issue/user/" + username); // v2/v3 invitation
                }
                x.get("/xapi/users/profiles"); // add_user_to_project: user_exists
                x.call("PUT", "/data/projects/" + project + "/users/Members/" + username, "application/json",
                        new byte[0]);
            }
        }
    }

    // ------------------------------------------------------------------ load: 200 clients, mix, faults (issue 6)

    static final class Load {
        final Map<String, String> a;

        Load(Map<String, String> a) {
            this.a = a;
        }

        void run() throws Exception {
            String xnat = a.get("xnat");
            String service = a.get("service");
            int clients = intArg(a, "clients", 200);
            double seconds = dblArg(a, "duration", 60);
            double faultRate = dblArg(a, "fault-rate", 0.10);
            Client admin = new Client(xnat, Map.of());
            // The emulator started with the service; every login so far is the service's, except the driver's own.
            Map<String, String> session = xnatSession(xnat);
            Map<String, String> key = Map.of(KEY_HEADER, a.get("key"));
            List<String> bulk = bulkProjects(xnat, session);
            Conn c = new Conn(service);
            List<byte[]> mix = new ArrayList<>();
            for (int i = 0; i < Math.min(bulk.size(), 500); i++) {
                String p = bulk.get(ThreadLocalRandom.current().nextInt(bulk.size()));
                mix.add(c.request("GET", "/projects/" + p, key, null));
                mix.add(c.request("GET", "/projects/" + p + "/subjects", key, null));
                mix.add(c.request("GET", "/projects/" + p + "/experiments", key, null));
            }
            admin.call("DELETE", "/__emulator/faults", null, null);
            System.err.println("warm-up 10 s ...");
            drive(service, mix, 16, 10);
            StringBuilder md = new StringBuilder();
            md.append("| run | requests | req/s | 2xx | 502 | 503 | 504 | other non-2xx | p50 ms | p99 ms | max ms "
                    + "| XNAT calls | XNAT logins by the service since it started | injected XNAT 5xx |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Stats clean = null;
            Counters cleanC = null;
            String management = a.get("management");
            StringBuilder probes = new StringBuilder();
            probes.append("\n| run | probe | probes | p50 ms | p99 ms | max ms | over 1 s | over 2 s | over 3 s (the manifest's timeout) | non-200 |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|\n");
            for (boolean faults : new boolean[] {false, true}) {
                if (faults) {
                    admin.call("POST", "/__emulator/faults?status=500&probability=" + faultRate, null, null);
                }
                Counters before = counters(admin);
                System.err.println((faults ? "with faults" : "clean") + ": " + clients + " clients, " + seconds + " s");
                Prober prober = Prober.start(service, management);
                Stats s = drive(service, mix, clients, seconds);
                prober.stopInto(probes, faults ? "10 % XNAT 500s injected" : "clean");
                Counters d = counters(admin).minus(before);
                admin.call("DELETE", "/__emulator/faults", null, null);
                long other = s.requests() - s.ok() - s.count(x -> x == 502) - s.count(x -> x == 503)
                        - s.count(x -> x == 504);
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %d | %d | %s | %s | %s | %d | %d | %d |%n",
                        faults ? "10 % XNAT 500s injected" : "clean", s.requests(), f(s.rps(), 0), s.ok(),
                        s.count(x -> x == 502), s.count(x -> x == 503), s.count(x -> x == 504), other,
                        f(s.pct(50), 1), f(s.pct(99), 1), f(s.pct(100), 1), d.calls(), counters(admin).logins() - 1, d.faults()));
                System.err.println("  statuses " + s.statuses() + ", XNAT " + d.perOp());
                if (!faults) {
                    clean = s;
                    cleanC = d;
                } else {
                    double baseline = (double) cleanC.calls() / clean.requests();
                    long failed = s.requests() - s.ok();
                    long retries = Math.round(d.calls() - baseline * s.requests());
                    md.append(String.format(Locale.ROOT, "%nWith faults: %d injected XNAT 500s; %d requests "
                            + "reached callers as 502 (%s %%), %d other non-2xx. XNAT calls per request %s clean vs "
                            + "%s with faults, i.e. about %d retry attempts; %d of the injected failures (%s %%) "
                            + "were absorbed by retries (an injected 500 that does not end in a failed request).%n",
                            d.faults(), s.count(x -> x == 502), f(100.0 * s.count(x -> x == 502) / s.requests(), 3),
                            failed - s.count(x -> x == 502), f(baseline, 3),
                            f((double) d.calls() / s.requests(), 3), retries,
                            Math.max(0, d.faults() - 3 * s.count(x -> x == 502)),
                            f(100.0 * Math.max(0, d.faults() - 3 * s.count(x -> x == 502)) / Math.max(1, d.faults()), 1)));
                }
            }
            int slowMs = intArg(a, "slow-xnat-ms", 8000);
            int slowClients = intArg(a, "slow-clients", 150);
            if (slowMs > 0) {
                // Issue 15: with every XNAT call slow, the API's request threads fill up; the probes on the management
                // port (own connector and threads) must still answer within the probe timeout.
                admin.call("POST", "/__emulator/faults?delayMs=" + slowMs, null, null);
                System.err.println("slow XNAT (" + slowMs + " ms per call): " + slowClients + " clients, " + seconds + " s");
                Prober prober = Prober.start(service, management);
                Stats s = drive(service, mix, slowClients, seconds);
                String run = "XNAT " + slowMs + " ms per call, " + slowClients + " clients";
                prober.stopInto(probes, run);
                admin.call("DELETE", "/__emulator/faults", null, null);
                md.append(String.format(Locale.ROOT, "%n| %s | %d requests | %s req/s | statuses %s | p50 %s ms | p99 %s ms |%n",
                        run, s.requests(), f(s.rps(), 1), s.statuses(), f(s.pct(50), 1), f(s.pct(99), 1)));
            }
            md.append("\nProbes during each run (a fresh connection every 250 ms each, as an orchestrator's probe):\n");
            md.append(probes);
            write(a, md.toString());
        }
    }

    /** Probes {@code /health} (API port) and liveness (management port) on fresh connections while a run goes on. */
    static final class Prober {
        final List<Thread> threads = new ArrayList<>();
        final Map<String, List<Long>> nanos = new LinkedHashMap<>();
        final Map<String, int[]> bad = new LinkedHashMap<>();
        volatile boolean stop;

        static Prober start(String service, String management) {
            Prober p = new Prober();
            p.probe("GET /health (API port)", service, "/health");
            if (management != null) {
                p.probe("liveness (management port)", management, "/actuator/health/liveness");
            }
            return p;
        }

        void probe(String name, String base, String path) {
            List<Long> l = java.util.Collections.synchronizedList(new ArrayList<>());
            int[] nonOk = new int[1];
            nanos.put(name, l);
            bad.put(name, nonOk);
            Thread t = new Thread(() -> {
                while (!stop) {
                    long t0 = System.nanoTime();
                    int status;
                    try (Conn c = new Conn(base)) {
                        c.open();
                        c.socket.setSoTimeout(10_000);
                        status = c.send(c.request("GET", path, Map.of(), null), false).status();
                    } catch (Exception e) {
                        status = -1;
                    }
                    l.add(System.nanoTime() - t0);
                    if (status != 200) {
                        nonOk[0]++;
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "probe " + name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        void stopInto(StringBuilder md, String run) throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(15_000);
            }
            nanos.forEach((name, list) -> {
                long[] v = list.stream().mapToLong(Long::longValue).sorted().toArray();
                Stats s = new Stats(v.length, 1, Map.of(), v);
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %d | %d | %d |%n", run, name,
                        v.length, f(s.pct(50), 1), f(s.pct(99), 1), f(s.pct(100), 1),
                        java.util.Arrays.stream(v).filter(x -> x > 1_000_000_000L).count(),
                        java.util.Arrays.stream(v).filter(x -> x > 2_000_000_000L).count(),
                        java.util.Arrays.stream(v).filter(x -> x > 3_000_000_000L).count(), bad.get(name)[0]));
            });
        }
    }
}
