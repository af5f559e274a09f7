package dev.keyledger.contracts.kafka;

/**
 * Who caused an event: the JWT subject, the client IP and the user agent of the HTTP call.
 * Scheduled events (expiry) have the subject {@code system}.
 */
public record Actor(String subject, String ip, String userAgent) {

    public static final Actor SYSTEM = new Actor("system", null, null);

    /** Event metadata keys under which the command-service records the actor. */
    public static final String META_SUBJECT = "actor_subject";

    public static final String META_IP = "actor_ip";
    public static final String META_USER_AGENT = "actor_user_agent";
}
