package org.flip.imagingapi.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs patterns in the regex engines generated clients use: ECMA-262 (node, with the {@code u} flag
 * that JSON Schema validators use) and Python's {@code re}. Each answers, per pattern, whether
 * {@link #PROBES} match (searching, as JSON Schema's {@code pattern} does); a pattern an engine
 * cannot compile answers its error instead.
 */
final class RegexEngines {

    /** Sample values: identifiers, their near misses and hostile text (no newlines: engines place $ differently). */
    static final List<String> PROBES = List.of("", "a", "NEURO_MRI_2024", "bad.id", ".", "..", "...", "a.b",
            "jsmith", "9lives", "O'Brien", "12", "0", "007", "a b", "<x>", "a&b", "\u0001", "\t", "\u007f",
            "é", "\uD83D\uDE00", "\uFFFE", "x".repeat(65), "x".repeat(300), "ghcr.io/org/image:1.0", "a;b", "%2F");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NODE = """
            const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            const out = {};
            for (const p of input.patterns) {
              try { const re = new RegExp(p, 'u'); out[p] = input.probes.map(s => re.test(s)); }
              catch (e) { out[p] = String(e); }
            }
            process.stdout.write(JSON.stringify(out));
            """;

    private static final String PYTHON = """
            import json, re, sys
            data = json.load(sys.stdin)
            out = {}
            for p in data['patterns']:
                try:
                    r = re.compile(p)
                    out[p] = [r.search(s) is not None for s in data['probes']]
                except re.error as e:
                    out[p] = str(e)
            sys.stdout.write(json.dumps(out))
            """;

    private RegexEngines() {
    }

    static Map<String, Object> javaScript(Collection<String> patterns) throws Exception {
        return run(List.of("node", "-e", NODE), patterns);
    }

    static Map<String, Object> python(Collection<String> patterns) throws Exception {
        return run(List.of("python3", "-c", PYTHON), patterns);
    }

    private static Map<String, Object> run(List<String> command, Collection<String> patterns) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is needed to check the document's patterns", e);
        }
        process.getOutputStream().write(JSON.writeValueAsBytes(Map.of("patterns", patterns, "probes", PROBES)));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " failed: " + out);
        }
        return JSON.readValue(out, new TypeReference<Map<String, Object>>() { });
    }
}
