package io.photopipe.loadtest;

/**
 * One check of the run beyond Gatling's own assertions (DLQ contents, latency with and without a backfill, drain
 * completeness); any failed check fails the verdict.
 *
 * @param name   what was checked
 * @param passed whether it held
 * @param detail the figures behind it
 */
public record Check(String name, boolean passed, String detail) {
}
