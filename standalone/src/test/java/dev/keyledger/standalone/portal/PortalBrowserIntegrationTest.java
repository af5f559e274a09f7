package dev.keyledger.standalone.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyledger.standalone.StandaloneApplication;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The portal in a real Chromium against the whole standalone on free ports: the scenarios of
 * {@code portal/src/test/browser/portal.test.mjs} (Playwright through playwright-core, Debian's
 * chromium). Skipped, with the reason, when node, chromium or the npm packages are missing;
 * {@code .ci/run} installs all three.
 */
class PortalBrowserIntegrationTest {

    private static final Path SCRIPTS =
            Path.of("..", "portal", "src", "test", "browser").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of(System.getProperty("keyledger.chromium", "/usr/bin/chromium"));
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path dataDir;

    private static final Map<String, Integer> PORTS = new HashMap<>();
    private static ConfigurableApplicationContext standalone;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(onPath("node"), "no node on the PATH (apt-get install nodejs npm)");
        assumeTrue(
                Files.isDirectory(SCRIPTS.resolve("node_modules").resolve("playwright-core")),
                "playwright-core is not installed: run npm ci in " + SCRIPTS);
        List<String> args = new ArrayList<>();
        args.add("--keyledger.standalone.data-dir=" + dataDir);
        args.add("--keyledger.standalone.postgres.port=" + freePort());
        args.add("--keyledger.standalone.kafka.port=" + freePort());
        args.add("--keyledger.standalone.kafka.controller-port=" + freePort());
        args.add("--keyledger.standalone.idp.port=" + freePort());
        args.add("--keyledger.standalone.upstream.port=" + freePort());
        for (ServiceDefinition service : ServiceCatalog.SERVICES) {
            int port = freePort();
            PORTS.put(service.name(), port);
            args.add("--keyledger.standalone.services." + service.name() + ".port=" + port);
            args.add("--keyledger.standalone.services." + service.name() + ".management-port=" + freePort());
        }
        standalone = StandaloneApplication.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void everyPortalFlowWorksInARealBrowser() throws Exception {
        Path log = dataDir.resolve("portal-browser.log");
        ProcessBuilder node = new ProcessBuilder("node", "portal.test.mjs")
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        node.environment().put("PORTAL_URL", "http://" + HOST + ":" + PORTS.get(ServiceCatalog.PORTAL));
        node.environment().put("EDGE_URL", "http://" + HOST + ":" + PORTS.get("auth-edge"));
        node.environment().put("CHROMIUM", CHROMIUM.toString());
        String screenshots = System.getProperty("keyledger.portal.screenshots");
        if (screenshots != null) {
            node.environment()
                    .put("SCREENSHOT_DIR", Path.of(screenshots).toAbsolutePath().toString());
        }
        Process process = node.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("the browser tests finished within 5 minutes").isTrue();
        assertThat(output).doesNotContain("not ok").contains("portal browser tests passed");
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }
}
