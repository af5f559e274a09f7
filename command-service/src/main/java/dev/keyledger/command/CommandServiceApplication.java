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
        // Run on its own, Axon's update checker would phone home and its console banner fill the
        // log (the standalone switches both off the same way); explicit -D settings still win.
        for (String property : new String[] {"axoniq.update-checker.disabled", "disable-axoniq-console-message"}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        }
        builder().run(args);
    }
}
