package dev.steward.agent;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A first, rule-based reading of what a message asks for. Good enough to label tasks while every run is a simple
 * one; the agent-runtime issue replaces it with a learned classifier.
 */
final class IntentClassifier {
    private static final Pattern MEMORY = Pattern.compile(
            "^(remember|forget|what do you know about|show me my data|clear my data)\\b.*");
    private static final Pattern CONVERSATION = Pattern.compile(
            "^(hello|hi|hey|hiya|good (morning|afternoon|evening)|thanks|thank you|bye|goodbye|how are you)\\b.*");
    private static final Pattern QUESTION = Pattern.compile(
            "^(what|who|when|where|why|how|which|is|are|do|does|can|could|should|would|will)\\b.*|.*\\?$");
    private static final Pattern COMPLEX = Pattern.compile(
            ".*\\b(plan|research|analy[sz]e|build|migrate|campaign|report|project|step by step)\\b.*");

    Intent classify(String text) {
        String said = text.toLowerCase(Locale.ROOT).strip();
        if (MEMORY.matcher(said).matches()) {
            return Intent.MEMORY;
        }
        if (CONVERSATION.matcher(said).matches() && said.split("\\s+").length <= 5) {
            return Intent.CONVERSATION;
        }
        if (QUESTION.matcher(said).matches()) {
            return Intent.QUESTION;
        }
        if (COMPLEX.matcher(said).matches() && said.split("\\s+").length > 6) {
            return Intent.COMPLEX_TASK;
        }
        return Intent.SIMPLE_ACTION;
    }
}
