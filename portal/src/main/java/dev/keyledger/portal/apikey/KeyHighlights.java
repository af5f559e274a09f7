package dev.keyledger.portal.apikey;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.Models.KeyView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the API Keys page and a key's page flag on an active key, each as a text badge (never colour
 * alone): {@code Unused 30 days} for a key created more than {@link #UNUSED_AGE} ago that has not
 * been used since (its {@code last_used_at} is null or older than that), and {@code rotation due}
 * for a key created more than {@code keyledger.portal.rotation-age} (90 days) ago. Revoked and
 * expired keys carry neither. Used from templates as {@code ${@keyHighlights.unused(key)}}.
 */
@Component("keyHighlights")
public class KeyHighlights {

    /** The age from which an unused key is flagged, and how long "unused" looks back. */
    public static final Duration UNUSED_AGE = Duration.ofDays(30);

    private final Duration rotationAge;
    private final Clock clock;

    @Autowired
    KeyHighlights(PortalProperties properties) {
        this(properties.rotationAge(), Clock.systemUTC());
    }

    KeyHighlights(Duration rotationAge, Clock clock) {
        this.rotationAge = rotationAge;
        this.clock = clock;
    }

    /** Active, created more than 30 days ago, and no accepted request in the last 30 days. */
    public boolean unused(KeyView key) {
        Instant cutoff = clock.instant().minus(UNUSED_AGE);
        return key.active()
                && key.createdAt() != null
                && key.createdAt().isBefore(cutoff)
                && (key.lastUsedAt() == null || key.lastUsedAt().isBefore(cutoff));
    }

    /** Active and created more than the rotation age (90 days) ago. */
    public boolean rotationDue(KeyView key) {
        return key.active()
                && key.createdAt() != null
                && Duration.between(key.createdAt(), clock.instant()).compareTo(rotationAge) > 0;
    }
}
