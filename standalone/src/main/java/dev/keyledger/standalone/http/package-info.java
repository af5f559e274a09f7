/**
 * The small HTTP toolkit the development identity provider and the demo upstream share: a JDK
 * {@code HttpServer} on virtual threads, bounded body reading and the platform's error JSON
 * ({@code {"error","message","code","details"?}}). Handlers never let an exception escape as a
 * stack trace: anything unexpected becomes a 500 with the same JSON shape. Thread safe.
 */
package dev.keyledger.standalone.http;
