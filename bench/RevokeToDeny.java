import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end revocation latency against a running standalone: from the moment the command-service
 * answers a revoke (DELETE 204) to the first 401 the edge gives for that key. Single-file program,
 * run with {@code java bench/RevokeToDeny.java KEYS} (JDK only, no dependencies).
 *
 * <p>It creates an enterprise organization with high limits (so polling never hits a rate limit),
 * issues KEYS secret keys, waits until the edge accepts every one of them, then revokes them one at
 * a time, polling the edge's forward-auth endpoint as fast as one connection allows until it
 * answers 401.
 */
public class RevokeToDeny {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String IDP = env("IDP", "http://127.0.0.1:8090");
    static final String COMMANDS = env("COMMANDS", "http://127.0.0.1:8081");
    static final String EDGE = env("EDGE", "http://127.0.0.1:8080");

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String admin = token("{\"subject\":\"bench\",\"roles\":[\"platform_admin\"]}");
        String org = field(post(COMMANDS + "/api/v1/organizations", admin,
                "{\"name\":\"Revoke bench\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":1000000,\"requests_per_day\":100000000}}", 201), "id");
        String owner = token("{\"subject\":\"bench\",\"organization_id\":\"" + org + "\",\"roles\":[\"org_admin\"]}");

        List<String[]> issued = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String body = post(COMMANDS + "/api/v1/organizations/" + org + "/api-keys", owner, "{\"name\":\"k" + i + "\"}", 201);
            issued.add(new String[] {field(body, "id"), field(body, "key")});
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String[] key : issued) {
            while (edgeStatus(key[1]) != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("edge never accepted " + key[0]);
                }
                Thread.sleep(5);
            }
        }
        System.out.println("all " + keys + " keys accepted by the edge; revoking one at a time");

        double[] latenciesMs = new double[keys];
        for (int i = 0; i < keys; i++) {
            String[] key = issued.get(i);
            HttpResponse<String> revoked = HTTP.send(
                    HttpRequest.newBuilder(URI.create(COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + key[0]))
                            .header("Authorization", "Bearer " + owner)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (revoked.statusCode() != 204) {
                throw new IllegalStateException("revoke answered " + revoked.statusCode());
            }
            int status;
            do {
                status = edgeStatus(key[1]);
                if (System.nanoTime() - answered > Duration.ofSeconds(30).toNanos()) {
                    throw new IllegalStateException("key " + key[0] + " still accepted 30 s after its revoke");
                }
            } while (status != 401);
            latenciesMs[i] = (System.nanoTime() - answered) / 1e6;
        }
        Arrays.sort(latenciesMs);
        System.out.printf(
                "RESULT revokes=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                keys, pct(latenciesMs, 50), pct(latenciesMs, 90), pct(latenciesMs, 99), latenciesMs[keys - 1]);
    }

    static int edgeStatus(String apiKey) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(EDGE + "/_keyledger/auth"))
                                .header("X-API-Key", apiKey)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static String token(String body) throws Exception {
        return field(post(IDP + "/dev/token", null, body, 200), "access_token");
    }

    static String post(String url, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
