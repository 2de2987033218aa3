package io.photopipe.loadtest.model;

/**
 * What a run used, in the units AWS bills, with how it was counted. Built by {@link #fromRun}: Lambda figures are
 * measured; S3 and SQS requests follow the pipeline's call pattern (below) applied to the measured counts.
 *
 * @param photos         photos the worker finished (rendered or rejected)
 * @param invocations    worker invocations (Lambda requests)
 * @param invokeSeconds  invoke durations summed
 * @param initSeconds    init durations of cold starts summed (AWS bills the INIT phase of on-demand functions since
 *                       2025-08-01)
 * @param memoryMb       the worker's configured memory
 * @param architecture   {@code arm64} or {@code x86_64}
 * @param sqsRequests    SQS requests
 * @param s3Puts         S3 PUT-class requests
 * @param s3Gets         S3 GET-class requests
 * @param apiRequests    API Gateway requests
 */
public record Usage(double photos, double invocations, double invokeSeconds, double initSeconds, int memoryMb, String architecture,
                    double sqsRequests, double s3Puts, double s3Gets, double apiRequests) {

    public Usage {
        if (photos <= 0) {
            throw new IllegalArgumentException("photos: " + photos + " must be positive to price a photo");
        }
        if (memoryMb < 128) {
            throw new IllegalArgumentException("memoryMb: " + memoryMb + " must be at least 128");
        }
    }

    /**
     * Counts of one run, as measured.
     *
     * @param rendered        photos rendered (status READY)
     * @param rejected        photos rejected (status FAILED, moved to the DLQ)
     * @param uploaded        of all photos, those uploaded through the API during the run (a presigned PUT each);
     *                        the rest were re-processed by a backfill
     * @param backfilled      messages the producer enqueued
     * @param invocations     worker invocations
     * @param batches         batches the event source mapping delivered
     * @param invokeSeconds   invoke durations summed
     * @param initSeconds     init durations summed (cold starts)
     * @param renditions      renditions made per photo (from the settings)
     */
    public record RunCounts(long rendered, long rejected, long uploaded, long backfilled, long invocations,
                            long batches, double invokeSeconds, double initSeconds, int renditions) {
        public long photos() {
            return rendered + rejected;
        }
    }

    /**
     * The usage of a run. Requests per photo follow the code path (worker {@code PhotoProcessor}, API
     * {@code PhotoApi}, the local event source mapping):
     * <ul>
     *   <li>S3 PUT: the upload (API photos), each rendition, the status document, the API's upload ticket; a
     *       rejected photo writes only its status;</li>
     *   <li>S3 GET: the worker reads the status (idempotency) and the original; the API's one status lookup per
     *       photo reads the ticket, the original's ETag (HEAD) and the status;</li>
     *   <li>SQS: the S3 notification (uploads) or a tenth of a SendMessageBatch (backfill), one ReceiveMessage and
     *       one DeleteMessageBatch per batch (a lower bound: empty long polls are not counted), the worker's
     *       result to the results queue, and for a rejected photo its DLQ message;</li>
     *   <li>API: {@code POST /uploads} and one {@code GET /images/{id}} per uploaded photo (a client told by the
     *       results queue polls once; the load test polls more, which is not billed here).</li>
     * </ul>
     */
    public static Usage fromRun(RunCounts c, int memoryMb, String architecture) {
        double photos = c.photos();
        double s3Puts = c.uploaded() * 2.0 + c.rendered() * (c.renditions() + 1.0) + c.rejected();
        double s3Gets = photos * 2.0 + c.uploaded() * 3.0;
        double sqs = c.uploaded() + Math.ceil(c.backfilled() / 10.0) + 2.0 * c.batches() + photos + c.rejected();
        double api = c.uploaded() * 2.0;
        return new Usage(photos, c.invocations(), c.invokeSeconds(), c.initSeconds(), memoryMb, architecture, sqs,
                s3Puts, s3Gets, api);
    }

    /** Seconds billed: invoke and init. */
    public double billedSeconds() {
        return invokeSeconds + initSeconds;
    }

    /** Invoke time per photo, seconds. */
    public double invokeSecondsPerPhoto() {
        return invokeSeconds / photos;
    }

    /** Lambda GB-seconds billed. */
    public double gbSeconds() {
        return billedSeconds() * memoryMb / 1024.0;
    }
}
