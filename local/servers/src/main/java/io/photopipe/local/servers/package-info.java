/**
 * Real S3 ({@link io.photopipe.local.servers.EmbeddedS3}, S3Proxy) and SQS ({@link io.photopipe.local.servers.EmbeddedSqs},
 * ElasticMQ) servers on the loopback interface, for any module's tests and for the local runtime, with S3 fault
 * injection ({@link io.photopipe.local.servers.S3Faults}) so retry paths meet a real server, never a mock.
 */
package io.photopipe.local.servers;
