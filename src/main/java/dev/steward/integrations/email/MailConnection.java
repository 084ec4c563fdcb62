package dev.steward.integrations.email;

import dev.steward.actions.ToolException;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.ConnectionsConfig.Security;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.Message;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * The mail connection: sessions for IMAP and SMTP with the configured security, and every failure turned into a
 * ToolException that names the connection and the fix (wrong password, TLS mismatch, server down).
 */
final class MailConnection {
    private static final String TIMEOUT_MILLIS = "15000";
    private final ConnectionsConfig.Email config;

    MailConnection(ConnectionsConfig.Email config) {
        this.config = config;
    }

    ConnectionsConfig.Email config() {
        return config;
    }

    /** Opens the IMAP store, logged in. */
    Store imap() {
        ConnectionsConfig.Server server = require(config.imap(), "imap");
        String protocol = server.security() == Security.TLS ? "imaps" : "imap";
        Session session = Session.getInstance(properties(protocol, server));
        try {
            Store store = session.getStore(protocol);
            store.connect(server.host(), server.portOr(143, 143, 993), config.user(), config.password());
            return store;
        } catch (MessagingException e) {
            throw failure("imap", server, server.portOr(143, 143, 993), e);
        }
    }

    /** Sends a message over SMTP, logged in when a password is configured. */
    void send(Message message) {
        ConnectionsConfig.Server server = require(config.smtp(), "smtp");
        try (Transport transport = session(server).getTransport(server.security() == Security.TLS ? "smtps" : "smtp")) {
            transport.connect(server.host(), server.portOr(25, 587, 465), config.user(), config.password());
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw failure("smtp", server, server.portOr(25, 587, 465), e);
        }
    }

    /** Logs in to SMTP and out again, sending nothing. */
    void checkSmtp() {
        ConnectionsConfig.Server server = require(config.smtp(), "smtp");
        try (Transport transport = session(server).getTransport(server.security() == Security.TLS ? "smtps" : "smtp")) {
            transport.connect(server.host(), server.portOr(25, 587, 465), config.user(), config.password());
        } catch (MessagingException e) {
            throw failure("smtp", server, server.portOr(25, 587, 465), e);
        }
    }

    /** A session for composing messages (and sending them). */
    Session session() {
        return config.smtp() == null ? Session.getInstance(new Properties()) : session(config.smtp());
    }

    private Session session(ConnectionsConfig.Server server) {
        return Session.getInstance(properties(server.security() == Security.TLS ? "smtps" : "smtp", server));
    }

    private Properties properties(String protocol, ConnectionsConfig.Server server) {
        Properties props = new Properties();
        String p = "mail." + protocol + ".";
        props.put(p + "connectiontimeout", TIMEOUT_MILLIS);
        props.put(p + "timeout", TIMEOUT_MILLIS);
        props.put(p + "writetimeout", TIMEOUT_MILLIS);
        if (protocol.startsWith("smtp")) {
            props.put(p + "auth", String.valueOf(config.password() != null && !config.password().isEmpty()));
        }
        if (server.security() == Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (server.security() != Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    private static ConnectionsConfig.Server require(ConnectionsConfig.Server server, String which) {
        if (server == null) {
            throw new ToolException("email: no " + which + " server is configured — add connections.email." + which
                    + " to steward.yaml (see docs/integrations.md)");
        }
        return server;
    }

    /** What went wrong, in words, with the fix. */
    private ToolException failure(String which, ConnectionsConfig.Server server, int port, MessagingException e) {
        String where = which + " " + server.host() + ":" + port + " (security: " + server.security().id() + ")";
        Throwable cause = rootCause(e);
        if (e instanceof AuthenticationFailedException || String.valueOf(e.getMessage()).matches("(?s).*\\b535\\b.*")) {
            return new ToolException("email: " + where + " refused the login of " + config.user()
                    + " — check connections.email.user and password (store it with 'steward secrets set MAIL_PASSWORD')");
        }
        if (cause instanceof SSLException) {
            return new ToolException("email: TLS failed with " + where + " (" + cause.getMessage() + ") — the port and "
                    + "security do not match: use security: tls for an implicit-TLS port (465, 993), starttls for 587/143, "
                    + "none only for a plain local server");
        }
        if (cause instanceof ConnectException) {
            return new ToolException("email: cannot connect to " + where + " (connection refused) — is the server up, "
                    + "and are connections.email." + which + ".host and port right?");
        }
        if (cause instanceof UnknownHostException) {
            return new ToolException("email: unknown host " + server.host() + " — check connections.email." + which + ".host");
        }
        if (cause instanceof SocketTimeoutException) {
            return new ToolException("email: " + where + " did not answer in time — check the port, the security "
                    + "(a TLS port waits silently for a plain client) and the firewall");
        }
        if (String.valueOf(e.getMessage()).contains("STARTTLS")) {
            return new ToolException("email: " + where + " does not offer STARTTLS — use security: tls if the port is "
                    + "implicit TLS, or none for a plain local server");
        }
        return new ToolException("email: " + where + " failed: " + e.getMessage()
                + " — check connections.email in steward.yaml");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
