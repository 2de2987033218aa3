/**
 * {@code ./photopipe bench}: measures the engine against naive Thumbnailator on real photos. Not part of the
 * Lambda function's work; it ships in the worker module because it benchmarks that module's engine.
 */
package io.photopipe.worker.bench;
