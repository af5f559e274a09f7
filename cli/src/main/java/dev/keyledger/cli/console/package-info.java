/**
 * Terminal output: the progress line on stderr (drawn only for a terminal or on request) and plain
 * tables on stdout, with control characters from service answers removed. Not thread safe: one
 * command uses one of each on its own thread.
 */
package dev.keyledger.cli.console;
