package dev.keyledger.portal.web;

import dev.keyledger.portal.PortalProperties;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * The read side follows the write side within milliseconds, but not within the same request. After
 * a change the portal waits, briefly and boundedly, until the read API shows it, so that the page it
 * opens next shows what the user just did. Past the bound the page opens anyway.
 */
@Component
public class ReadYourWrites {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Duration timeout;

    ReadYourWrites(PortalProperties properties) {
        this.timeout = properties.readYourWritesTimeout();
    }

    /** Returns once {@code visible} is true or the timeout has passed. */
    public void await(BooleanSupplier visible) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!visible.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
