package io.photopipe.local.lambda;

/**
 * One execution environment of a function, as it is now.
 *
 * @param id   its name in logs, e.g. {@code photopipe-worker-3}
 * @param pid  the process id of its child JVM, -1 in-process
 * @param busy running an invocation now
 */
public record EnvironmentInfo(String id, long pid, boolean busy) {
}
