/**
 * The image engine: bytes of a photo in, encoded renditions out, and nothing else (it knows nothing of S3 or SQS).
 * Guards run before any pixel is decoded; each photo is decoded once, subsampled, and every rendition is derived
 * from it largest first. {@link io.photopipe.worker.engine.ImageEngine} is the entry point.
 */
package io.photopipe.worker.engine;
