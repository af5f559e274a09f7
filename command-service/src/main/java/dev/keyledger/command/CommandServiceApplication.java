package dev.keyledger.command;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The write side: organizations, databases and API keys as event-sourced aggregates, and the
 * relay that publishes every event to Kafka. Its settings live in {@code command-service.yml}, so
 * that the standalone can run it beside the other services in one JVM.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandServiceApplication {

    public static final String CONFIG_NAME = "command-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
