package io.photopipe.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one contender achieved on the photo set. Memory figures are in MB per photo in flight (divided by the
 * threads), above the process's idle state; -1 where not measured (an external process, or no data).
 *
 * @param name                       the contender
 * @param photos                     photos rendered (all measured rounds)
 * @param seconds                    wall-clock time
 * @param photosPerSecond            throughput with all threads
 * @param megapixelsPerSecondPerCore source megapixels per second divided by the cores in use
 * @param msPerPhoto                 mean latency of one photo (all its renditions) on one thread
 * @param heapPerPhotoMb             peak heap (garbage included)
 * @param liveHeapPerPhotoMb         largest heap right after a garbage collection (-1 if none ran)
 * @param nativePerPhotoMb           peak malloc'ed native memory (codec buffers)
 * @param rssPerPhotoMb              peak resident set growth (heap pages newly touched included)
 * @param outputBytes                bytes of all outputs (a sanity check that work was done)
 * @param psnrDb                     mean PSNR of its renditions against the reference, NaN if not measured
 * @param psnrCompared               how many renditions the PSNR averages
 */
record BenchResult(String name, int photos, double seconds, double photosPerSecond, double megapixelsPerSecondPerCore,
                   double msPerPhoto, double heapPerPhotoMb, double liveHeapPerPhotoMb, double nativePerPhotoMb,
                   double rssPerPhotoMb, long outputBytes, double psnrDb, int psnrCompared) {

    BenchResult withPsnr(Quality.Score score) {
        return score == null ? this : new BenchResult(name, photos, seconds, photosPerSecond, megapixelsPerSecondPerCore,
                msPerPhoto, heapPerPhotoMb, liveHeapPerPhotoMb, nativePerPhotoMb, rssPerPhotoMb, outputBytes,
                score.meanDb(), score.compared());
    }

    /** The figures as JSON fields (null where not measured). */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("photos", photos);
        m.put("seconds", round(seconds, 3));
        m.put("photosPerSecond", round(photosPerSecond, 3));
        m.put("megapixelsPerSecondPerCore", round(megapixelsPerSecondPerCore, 3));
        m.put("msPerPhoto", round(msPerPhoto, 1));
        m.put("heapPerPhotoInFlightMb", mb(heapPerPhotoMb));
        m.put("liveHeapPerPhotoInFlightMb", mb(liveHeapPerPhotoMb));
        m.put("nativePerPhotoInFlightMb", mb(nativePerPhotoMb));
        m.put("rssPerPhotoInFlightMb", mb(rssPerPhotoMb));
        m.put("outputBytes", outputBytes);
        m.put("psnrDb", Double.isNaN(psnrDb) ? null : round(psnrDb, 2));
        m.put("psnrRenditions", psnrCompared);
        return m;
    }

    private static Double mb(double v) {
        return v < 0 ? null : round(v, 1);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
