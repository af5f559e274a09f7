package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.SecurityRefusal;
import dev.keyledger.servicekit.security.CallerClaims;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The security log's parts in each service (imported by {@code ServiceSecurityConfiguration}): the
 * {@link SecurityLog} with its metrics, the {@link SecurityLogPublisher} when publishing is on, and
 * the {@link RefusalRecorder}s that the two filter chains put first. The recorders are not beans of
 * type {@link Filter}, so the servlet container does not run them a second time outside the chains.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityLogSettings.class)
public class SecurityLogConfiguration {

    /** Route of every refusal on the management port (the actuator endpoints are not API routes). */
    static final String MANAGEMENT_ROUTE = "/actuator/**";

    /** The rule of the audit log's actor IP, shared with the command-service's {@code WebProperties}. */
    static final String TRUST_FORWARDED_FOR = "keyledger.web.trust-forwarded-for";

    @Bean
    SecurityLog securityLog(
            SecurityLogSettings settings, ObjectProvider<MeterRegistry> registry, Environment environment) {
        String service = environment.getProperty("spring.application.name", "unknown");
        if (service.length() > SecurityRefusal.MAX_SERVICE_LENGTH) {
            service = service.substring(0, SecurityRefusal.MAX_SERVICE_LENGTH);
        }
        // Every service has Boot's registry; a bare context (the kit's own tests) counts into a private one.
        return new SecurityLog(service, settings, registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    SecurityLogPublisher securityLogPublisher(
            SecurityLog log, SecurityLogSettings settings, ObjectProvider<KafkaProperties> kafka) {
        KafkaProperties properties = kafka.getIfAvailable(KafkaProperties::new);
        Map<String, Object> config = SecurityLogPublisher.producerConfig(properties, settings, log.service());
        return new SecurityLogPublisher(
                log,
                () -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()),
                settings.enabled());
    }

    @Bean
    RefusalRecorders refusalRecorders(
            SecurityLog log,
            CallerClaims claims,
            ObjectProvider<RequestMappingHandlerMapping> mappings,
            Environment environment) {
        boolean trustForwardedFor = environment.getProperty(TRUST_FORWARDED_FOR, Boolean.class, false);
        RouteTemplates templates = new RouteTemplates(mappings);
        RouteTemplates.Match management = new RouteTemplates.Match(MANAGEMENT_ROUTE, Map.of());
        return new RefusalRecorders(
                new RefusalRecorder(log, templates::match, claims, trustForwardedFor, Clock.systemUTC()),
                new RefusalRecorder(log, request -> management, claims, trustForwardedFor, Clock.systemUTC()));
    }

    /** The recorder of the API chain and the one of the management chain. */
    public record RefusalRecorders(RefusalRecorder api, RefusalRecorder management) {}
}
