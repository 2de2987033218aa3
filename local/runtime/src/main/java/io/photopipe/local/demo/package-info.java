/**
 * {@code ./photopipe demo}: the whole pipeline offline on a sample photo library, ending with a summary (photos,
 * renditions, failures with reasons, throughput, latency percentiles, cold starts) and an HTML gallery.
 */
package io.photopipe.local.demo;
