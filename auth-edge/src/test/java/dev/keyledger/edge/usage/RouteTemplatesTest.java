package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    @Test
    void replacesDatabaseAndIdentifierSegments() {
        assertThat(RouteTemplates.template("/api/v1/databases/db_01JABC/items/42?x=1"))
                .isEqualTo("/api/{id}/databases/{db}/items/{id}");
        assertThat(RouteTemplates.template("/api/chat/message")).isEqualTo("/api/chat/message");
        assertThat(RouteTemplates.template("/api/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
                .isEqualTo("/api/users/{id}");
    }

    @Test
    void boundsTheNumberOfSegments() {
        assertThat(RouteTemplates.template("/a/b/c/d/e/f/g/h/i/j/k")).isEqualTo("/a/b/c/d/e/f/g/h/...");
        assertThat(RouteTemplates.template("")).isEqualTo("/");
        assertThat(RouteTemplates.template("/" + "x".repeat(500))).isEqualTo("/{id}");
    }
}
