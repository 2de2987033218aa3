package io.photopipe.worker.bench;

import java.util.Locale;

/**
 * What one contender achieved on the photo set.
 *
 * @param name                     the contender
 * @param photos                   photos rendered (all rounds)
 * @param seconds                  wall-clock time
 * @param photosPerSecond          throughput with all threads
 * @param megapixelsPerSecondPerCore source megapixels per second divided by the cores in use
 * @param msPerPhoto               mean latency of one photo (all its renditions) on one thread
 * @param heapPerPhotoInFlightMb   peak heap used during the run, above the idle heap, divided by the photos in flight
 *                                 (includes garbage not yet collected)
 * @param liveHeapPerPhotoInFlightMb the largest heap left right after a garbage collection during the run, above the
 *                                 idle heap, divided by the photos in flight (-1 if no collection ran)
 * @param outputBytes              bytes of all outputs (a sanity check that work was done)
 */
record BenchResult(String name, int photos, double seconds, double photosPerSecond, double megapixelsPerSecondPerCore,
                   double msPerPhoto, double heapPerPhotoInFlightMb, double liveHeapPerPhotoInFlightMb,
                   long outputBytes) {

    String json() {
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"photos\":%d,\"seconds\":%.3f,\"photosPerSecond\":%.3f,"
                        + "\"megapixelsPerSecondPerCore\":%.3f,\"msPerPhoto\":%.1f,\"heapPerPhotoInFlightMb\":%.1f,"
                        + "\"liveHeapPerPhotoInFlightMb\":%.1f,\"outputBytes\":%d}", name, photos, seconds,
                photosPerSecond, megapixelsPerSecondPerCore, msPerPhoto, heapPerPhotoInFlightMb,
                liveHeapPerPhotoInFlightMb, outputBytes);
    }
}
