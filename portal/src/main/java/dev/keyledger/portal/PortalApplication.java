package dev.keyledger.portal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The web portal: server-rendered pages over the management and read APIs, signed in with OpenID
 * Connect. Its configuration file is {@code portal.yml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortalApplication {

    /** The builder the standalone module uses to start the portal in its own context. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(PortalApplication.class).properties("spring.config.name=portal");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
