/**
 * The error model of the read API: {@link dev.keyledger.query.web.ApiException} carries an expected
 * outcome (400, 403, 404), and one advice turns every failure into the shared error JSON. Stateless.
 */
package dev.keyledger.query.web;
