/**
 * The request pipeline: a chain of small Undertow handlers, one concern each, assembled by
 * {@link dev.tollway.edge.pipeline.Pipeline#build}; per-request state lives in the attachment keys of
 * {@link dev.tollway.edge.pipeline.Attachments}, and {@link dev.tollway.edge.pipeline.ErrorResponder} is the
 * one place that turns a failure into a status and an error body.
 */
@NullMarked
package dev.tollway.edge.pipeline;

import org.jspecify.annotations.NullMarked;
