package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outside services the integration tools talk to, each by its name (email, calendar, payments). Passwords and keys
 * are written {@code ${VAR}} or {@code ${secret:NAME}}; the loader has resolved them by the time this exists.
 */
public record ConnectionsConfig(Email email, Calendar calendar, Payments payments) {
    public static ConnectionsConfig defaults() {
        return new ConnectionsConfig(null, null, null);
    }

    /** How a mail connection is protected: none (plain), starttls (upgrade after connecting), tls (from the start). */
    public enum Security {
        NONE, STARTTLS, TLS;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One mail server; the port defaults by protocol and security (SMTP 25/587/465, IMAP 143/143/993). */
    public record Server(String host, Integer port, Security security) {
        public Server {
            security = security == null ? Security.TLS : security;
        }

        public int portOr(int plain, int starttls, int tls) {
            return port != null ? port : switch (security) {
                case NONE -> plain;
                case STARTTLS -> starttls;
                case TLS -> tls;
            };
        }
    }

    /** Mail: SMTP sends, IMAP searches and reads; {@code from} defaults to the user. */
    public record Email(Server smtp, Server imap, String user, String password, String from) {
        public Email {
            from = from == null ? user : from;
        }
    }

    /** A CalDAV calendar collection (its URL ends with a slash) and the account that may use it. */
    public record Calendar(String url, String user, String password) {
        public Calendar {
            url = url == null ? null : url.endsWith("/") ? url : url + "/";
        }
    }

    /**
     * A payment provider speaking Stripe's API. {@code secondFactorAbove}: payments above this amount (in the
     * currency's units) need the approver's one-time code too; null means never.
     */
    public record Payments(String kind, String baseUrl, String apiKey, BigDecimal secondFactorAbove) {
        public Payments {
            kind = kind == null ? "stripe" : kind.strip().toLowerCase(Locale.ROOT);
            baseUrl = baseUrl == null ? "https://api.stripe.com" : baseUrl.strip().replaceAll("/+$", "");
        }
    }

    /** The names of the configured connections, in the order {@code steward connect test} lists them. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (email != null) {
            names.add("email");
        }
        if (calendar != null) {
            names.add("calendar");
        }
        if (payments != null) {
            names.add("payments");
        }
        return names;
    }

    /** What mapping cannot check: required keys and URLs, each a ConfigException at its line with the fix. */
    ConnectionsConfig checked(ConfigText source) {
        if (email != null) {
            if (email.smtp() == null && email.imap() == null) {
                throw fail(source, "/connections/email", "connections.email", "names neither an smtp nor an imap server",
                        "add 'smtp: { host: smtp.example.com, port: 587, security: starttls }' and/or an imap line");
            }
            requireHost(source, email.smtp(), "smtp");
            requireHost(source, email.imap(), "imap");
            if (email.user() == null || email.user().isBlank()) {
                throw fail(source, "/connections/email", "connections.email.user", "the mail account is missing",
                        "add 'user: me@example.com' (and 'password: ${secret:MAIL_PASSWORD}')");
            }
        }
        if (calendar != null && (calendar.url() == null || !calendar.url().matches("https?://.+"))) {
            throw fail(source, "/connections/calendar/url", "connections.calendar.url",
                    calendar.url() == null ? "the calendar URL is missing" : "'" + calendar.url() + "' is not an http(s) URL",
                    "write the CalDAV collection's URL, like https://dav.example.com/me/work/");
        }
        if (payments != null) {
            if (!payments.kind().equals("stripe")) {
                throw fail(source, "/connections/payments/kind", "connections.payments.kind",
                        "'" + payments.kind() + "' is not a payment provider Steward speaks", "use kind: stripe");
            }
            if (!payments.baseUrl().matches("https?://.+")) {
                throw fail(source, "/connections/payments/base_url", "connections.payments.base_url",
                        "'" + payments.baseUrl() + "' is not an http(s) URL", "leave it out for https://api.stripe.com");
            }
            if (payments.apiKey() == null || payments.apiKey().isBlank()) {
                throw fail(source, "/connections/payments", "connections.payments.api_key", "the API key is missing",
                        "store it with 'steward secrets set STRIPE_KEY' and write 'api_key: ${secret:STRIPE_KEY}'");
            }
            if (payments.secondFactorAbove() != null && payments.secondFactorAbove().signum() < 0) {
                throw fail(source, "/connections/payments/second_factor_above", "connections.payments.second_factor_above",
                        "must not be negative", "write an amount such as 100.00, or 0 to ask for a code on every payment");
            }
        }
        return this;
    }

    private static void requireHost(ConfigText source, Server server, String which) {
        if (server != null && (server.host() == null || server.host().isBlank())) {
            throw fail(source, "/connections/email/" + which, "connections.email." + which + ".host",
                    "the " + which + " server has no host", "write it like { host: " + which + ".example.com }");
        }
    }

    private static ConfigException fail(ConfigText source, String pointer, String key, String problem, String fix) {
        int line = source.lineOf(pointer);
        return ConfigException.inFile(source.file(), line > 0 ? line : source.lineOf("/connections"), key, problem, fix);
    }
}
