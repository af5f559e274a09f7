package dev.keyledger.standalone.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoUpstreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DemoUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = DemoUpstream.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void answersChatMessagesAndShowsTheCallerHeaders() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/chat/message"))
                        .header("X-Keyledger-Organization-Id", "org_1")
                        .header("x-keyledger-key-type", "secret")
                        .header("X-Other", "hidden")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hello\",\"conversation_id\":\"c1\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertThat(body).containsEntry("conversation_id", "c1");
        assertThat((String) body.get("reply")).contains("hello");
        assertThat(JSONObjectUtils.getJSONObject(body, "caller"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("X-Keyledger-Organization-Id", "org_1", "X-Keyledger-Key-Type", "secret"));
    }

    @Test
    void startsAConversationWhenNoneIsGiven() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/chat/message"))
                        .POST(HttpRequest.BodyPublishers.ofString("not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JSONObjectUtils.parse(response.body()).get("conversation_id"))
                .startsWith("conv_");
    }

    @Test
    void echoesAnyOtherApiRequest() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v2/things?limit=3"))
                        .header("X-Keyledger-Key-Id", "key_1")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertThat(body)
                .containsEntry("method", "GET")
                .containsEntry("path", "/api/v2/things")
                .containsEntry("query", "limit=3");
        assertThat(JSONObjectUtils.getJSONObject(body, "caller")).containsEntry("X-Keyledger-Key-Id", "key_1");
    }

    @Test
    void answersPathsOutsideTheApiWithNotFound() throws Exception {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("code", "NOT_FOUND");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + upstream.port() + path);
    }
}
