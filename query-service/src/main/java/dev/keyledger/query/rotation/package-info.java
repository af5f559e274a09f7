/**
 * Rotation hygiene: the gauge {@code keyledger_keys_rotation_overdue{plan}} counts active keys
 * older than {@code keyledger.rotation.max-age} per organization plan (never per key), refreshed
 * from the projection tables on its own thread. Read only; a failed refresh is logged and the
 * gauges keep their previous values until the next one.
 */
package dev.keyledger.query.rotation;
