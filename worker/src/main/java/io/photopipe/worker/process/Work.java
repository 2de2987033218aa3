package io.photopipe.worker.process;

/**
 * What processing one photo (or one message) amounted to, for logs and metrics.
 *
 * @param renditions renditions written (or deleted, for removals)
 * @param bytesIn    source bytes read
 * @param bytesOut   rendition bytes written
 * @param pixelsIn   source pixels (as the header declares them)
 * @param pixelsOut  pixels of all renditions written
 */
public record Work(int renditions, long bytesIn, long bytesOut, long pixelsIn, long pixelsOut) {

    /** Nothing done. */
    public static final Work NONE = new Work(0, 0, 0, 0, 0);

    /** Both together. */
    public Work plus(Work o) {
        return new Work(renditions + o.renditions, bytesIn + o.bytesIn, bytesOut + o.bytesOut,
                pixelsIn + o.pixelsIn, pixelsOut + o.pixelsOut);
    }
}
