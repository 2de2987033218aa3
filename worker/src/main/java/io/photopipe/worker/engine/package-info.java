/**
 * The image engine: bytes of a photo in, encoded renditions out, and nothing else (it knows nothing of S3 or SQS).
 * Guards run before any pixel is decoded (size, format, pixels, samples, aspect ratio, and the memory the decode plan
 * needs); each photo is decoded once, reduced, and every rendition is derived from it largest first.
 * {@link io.photopipe.worker.engine.ImageEngine} is the entry point; {@link io.photopipe.worker.engine.Codecs} says
 * which decoder and encoder run here for each format.
 */
package io.photopipe.worker.engine;
