/**
 * Per-key rate limits over fixed UTC minute and day windows, behind one interface: in memory for a
 * single edge, Redis (one atomic Lua script) for a fleet. Decisions are values; a refused request
 * consumes nothing. Implementations are thread safe. A Redis failure becomes a decision by the
 * fail-open/fail-closed setting and is counted, never an exception on the request path.
 */
package dev.keyledger.edge.ratelimit;
