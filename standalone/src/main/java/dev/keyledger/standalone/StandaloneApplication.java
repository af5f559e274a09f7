package dev.keyledger.standalone;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import sun.misc.Signal;

/**
 * Runs the platform. The root context deliberately has no auto-configuration: the services'
 * starters are on the classpath, and each service configures itself in its own context.
 */
@SpringBootConfiguration
@Import(StandaloneConfiguration.class)
public class StandaloneApplication {

    public static final String READY_LINE = "Keyledger standalone ready";

    private static final String[] AXON_OPT_OUTS = {"axoniq.update-checker.disabled", "disable-axoniq-console-message"};

    /**
     * Starts the platform with command-line style arguments ({@code --keyledger.standalone.x=y}) and
     * returns once every part is ready; closing the context stops it all.
     */
    public static ConfigurableApplicationContext start(String... args) {
        // Axon's update checker would phone home from command-service, and its console banner
        // would fill the log; a local sandbox wants neither. Explicit -D settings still win.
        for (String property : AXON_OPT_OUTS) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        }
        return new SpringApplicationBuilder(StandaloneApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=standalone")
                .run(args);
    }

    public static void main(String[] args) {
        exitZeroOnTermination();
        start(args);
        System.out.println(READY_LINE);
    }

    /**
     * A JVM ended by SIGTERM exits with 143 even after a clean shutdown. Stopping on request is the
     * normal way to end the standalone, so it exits through {@link System#exit(int)} with 0; the
     * shutdown hook of the context still stops everything in order first.
     */
    private static void exitZeroOnTermination() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> System.exit(0));
        }
    }
}
