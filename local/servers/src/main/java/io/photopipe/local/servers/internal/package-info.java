/**
 * How the servers are put together (the fault proxy, ElasticMQ start-up, the fault spec parser). Not API: use the
 * classes of {@code io.photopipe.local.servers}.
 */
package io.photopipe.local.servers.internal;
