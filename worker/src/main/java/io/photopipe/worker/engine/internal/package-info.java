/**
 * How the engine works inside: content sniffing, header and metadata reading, decode plans with their memory
 * estimates, decoding and encoding (the native codecs from Maven's leptonica platform jars through FFM, or ImageIO
 * with TwelveMonkeys), resampling, filters, the watermark font and the memory budget. Not API.
 */
package io.photopipe.worker.engine.internal;
