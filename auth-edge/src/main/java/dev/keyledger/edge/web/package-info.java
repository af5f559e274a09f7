/**
 * The HTTP data plane: one Reactor Netty {@code HttpHandler} for forward-auth and proxy mode, the
 * contract's exact error bodies and headers, CORS and preflight, and the streaming upstream
 * forwarder. Stateless and thread safe; every outcome is an HTTP answer from CONTRACT.md, an
 * unexpected failure a 503, never a 500 with a stack trace.
 */
package dev.keyledger.edge.web;
