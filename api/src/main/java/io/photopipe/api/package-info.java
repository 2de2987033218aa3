/**
 * The upload API: {@code POST /uploads} hands out presigned uploads that S3 itself enforces, {@code GET /images/{id}}
 * tells whether the worker has made the photo's renditions and gives their URLs, {@code GET /} serves the upload page.
 * {@link io.photopipe.api.ApiHandler} is the thin Lambda adapter (API Gateway HTTP API, payload 2.0) over
 * {@link io.photopipe.api.PhotoApi}, which knows nothing of Lambda.
 */
package io.photopipe.api;
