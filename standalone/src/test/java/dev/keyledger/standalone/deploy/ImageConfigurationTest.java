package dev.keyledger.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The OCI images cannot be built here (no Docker engine, no registry to pull the base image from),
 * so this checks what the Jib configuration is made of: every service and the standalone declare
 * the plugin, bound to no phase of the default build, with a main class that exists, the ports of
 * CONTRACT.md (which are also the services' own defaults), and, shared in the root pom, the base
 * image {@code eclipse-temurin:21-jre}, a non-root user and {@code keyledger.bind-address=0.0.0.0}.
 */
class ImageConfigurationTest {

    /** CONTRACT.md, "Ports": API and management port of each service. */
    private static final Map<String, List<Integer>> CONTRACT_PORTS = Map.of(
            "auth-edge", List.of(8080, 9080),
            "command-service", List.of(8081, 9081),
            "query-service", List.of(8082, 9082),
            "portal", List.of(8083, 9083));

    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "command-service", "dev.keyledger.command.CommandServiceApplication",
            "query-service", "dev.keyledger.query.QueryServiceApplication",
            "auth-edge", "dev.keyledger.edge.AuthEdgeApplication",
            "portal", "dev.keyledger.portal.PortalApplication",
            "standalone", "dev.keyledger.standalone.StandaloneApplication");

    @Test
    void theRootPomSharesBaseImageNonRootUserAndBindAddress() throws Exception {
        Element root = pom(repository().resolve("pom.xml"));
        Map<String, String> properties = properties(root);
        assertThat(properties).containsKey("jib-maven-plugin.version");
        assertThat(properties.get("jib.from.image")).isEqualTo("eclipse-temurin:21-jre");
        // The image's Java must run what the build targets.
        assertThat(properties.get("jib.from.image")).contains(":" + properties.get("maven.compiler.release") + "-");

        Element jib = jibPlugin(child(child(child(root, "build"), "pluginManagement"), "plugins"));
        assertThat(text(jib, "version")).isEqualTo("${jib-maven-plugin.version}");
        Element configuration = child(jib, "configuration");
        assertThat(text(child(configuration, "from"), "image")).isEqualTo("${jib.from.image}");
        Element container = child(configuration, "container");
        String user = text(container, "user");
        assertThat(user).isNotBlank().doesNotStartWith("0").isNotEqualTo("root").doesNotStartWith("root:");
        assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
        assertThat(text(child(container, "environment"), "KEYLEDGER_BIND_ADDRESS"))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void everyServiceDeclaresItsImageWithItsMainClassAndTheContractsPorts() throws Exception {
        for (Map.Entry<String, List<Integer>> service : CONTRACT_PORTS.entrySet()) {
            String module = service.getKey();
            Element container = container(module);
            assertMainClass(module, text(container, "mainClass"));
            assertThat(ports(container)).as(module + " image ports").isEqualTo(service.getValue());

            // The ports the image exposes are the ones the service listens on by default.
            YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
            yaml.setResources(new ClassPathResource(module + ".yml"));
            Properties defaults = yaml.getObject();
            assertThat(List.of(
                            Integer.parseInt(defaults.getProperty("server.port")),
                            Integer.parseInt(defaults.getProperty("management.server.port"))))
                    .as(module + ".yml ports")
                    .isEqualTo(service.getValue());
            // Loopback unless the image's environment says otherwise.
            assertThat(defaults.getProperty("keyledger.bind-address")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void theStandaloneImageExposesEveryServiceTheIdentityProviderAndTheUpstream() throws Exception {
        Element container = container("standalone");
        assertMainClass("standalone", text(container, "mainClass"));
        List<Integer> expected = new ArrayList<>(List.of(8090, 8099));
        CONTRACT_PORTS.values().forEach(expected::addAll);
        assertThat(ports(container)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Element container(String module) throws Exception {
        Element pom = pom(repository().resolve(module).resolve("pom.xml"));
        Element jib = jibPlugin(child(child(pom, "build"), "plugins"));
        assertThat(jib).as(module + " declares jib-maven-plugin").isNotNull();
        // Not part of the default build: an image needs a registry or a Docker engine.
        assertThat(child(jib, "executions"))
                .as(module + " binds jib to no phase")
                .isNull();
        Element configuration = child(jib, "configuration");
        assertThat(text(child(configuration, "to"), "image")).contains(module);
        return child(configuration, "container");
    }

    private static void assertMainClass(String module, String mainClass) throws Exception {
        assertThat(mainClass).isEqualTo(MAIN_CLASSES.get(module));
        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
    }

    private static List<Integer> ports(Element container) {
        List<Integer> ports = new ArrayList<>();
        for (Element port : children(child(container, "ports"), "port")) {
            ports.add(Integer.parseInt(port.getTextContent().trim()));
        }
        return ports;
    }

    private static Element jibPlugin(Element plugins) {
        for (Element plugin : children(plugins, "plugin")) {
            if ("com.google.cloud.tools".equals(text(plugin, "groupId"))
                    && "jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                return plugin;
            }
        }
        return null;
    }

    private static Map<String, String> properties(Element pom) {
        Map<String, String> properties = new LinkedHashMap<>();
        Element element = child(pom, "properties");
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element property) {
                properties.put(property.getTagName(), property.getTextContent().trim());
            }
        }
        return properties;
    }

    private static Element pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }

    /** The repository root: surefire runs in the standalone module, an IDE may run in the root. */
    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("standalone").resolve("pom.xml")) ? here : here.getParent();
    }
}
