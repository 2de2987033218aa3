/**
 * photopipe's load tests: {@link io.photopipe.loadtest.LoadTestCommand} ({@code ./photopipe loadtest SCENARIO}) starts
 * the local stack or opens a deployed one, runs a Gatling simulation of {@link io.photopipe.loadtest.sim}, samples the
 * stack's metrics, checks what Gatling cannot see, and writes {@code scaling.html} beside Gatling's report.
 */
package io.photopipe.loadtest;
