/**
 * The edge's management port (health and prometheus only): its refusals, such as 404 for an
 * endpoint that is not exposed and 405 for a wrong method, carry the contract's error JSON instead
 * of Boot's default error attributes.
 */
package dev.keyledger.edge.management;
