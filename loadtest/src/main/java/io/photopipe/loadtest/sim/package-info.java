/**
 * The Gatling simulations (Java DSL), one per scenario; they read their parameters from the
 * {@link io.photopipe.loadtest.RunContext} the runner installs, since Gatling instantiates them by class name.
 */
package io.photopipe.loadtest.sim;
