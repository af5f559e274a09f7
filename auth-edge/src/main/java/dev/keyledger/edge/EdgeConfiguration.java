package dev.keyledger.edge;

import dev.keyledger.edge.decision.EdgeMetrics;
import dev.keyledger.edge.decision.Gatekeeper;
import dev.keyledger.edge.decision.Verifier;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ActiveKeysFollower;
import dev.keyledger.edge.keys.ActiveKeysHealthIndicator;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeysProperties;
import dev.keyledger.edge.keys.RevocationListener;
import dev.keyledger.edge.ratelimit.RateLimiter;
import dev.keyledger.edge.usage.UsageProperties;
import dev.keyledger.edge.usage.UsageRecorder;
import dev.keyledger.edge.web.CodecFailureResponder;
import dev.keyledger.edge.web.EdgeHttpHandler;
import dev.keyledger.edge.web.MalformedTargetRoute;
import dev.keyledger.edge.web.ProxyProperties;
import dev.keyledger.edge.web.UpstreamForwarder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * Wires the edge: table and follower, decision, usage, and the HTTP handler that replaces WebFlux's
 * dispatcher on the API port (the management port keeps its own actuator handler).
 */
@Configuration(proxyBeanMethods = false)
class EdgeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ActiveKeyTable activeKeyTable(KeysProperties properties, MeterRegistry registry) {
        ActiveKeyTable table = new ActiveKeyTable(properties.revokedAheadRetention());
        Gauge.builder("keyledger_edge_active_keys", table, ActiveKeyTable::size)
                .description("Keys in the in-memory table")
                .register(registry);
        return table;
    }

    @Bean
    ChangelogState changelogState(Clock clock, KeysProperties properties, MeterRegistry registry) {
        ChangelogState state =
                new ChangelogState(clock, properties.stalenessBound().toMillis());
        Gauge.builder("keyledger_edge_changelog_staleness_seconds", state, s -> s.stalenessSeconds(clock.millis()))
                .description("Age of the oldest partition heartbeat of the changelog (+Inf while a partition has none)")
                .register(registry);
        // Exported so that the alert and the dashboards compare against each edge's own setting.
        Gauge.builder("keyledger_edge_changelog_staleness_bound_seconds", state, s -> s.stalenessBoundMillis() / 1000.0)
                .description("Staleness past which key checks fail closed (keyledger.keys.staleness-bound)")
                .register(registry);
        return state;
    }

    @Bean
    ActiveKeysFollower activeKeysFollower(
            KafkaProperties kafka,
            KeysProperties properties,
            ActiveKeyTable table,
            ChangelogState state,
            MeterRegistry registry) {
        return new ActiveKeysFollower(kafka.buildConsumerProperties(), properties, table, state, registry);
    }

    @Bean
    RevocationListener revocationListener(
            KafkaProperties kafka,
            KeysProperties properties,
            ActiveKeyTable table,
            ChangelogState state,
            MeterRegistry registry) {
        return new RevocationListener(kafka.buildConsumerProperties(), properties, table, state, registry);
    }

    @Bean
    ActiveKeysHealthIndicator activeKeysHealthIndicator(ActiveKeyTable table, ChangelogState state, Clock clock) {
        return new ActiveKeysHealthIndicator(table, state, clock);
    }

    @Bean
    EdgeMetrics edgeMetrics(MeterRegistry registry) {
        return new EdgeMetrics(registry);
    }

    @Bean
    Gatekeeper gatekeeper(
            ActiveKeyTable table, ChangelogState state, RateLimiter limiter, EdgeMetrics metrics, Clock clock) {
        return new Gatekeeper(new Verifier(table, state), limiter, metrics, clock);
    }

    @Bean
    UsageRecorder usageRecorder(UsageProperties properties, KafkaProperties kafka, MeterRegistry registry) {
        return new UsageRecorder(properties, kafka.buildProducerProperties(), registry);
    }

    /** 400 JSON for a request-target Spring's adapter cannot parse (it would answer an empty 400). */
    @Bean
    MalformedTargetRoute malformedTargetRoute() {
        return new MalformedTargetRoute();
    }

    /** Error JSON for requests Netty's decoder refused (oversized or invalid headers); it would answer empty. */
    @Bean
    CodecFailureResponder codecFailureResponder() {
        return new CodecFailureResponder();
    }

    @Bean
    UpstreamForwarder upstreamForwarder(ProxyProperties properties, ReactorResourceFactory resources) {
        return new UpstreamForwarder(properties, resources.getLoopResources());
    }

    @Bean
    HttpHandler httpHandler(
            Gatekeeper gatekeeper,
            ActiveKeyTable table,
            ChangelogState state,
            UsageRecorder usage,
            UpstreamForwarder forwarder,
            Clock clock,
            ProxyProperties properties) {
        return new EdgeHttpHandler(gatekeeper, table, state, usage, forwarder, clock, properties);
    }
}
