package dev.keyledger.command.dispatch;

import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.web.WebProperties;
import dev.keyledger.contracts.kafka.Actor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Sends a command synchronously with the actor as metadata ({@link Actor#META_SUBJECT} and
 * friends, copied onto the events by the correlation data provider) and records
 * {@code keyledger_command_duration_seconds} by command type and outcome. Every command of the
 * service goes through here, so the metric has one source.
 */
@Component
public class CommandDispatcher {

    private static final int MAX_USER_AGENT_LENGTH = 512;

    private final CommandGateway commandGateway;
    private final MeterRegistry meterRegistry;
    private final WebProperties properties;
    private final Map<Class<?>, Map<String, Timer>> timers = new ConcurrentHashMap<>();

    CommandDispatcher(CommandGateway commandGateway, MeterRegistry meterRegistry, WebProperties properties) {
        this.commandGateway = commandGateway;
        this.meterRegistry = meterRegistry;
        this.properties = properties;
    }

    /** The actor of an HTTP call: the JWT subject, the client IP and the user agent. */
    public Actor actor(HttpServletRequest request, String subject) {
        String ip = request.getRemoteAddr();
        if (properties.trustForwardedFor()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                ip = (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
            }
        }
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT_LENGTH) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT_LENGTH);
        }
        return new Actor(subject, ip, userAgent);
    }

    /** Sends and waits; handler exceptions reach the caller unchanged. */
    public <R> R send(Object command, Actor actor) {
        Map<String, Object> metaData = new HashMap<>(4);
        metaData.put(Actor.META_SUBJECT, actor.subject());
        if (actor.ip() != null) {
            metaData.put(Actor.META_IP, actor.ip());
        }
        if (actor.userAgent() != null) {
            metaData.put(Actor.META_USER_AGENT, actor.userAgent());
        }
        long start = System.nanoTime();
        String outcome = "error";
        try {
            R result = commandGateway.sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
            outcome = "success";
            return result;
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw e;
        } finally {
            timer(command.getClass(), outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Looked up once per command type and outcome: registering on every call showed in profiles. */
    private Timer timer(Class<?> commandType, String outcome) {
        return timers.computeIfAbsent(commandType, type -> new ConcurrentHashMap<>(4))
                .computeIfAbsent(
                        outcome,
                        o -> Timer.builder("keyledger.command.duration")
                                .description("Command handling time by command type and outcome")
                                .tag("command", commandType.getSimpleName())
                                .tag("outcome", o)
                                .register(meterRegistry));
    }

    private static String outcome(RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
            return "invalid";
        }
        if (e instanceof UnknownAggregate || e instanceof AggregateNotFoundException) {
            return "not_found";
        }
        if (e instanceof IllegalStateException || e instanceof ConcurrencyException) {
            return "conflict";
        }
        return "error";
    }
}
