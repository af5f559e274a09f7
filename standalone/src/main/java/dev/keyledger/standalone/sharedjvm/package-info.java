/**
 * What the applications that share the standalone's one JVM need so that none of them slows the
 * others down: JVM-wide state that a library installs for its own application (here a Reactor
 * hook) is kept out where no application of ours uses it.
 */
package dev.keyledger.standalone.sharedjvm;
