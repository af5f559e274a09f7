package dev.keyledger.standalone.services;

import dev.keyledger.standalone.sharedjvm.NoServletReactorContextHook;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/** One service running in its own Spring context inside the standalone JVM. */
public final class RunningService implements AutoCloseable {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private final ServiceDefinition definition;
    private final ConfigurableApplicationContext context;

    private RunningService(ServiceDefinition definition, ConfigurableApplicationContext context) {
        this.definition = definition;
        this.context = context;
    }

    /** True when the service's Application class is on the classpath. */
    public static boolean available(ServiceDefinition definition) {
        try {
            Class.forName(definition.applicationClass(), false, RunningService.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Runs the service with {@code properties} as command-line arguments and waits until it
     * accepts traffic: its readiness state says so, and so does its readiness probe, which may
     * include checks of its own (the edge is ready only once it has read the active keys).
     *
     * @param readinessProbe the service's {@code /actuator/health/readiness}; a 404 there means
     *     the service has no probe and its readiness state alone counts
     */
    public static RunningService start(
            ServiceDefinition definition,
            Map<String, String> properties,
            URI readinessProbe,
            Duration readinessTimeout) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ApplicationListener<ApplicationEvent> readiness = event -> {
            if (event instanceof AvailabilityChangeEvent<?> change
                    && change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                ready.complete(null);
            }
        };
        String[] args = properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = NoServletReactorContextHook.applyTo(
                        builder(definition).listeners(readiness))
                .run(args);
        RunningService service = new RunningService(definition, context);
        long deadline = System.nanoTime() + readinessTimeout.toNanos();
        try {
            ready.get(readinessTimeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitProbe(readinessProbe, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.close();
            throw new IllegalStateException("interrupted while waiting for " + definition.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            service.close();
            throw new IllegalStateException(definition.name() + " did not become ready within " + readinessTimeout, e);
        }
        return service;
    }

    public ServiceDefinition definition() {
        return definition;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    private static void awaitProbe(URI probe, long deadline) throws InterruptedException, TimeoutException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(PROBE_INTERVAL).build()) {
            HttpRequest request =
                    HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build();
            while (true) {
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200 || status == 404) {
                        return;
                    }
                } catch (IOException notYetListening) {
                    // The management server may still be binding its port.
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("readiness probe " + probe + " never answered 200");
                }
                Thread.sleep(PROBE_INTERVAL);
            }
        }
    }

    private static SpringApplicationBuilder builder(ServiceDefinition definition) {
        try {
            Class<?> application =
                    Class.forName(definition.applicationClass(), true, RunningService.class.getClassLoader());
            return (SpringApplicationBuilder) application.getMethod("builder").invoke(null);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException(
                    definition.applicationClass() + " needs a public static SpringApplicationBuilder builder()", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(definition.applicationClass() + ".builder() failed", e.getCause());
        }
    }
}
