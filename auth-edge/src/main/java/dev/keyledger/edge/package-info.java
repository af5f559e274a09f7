/**
 * The auth edge application and its wiring. Feature packages: {@code keys} (table and changelog),
 * {@code decision} (hot path and metrics), {@code ratelimit}, {@code usage}, {@code web} (HTTP).
 */
package dev.keyledger.edge;
