/**
 * Starting the Keyledger services inside the standalone JVM. {@link
 * dev.keyledger.standalone.services.ServiceCatalog} lists every service with its Application class,
 * default ports and database; a service runs when its Application class is on the classpath, so
 * adding one to the standalone is a dependency in {@code standalone/pom.xml}. Each service gets its
 * own Spring context, started through its {@code builder()}, with the embedded infrastructure's
 * addresses passed as command-line properties (they win over the service's own file). A service
 * counts as started once its readiness state is {@code ACCEPTING_TRAFFIC}; a failure or a timeout
 * stops the start-up with an {@link IllegalStateException}. Started and stopped by one thread.
 */
package dev.keyledger.standalone.services;
