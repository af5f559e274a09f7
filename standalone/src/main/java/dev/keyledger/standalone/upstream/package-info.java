/**
 * The demo upstream API the edge proxies to: {@code POST /api/v1/chat/message} answers like a tiny
 * chat service, any other path under {@code /api/} echoes the request, and every answer shows the
 * {@code X-Keyledger-*} headers it received under {@code caller}, so a developer sees what the edge
 * passed on. Stateless and thread safe; a body that is not JSON is echoed as text, never refused.
 */
package dev.keyledger.standalone.upstream;
