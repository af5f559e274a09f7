/**
 * The contract's error JSON for answers given before Spring MVC runs: {@link
 * dev.keyledger.servicekit.error.ErrorBody} written by {@link
 * dev.keyledger.servicekit.error.ErrorBodyWriter} with the service's Jackson mapper, never by
 * string concatenation; and for the refusals Tomcat makes before any filter runs, {@link
 * dev.keyledger.servicekit.error.JsonErrorReportValve} with the body of {@link
 * dev.keyledger.servicekit.error.ContainerErrors} ({@link
 * dev.keyledger.servicekit.error.ContainerErrorConfiguration}). Immutable and thread safe.
 */
package dev.keyledger.servicekit.error;
