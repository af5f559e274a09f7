/**
 * The standalone: the whole Keyledger platform in one JVM for evaluation and development.
 * {@link dev.keyledger.standalone.StandaloneApplication} binds the settings ({@code standalone.yml},
 * {@code keyledger.standalone.*}) in a small Spring context without auto-configuration, and
 * {@link dev.keyledger.standalone.Platform} starts PostgreSQL, Kafka, the demo upstream, the
 * identity provider and the services in that order and stops them in reverse when the context
 * closes (SIGTERM, or {@code close()} in tests). A failed start stops what had started and fails
 * the launch. Starting and stopping are serialised; the parts are thread safe once running.
 */
package dev.keyledger.standalone;
