package dev.steward.schedule;

/** What became of a webhook delivery: a started task, or why not (each maps to one HTTP status). */
public sealed interface HookDelivery {
    /** 202: the task is queued. */
    record Accepted(String taskId) implements HookDelivery {}

    /** A refusal: {@code status} is the HTTP status, {@code code} the error code, then message and fix. */
    record Refused(int status, String code, String message, String hint) implements HookDelivery {}

    static Refused unknown(String name) {
        return new Refused(404, "not_found", "no webhook named '" + name + "'", "create it with 'steward hooks add "
                + name + " --task \"…\"'");
    }

    static Refused badSignature(String why) {
        return new Refused(401, "bad_signature", why, "sign the raw body with HMAC-SHA256 and the hook's secret and"
                + " send it as 'X-Steward-Signature: sha256=HEX' (or GitHub's X-Hub-Signature-256)");
    }
}
