package dev.keyledger.query;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The read side: projections of {@code keyledger.key-events}, the portal read API and the
 * {@code keyledger.active-keys} changelog. Its configuration file is {@code query-service.yml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QueryServiceApplication {

    /** The builder the standalone module uses to start this service in its own context. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(QueryServiceApplication.class)
                .properties("spring.config.name=query-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
