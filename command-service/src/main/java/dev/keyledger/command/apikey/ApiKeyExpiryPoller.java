package dev.keyledger.command.apikey;

import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.contracts.apikey.ExpireApiKeyCommand;
import dev.keyledger.contracts.kafka.Actor;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends {@link ExpireApiKeyCommand} (actor {@code system}) for every key in {@code api_key_expiry}
 * whose time has come. The table is written in the same transaction as the events, so pending
 * expiries survive restarts, unlike Axon's in-memory deadline manager. Several instances may poll:
 * the aggregate ignores an expiry it has already applied, and a lost race is a concurrency error
 * that the next poll retries.
 */
@Component
class ApiKeyExpiryPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyExpiryPoller.class);

    private final ApiKeyDirectory directory;
    private final CommandDispatcher dispatcher;
    private final ApiKeyProperties properties;
    private ScheduledExecutorService executor;

    ApiKeyExpiryPoller(ApiKeyDirectory directory, CommandDispatcher dispatcher, ApiKeyProperties properties) {
        this.directory = directory;
        this.dispatcher = dispatcher;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("api-key-expiry").daemon().factory());
        long interval = properties.expiryPollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pollSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("Expiry poll failed, retrying at the next interval: {}", e.toString());
        }
    }

    /** Expires every due key; returns how many were sent. */
    int poll() {
        Instant now = GenericEventMessage.clock.instant();
        int sent = 0;
        for (String keyId : directory.dueExpiries(now, properties.expiryBatchSize())) {
            try {
                dispatcher.send(new ExpireApiKeyCommand(keyId), Actor.SYSTEM);
                directory.dropExpiry(keyId, now);
                sent++;
            } catch (RuntimeException e) {
                log.warn("Expiring key {} failed: {}", keyId, e.toString());
            }
        }
        return sent;
    }
}
