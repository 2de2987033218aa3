/**
 * Pure models with no I/O: the projected AWS bill of a run ({@link io.photopipe.loadtest.model.CostModel}) and the
 * SQS event source mapping's scaling ({@link io.photopipe.loadtest.model.ScalingModel}).
 */
package io.photopipe.loadtest.model;
