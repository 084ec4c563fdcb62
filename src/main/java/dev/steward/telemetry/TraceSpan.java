package dev.steward.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * One span in progress, current on the thread that opened it until {@link #close()}, which ends it; use it in a
 * try-with-resources on that thread. With tracing off every span is {@link #OFF}: its methods do nothing.
 */
public final class TraceSpan implements AutoCloseable {
    /** The span of a process that does not trace. */
    static final TraceSpan OFF = new TraceSpan(null, null);

    private final Span span;
    private final Scope scope;

    private TraceSpan(Span span, Scope scope) {
        this.span = span;
        this.scope = scope;
    }

    static TraceSpan current(Span span) {
        return new TraceSpan(span, span.makeCurrent());
    }

    public TraceSpan set(String key, String value) {
        if (span != null && value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public TraceSpan set(String key, long value) {
        if (span != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public TraceSpan set(String key, double value) {
        if (span != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    /** A better name, once the work knows what it was (a request's route is known only after routing). */
    TraceSpan rename(String name) {
        if (span != null) {
            span.updateName(name);
        }
        return this;
    }

    /** What a model call used: the model that answered, its tokens, and what it cost (in millionths of a dollar). */
    public TraceSpan usage(String responseModel, long inputTokens, long outputTokens, long costMicros) {
        if (span != null) {
            set(Tracing.RESPONSE_MODEL, responseModel);
            span.setAttribute(Tracing.INPUT_TOKENS, inputTokens);
            span.setAttribute(Tracing.OUTPUT_TOKENS, outputTokens);
            span.setAttribute(Tracing.COST, costMicros / 1_000_000.0);
        }
        return this;
    }

    /** How the work ended, as Steward records it (ok, failed, denied…): an attribute, not an error by itself. */
    public TraceSpan outcome(String outcome) {
        return set(Tracing.OUTCOME, outcome);
    }

    /** The work failed: the span's status is an error, with the reason and its type. */
    public TraceSpan fail(String errorType, String message) {
        if (span != null) {
            span.setAttribute(Tracing.ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, message == null ? "" : message);
        }
        return this;
    }

    @Override
    public void close() {
        if (span != null) {
            scope.close();
            span.end();
        }
    }
}
