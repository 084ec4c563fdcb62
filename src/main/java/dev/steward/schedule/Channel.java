package dev.steward.schedule;

import dev.steward.config.AutomationConfig;
import dev.steward.integrations.email.Mailer;
import dev.steward.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An outbound notification channel the user configured. */
sealed interface Channel {
    String name();

    /** Delivers one notification, or throws with a message that says what went wrong. */
    void send(Notification notification) throws IOException, InterruptedException;

    /**
     * A generic JSON webhook: POST {@code {"topic","title","message","kind"}} to the URL, which is what ntfy's JSON
     * publishing takes; any 2xx is delivered.
     */
    record Webhook(AutomationConfig.WebhookChannel config, HttpClient http) implements Channel {
        static final Duration TIMEOUT = Duration.ofSeconds(10);

        @Override
        public String name() {
            return "webhook";
        }

        @Override
        public void send(Notification n) throws IOException, InterruptedException {
            var body = Json.object().put("topic", config.topic() == null ? "steward" : config.topic())
                    .put("title", n.title()).put("message", n.body() == null ? n.title() : n.body())
                    .put("kind", n.kind()).put("id", n.id());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
            config.headers().forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode() + " from " + config.url());
            }
        }
    }

    /**
     * E-mail over the mail connection (connections.email): the title as the subject, the body as plain text, to the
     * configured address.
     */
    record Email(String to, String subjectPrefix, Mailer mailer) implements Channel {
        @Override
        public String name() {
            return "email";
        }

        @Override
        public void send(Notification n) {
            String text = (n.body() == null || n.body().isBlank() ? n.title() : n.body())
                    + "\n\n-- \nSteward (" + n.kind() + " notification " + n.id() + ")\n";
            mailer.send(to, (subjectPrefix.isBlank() ? "" : subjectPrefix + " ") + n.title(), text);
        }
    }
}
