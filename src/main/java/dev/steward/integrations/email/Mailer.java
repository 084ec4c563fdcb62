package dev.steward.integrations.email;

import dev.steward.actions.ToolException;
import dev.steward.config.ConnectionsConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * Plain-text mail that Steward writes itself (notifications, the briefing) from the configured account, over the same
 * SMTP connection as {@code email.send}. Not a tool: what it sends is Steward's own words to its owner, not the
 * model's, so it needs no approval.
 */
public final class Mailer {
    private final MailConnection mail;

    public Mailer(ConnectionsConfig.Email config) {
        if (config == null || config.smtp() == null) {
            throw new IllegalArgumentException("email: no smtp server is configured — add connections.email.smtp to"
                    + " steward.yaml (see docs/integrations.md)");
        }
        this.mail = new MailConnection(config);
    }

    /** The account's own address, where mail goes when nobody else is named. */
    public String account() {
        return mail.config().from();
    }

    /**
     * Sends one message; throws a ToolException naming the server and the fix when it cannot (login refused, server
     * down, TLS mismatch) or when {@code to} is not an address.
     */
    public void send(String to, String subject, String text) {
        try {
            MimeMessage message = new MimeMessage(mail.session());
            message.setFrom(new InternetAddress(account(), true));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setText(text, StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            mail.send(message);
        } catch (AddressException e) {
            throw new ToolException("email: '" + e.getRef() + "' is not a mail address (" + e.getMessage()
                    + ") — check the address in steward.yaml");
        } catch (MessagingException e) {
            throw new ToolException("email: cannot compose the message to " + to + ": " + e.getMessage());
        }
    }
}
