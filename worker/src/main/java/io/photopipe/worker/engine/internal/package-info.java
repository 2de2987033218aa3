/**
 * How the engine works inside: content sniffing, header and metadata reading, decoding (ImageIO with TwelveMonkeys,
 * or libjpeg-turbo through FFM), resampling, filters, the watermark font, encoders and the memory budget. Not API.
 */
package io.photopipe.worker.engine.internal;
