/**
 * {@code ./photopipe bench}: measures the worker's image engine against naive Thumbnailator and libvips'
 * vipsthumbnail on real photos: throughput, heap and native memory per photo in flight, PSNR against a common
 * reference. Its own module, so the function jar holds only what the function runs.
 */
package io.photopipe.bench;
