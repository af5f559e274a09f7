/**
 * The services' HTTP APIs as the CLI calls them: the connection flags and their environment
 * variables, and a client that turns every HTTP or network failure into one line with the
 * contract's error message and an exit code (3, or 4 for 401/403). Uses the JDK's HTTP client; no
 * redirects are followed, so a bearer token never goes elsewhere.
 */
package dev.keyledger.cli.http;
