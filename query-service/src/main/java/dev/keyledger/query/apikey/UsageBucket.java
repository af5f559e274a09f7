package dev.keyledger.query.apikey;

import java.time.Instant;

/** One bucket of a key's usage: accepted ({@code requests}) and refused ({@code rejected}) requests. */
record UsageBucket(Instant start, long requests, long rejected) {}
