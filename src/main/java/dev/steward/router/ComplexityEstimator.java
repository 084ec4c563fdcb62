package dev.steward.router;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Scores how demanding a request is, 0 (trivial) to 1 (critical), from signals that cost nothing to read: length,
 * the kind of work asked for, the caller's role, earlier failures, and an explicit hint which wins over the rest.
 */
final class ComplexityEstimator {
    private static final Pattern DEMANDING = Pattern.compile(
            "\\b(analy[sz]e|architecture|design|plan|strategy|prove|refactor|debug|optimi[sz]e|compare|contract"
                    + "|legal|financial|forecast|research|review|step by step|trade-?offs?)\\b");

    record Estimate(double score, String reason) {}

    Estimate estimate(ChatRequest request, CallContext context) {
        if (context.complexity() != null) {
            return new Estimate(context.complexity().score(), "caller says " + context.complexity().id());
        }
        StringBuilder reason = new StringBuilder();
        double score = 0;
        long tokens = Usage.estimateTokens(request.lastUserText());
        double length = Math.min(0.4, tokens / 2000.0);
        if (length >= 0.1) {
            reason.append("long request (").append(tokens).append(" tokens); ");
        }
        score += length;
        long demanding = DEMANDING.matcher(request.lastUserText().toLowerCase(Locale.ROOT)).results().count();
        if (demanding > 0) {
            score += Math.min(0.6, 0.2 * demanding);
            reason.append("demanding kind of work; ");
        }
        if (request.tools().size() > 3) {
            score += 0.1;
            reason.append("many tools; ");
        }
        if (request.messages().size() > 12) {
            score += 0.1;
            reason.append("long conversation; ");
        }
        if (context.role() != null && (context.role().equals("manager") || context.role().equals("supervisor"))) {
            score += 0.5;
            reason.append(context.role()).append(" role; ");
        }
        if (context.previousFailures() > 0) {
            score += 0.2 * context.previousFailures();
            reason.append(context.previousFailures()).append(" earlier failure(s); ");
        }
        score = Math.min(1.0, score);
        String why = reason.isEmpty() ? "short, plain request" : reason.substring(0, reason.length() - 2);
        return new Estimate(score, why);
    }
}
