package dev.keyledger.standalone;

import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.standalone.authserver.AuthorizationServer;
import dev.keyledger.standalone.kafka.KafkaBroker;
import dev.keyledger.standalone.kafka.KafkaBroker.TopicSpec;
import dev.keyledger.standalone.postgres.EmbeddedPostgresServer;
import dev.keyledger.standalone.services.Infrastructure;
import dev.keyledger.standalone.services.RunningService;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.standalone.upstream.DemoUpstream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/**
 * Everything the standalone runs, started in dependency order and stopped in the reverse order:
 * PostgreSQL, the Kafka broker, the demo upstream, the identity provider, then the services.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final StandaloneProperties properties;
    private final Deque<NamedComponent> started = new ArrayDeque<>();
    private final List<RunningService> services = new ArrayList<>();
    private EmbeddedPostgresServer postgres;
    private KafkaBroker kafka;
    private AuthorizationServer identityProvider;
    private DemoUpstream upstream;

    private record NamedComponent(String name, AutoCloseable component) {}

    private Platform(StandaloneProperties properties) {
        this.properties = properties;
    }

    /** Starts the whole platform; on failure, whatever had started is stopped again. */
    public static Platform start(StandaloneProperties properties) {
        Platform platform = new Platform(properties);
        try {
            platform.startAll();
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public AuthorizationServer identityProvider() {
        return identityProvider;
    }

    public DemoUpstream upstream() {
        return upstream;
    }

    public List<RunningService> services() {
        return List.copyOf(services);
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            NamedComponent next = started.pop();
            long begin = System.nanoTime();
            try {
                next.component().close();
                LOG.info("Stopped {} in {} ms", next.name(), (System.nanoTime() - begin) / 1_000_000);
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly", next.name(), e);
            }
        }
    }

    /**
     * Starts what {@code keyledger.standalone.mode} asks for: everything, or only the identity
     * provider or the demo upstream (for a deployment whose services run on their own).
     */
    private synchronized void startAll() {
        switch (properties.mode()) {
            case IDP -> {
                identityProvider = startNow("identity provider", this::startIdentityProvider);
                started.push(new NamedComponent("identity provider", identityProvider));
            }
            case UPSTREAM -> {
                upstream = startNow("demo upstream", this::startUpstream);
                started.push(new NamedComponent("demo upstream", upstream));
            }
            case ALL -> startPlatform();
        }
    }

    /** The identity provider, with the portal client's redirect URIs. */
    private AuthorizationServer startIdentityProvider() {
        StandaloneProperties.IdentityProvider idp = properties.idp();
        URI portalBaseUrl = idp.portalBaseUrl() != null
                ? idp.portalBaseUrl()
                : URI.create(serviceUrls().get(ServiceCatalog.PORTAL));
        return AuthorizationServer.start(new AuthorizationServer.Settings(
                properties.dataDir().toAbsolutePath().resolve("idp").resolve("signing-key.json"),
                properties.bindAddress(),
                idp.port(),
                idp.issuer(),
                idp.tokenLifetime(),
                idp.audience(),
                idp.allowedHosts(),
                portalBaseUrl,
                idp.portalClientSecret(),
                idp.clientCredentials()));
    }

    private DemoUpstream startUpstream() {
        return DemoUpstream.start(
                properties.bindAddress(), properties.upstream().port());
    }

    /**
     * PostgreSQL, Kafka, the upstream and the identity provider do not depend on each other, so they
     * start side by side (Kafka alone takes most of that time); the services then start one by one.
     * Components are recorded in the fixed order above whatever order they finish in, so they
     * always stop in the reverse of it.
     */
    private void startPlatform() {
        properties.services().keySet().stream()
                .filter(name -> ServiceCatalog.SERVICES.stream()
                        .noneMatch(service -> service.name().equals(name)))
                .forEach(name -> LOG.warn("keyledger.standalone.services.{} names no known service", name));
        Path dataDir = properties.dataDir().toAbsolutePath();
        String host = properties.host();
        String bindAddress = properties.bindAddress();
        StandaloneProperties.Kafka kafkaSettings = properties.kafka();
        try (ExecutorService starter = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("standalone-start-", 0).factory())) {
            Future<EmbeddedPostgresServer> postgresStart = starter.submit(timed(
                    "PostgreSQL",
                    () -> EmbeddedPostgresServer.start(
                            dataDir.resolve("postgres"),
                            dataDir.resolve("logs").resolve("postgres.log"),
                            bindAddress,
                            host,
                            properties.postgres().port(),
                            ServiceCatalog.databases())));
            Future<KafkaBroker> kafkaStart = starter.submit(timed(
                    "Kafka broker",
                    () -> KafkaBroker.start(
                            dataDir.resolve("kafka"),
                            bindAddress,
                            host,
                            kafkaSettings.port(),
                            kafkaSettings.controllerPort(),
                            List.of(
                                    // Topic settings come from their one declaration in contracts.
                                    new TopicSpec(
                                            Topics.KEY_EVENTS,
                                            kafkaSettings.partitions(),
                                            KeyledgerTopics.KEY_EVENTS.configs()),
                                    new TopicSpec(
                                            Topics.ACTIVE_KEYS,
                                            kafkaSettings.partitions(),
                                            KeyledgerTopics.ACTIVE_KEYS.configs()),
                                    new TopicSpec(
                                            Topics.KEY_USAGE,
                                            kafkaSettings.partitions(),
                                            KeyledgerTopics.KEY_USAGE.configs())))));
            Future<DemoUpstream> upstreamStart = starter.submit(timed("demo upstream", this::startUpstream));
            Future<AuthorizationServer> idpStart =
                    starter.submit(timed("identity provider", this::startIdentityProvider));
            // Record every success before reporting a failure, so that close() stops all of them.
            List<Throwable> failures = new ArrayList<>();
            postgres = collect("PostgreSQL", postgresStart, failures);
            kafka = collect("Kafka broker", kafkaStart, failures);
            upstream = collect("demo upstream", upstreamStart, failures);
            identityProvider = collect("identity provider", idpStart, failures);
            if (!failures.isEmpty()) {
                IllegalStateException failure =
                        new IllegalStateException("the standalone infrastructure did not start", failures.getFirst());
                failures.stream().skip(1).forEach(failure::addSuppressed);
                throw failure;
            }
        }
        for (ServiceDefinition definition : ServiceCatalog.SERVICES) {
            StandaloneProperties.Service settings = properties.services().get(definition.name());
            if (settings != null && !settings.enabled()) {
                LOG.info("{} is disabled", definition.name());
            } else if (!RunningService.available(definition)) {
                LOG.warn("{} is not part of this build; it does not run", definition.name());
            } else {
                long begin = System.nanoTime();
                URI readinessProbe = URI.create("http://" + properties.host() + ":"
                        + managementPort(settings, definition) + "/actuator/health/readiness");
                RunningService service = RunningService.start(
                        definition,
                        serviceProperties(definition, settings),
                        readinessProbe,
                        properties.readinessTimeout());
                started.push(new NamedComponent(definition.name(), service));
                services.add(service);
                LOG.info("Started {} in {} ms", definition.name(), (System.nanoTime() - begin) / 1_000_000);
            }
        }
    }

    /** What a service needs to find the embedded infrastructure, winning over its own settings file. */
    private Map<String, String> serviceProperties(ServiceDefinition definition, StandaloneProperties.Service settings) {
        Infrastructure infrastructure = new Infrastructure(
                postgres.jdbcUrl(""),
                EmbeddedPostgresServer.USERNAME,
                EmbeddedPostgresServer.PASSWORD,
                kafka.bootstrapServers(),
                identityProvider.jwksUri(),
                "http://" + properties.host() + ":" + upstream.port(),
                identityProvider.issuer(),
                serviceUrls());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("server.port", Integer.toString(port(settings, definition)));
        values.put("management.server.port", Integer.toString(managementPort(settings, definition)));
        // Each service maps this one setting to server.address and management.server.address.
        values.put("keyledger.bind-address", properties.bindAddress());
        if (definition.hasDatabase()) {
            values.put("spring.datasource.url", infrastructure.jdbcUrlPrefix() + definition.database());
            values.put("spring.datasource.username", infrastructure.databaseUsername());
            values.put("spring.datasource.password", infrastructure.databasePassword());
        }
        values.put("spring.kafka.bootstrap-servers", infrastructure.kafkaBootstrapServers());
        values.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", infrastructure.jwkSetUri());
        // The services trust no identity provider by default; here they trust the development one.
        values.put("keyledger.security.issuer", identityProvider.issuer());
        values.put(
                "spring.security.oauth2.resourceserver.jwt.audiences",
                properties.idp().audience());
        // The standalone owns the JVM: it alone reacts to SIGTERM and stops the services in order.
        values.put("spring.main.register-shutdown-hook", "false");
        values.put("spring.main.banner-mode", "off");
        // Boot would name the standalone's main class in every service's start-up line.
        values.put("spring.main.log-startup-info", "false");
        values.put("spring.jmx.enabled", "false");
        values.put("logging.level.org.apache.kafka", "WARN");
        String excluded =
                ImportCandidates.load(AutoConfiguration.class, Platform.class.getClassLoader()).getCandidates().stream()
                        .filter(candidate ->
                                definition.foreignAutoConfigurations().stream().anyMatch(candidate::startsWith))
                        .collect(Collectors.joining(","));
        if (!excluded.isEmpty()) {
            values.put("spring.autoconfigure.exclude", excluded);
        }
        // A directory of its own under the data directory (the edge keeps its usage spool there).
        values.put(
                "keyledger.data-dir",
                properties.dataDir().toAbsolutePath().resolve(definition.name()).toString());
        values.putAll(definition.extraProperties().apply(infrastructure));
        if (definition.name().equals(ServiceCatalog.PORTAL)) {
            values.put(
                    "spring.security.oauth2.client.registration.keyledger.client-secret",
                    properties.idp().portalClientSecret());
        }
        if (settings != null) {
            values.putAll(settings.properties());
        }
        return values;
    }

    /** Where each service answers, with the ports this standalone gives them. */
    private Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (ServiceDefinition definition : ServiceCatalog.SERVICES) {
            urls.put(
                    definition.name(),
                    "http://" + properties.host() + ":"
                            + port(properties.services().get(definition.name()), definition));
        }
        return urls;
    }

    private static int port(StandaloneProperties.Service settings, ServiceDefinition definition) {
        return settings != null && settings.port() != null ? settings.port() : definition.port();
    }

    private static int managementPort(StandaloneProperties.Service settings, ServiceDefinition definition) {
        return settings != null && settings.managementPort() != null
                ? settings.managementPort()
                : definition.managementPort();
    }

    private static <T> T startNow(String name, Supplier<T> starter) {
        long begin = System.nanoTime();
        T component = starter.get();
        LOG.info("Started {} in {} ms", name, (System.nanoTime() - begin) / 1_000_000);
        return component;
    }

    private static <T> Callable<T> timed(String name, Supplier<T> starter) {
        return () -> {
            long begin = System.nanoTime();
            T component = starter.get();
            LOG.info("Started {} in {} ms", name, (System.nanoTime() - begin) / 1_000_000);
            return component;
        };
    }

    private <T extends AutoCloseable> T collect(String name, Future<T> start, List<Throwable> failures) {
        try {
            T component = start.get();
            started.push(new NamedComponent(name, component));
            return component;
        } catch (ExecutionException e) {
            failures.add(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(e);
        }
        return null;
    }
}
