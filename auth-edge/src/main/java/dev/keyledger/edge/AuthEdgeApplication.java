package dev.keyledger.edge;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The auth edge: verifies API keys in front of an upstream API. Config file: {@code auth-edge.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthEdgeApplication {

    /** The builder the standalone module uses to start the edge in its own context. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(AuthEdgeApplication.class).properties("spring.config.name=auth-edge");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
