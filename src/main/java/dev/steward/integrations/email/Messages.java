package dev.steward.integrations.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ToolException;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.support.Json;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.jsoup.Jsoup;

/** Messages as the tools show them (summary, full text) and as they compose them (with workspace attachments). */
final class Messages {
    private static final int MAX_TEXT = 100_000;
    private final MailConnection mail;
    private final WorkspacePaths workspace;

    Messages(MailConnection mail, WorkspacePaths workspace) {
        this.mail = mail;
        this.workspace = workspace;
    }

    ObjectNode summary(String folder, long uid, Message m) throws MessagingException {
        return Json.object().put("id", new MessageId(folder, uid).toString()).put("from", addresses(m.getFrom()))
                .put("subject", m.getSubject()).put("date", date(m))
                .put("unread", !m.isSet(Flags.Flag.SEEN));
    }

    ObjectNode full(MessageId id, Message m) throws MessagingException {
        ObjectNode result = summary(id.folder(), id.uid(), m)
                .put("to", addresses(m.getRecipients(Message.RecipientType.TO)))
                .put("cc", addresses(m.getRecipients(Message.RecipientType.CC)));
        List<String> attachments = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try {
            collect(m, text, attachments);
        } catch (IOException e) {
            throw new ToolException("email: cannot read the content of " + id + ": " + e.getMessage());
        }
        String body = text.toString().strip();
        result.put("text", body.length() > MAX_TEXT ? body.substring(0, MAX_TEXT) + "\n[cut]" : body);
        ArrayNode names = result.putArray("attachments");
        attachments.forEach(names::add);
        return result;
    }

    /** The plain text of a message (HTML made text when there is no plain part) and its attachments' names. */
    private static void collect(Part part, StringBuilder text, List<String> attachments)
            throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
            attachments.add(part.getFileName() == null ? "(unnamed)" : part.getFileName());
        } else if (part.isMimeType("text/plain")) {
            text.append(part.getContent()).append('\n');
        } else if (part.isMimeType("text/html")) {
            text.append(Jsoup.parse(String.valueOf(part.getContent())).wholeText()).append('\n');
        } else if (part.isMimeType("multipart/alternative")) {
            Multipart parts = (Multipart) part.getContent();
            Part chosen = parts.getBodyPart(0);
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    chosen = parts.getBodyPart(i);
                }
            }
            collect(chosen, text, attachments);
        } else if (part.isMimeType("multipart/*")) {
            Multipart parts = (Multipart) part.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                collect(parts.getBodyPart(i), text, attachments);
            }
        }
    }

    /** A message from the tool's arguments; {@code needRecipients} for one that is sent rather than drafted. */
    MimeMessage compose(JsonNode args, boolean needRecipients) {
        List<String> to = Args.list(args, "to");
        if (needRecipients && to.isEmpty()) {
            throw new ToolException("email: 'to' names no address");
        }
        try {
            MimeMessage message = new MimeMessage(mail.session());
            message.setFrom(new InternetAddress(mail.config().from(), true));
            message.setRecipients(Message.RecipientType.TO, parse(to));
            message.setRecipients(Message.RecipientType.CC, parse(Args.list(args, "cc")));
            message.setSubject(Args.optional(args, "subject"), "UTF-8");
            message.setSentDate(new Date());
            List<String> files = Args.list(args, "attachments");
            if (files.isEmpty()) {
                message.setText(Args.optional(args, "body"), "UTF-8");
            } else {
                MimeMultipart parts = new MimeMultipart();
                MimeBodyPart body = new MimeBodyPart();
                body.setText(Args.optional(args, "body"), "UTF-8");
                parts.addBodyPart(body);
                for (String file : files) {
                    Path path = workspace.resolve(file);
                    if (!Files.isRegularFile(path)) {
                        throw new ToolException("email: no file '" + file + "' in the workspace to attach");
                    }
                    MimeBodyPart attachment = new MimeBodyPart();
                    attachment.attachFile(path.toFile());
                    parts.addBodyPart(attachment);
                }
                message.setContent(parts);
            }
            message.saveChanges();
            return message;
        } catch (AddressException e) {
            throw new ToolException("email: '" + e.getRef() + "' is not a valid address (" + e.getMessage() + ")");
        } catch (MessagingException | IOException e) {
            throw new ToolException("email: cannot compose the message: " + e.getMessage());
        }
    }

    /** The whole message as the approval card shows it, before anything is sent. */
    String preview(JsonNode args) {
        StringBuilder text = new StringBuilder("Send this email:\nFrom: ").append(mail.config().from())
                .append("\nTo: ").append(String.join(", ", Args.list(args, "to")));
        List<String> cc = Args.list(args, "cc");
        if (!cc.isEmpty()) {
            text.append("\nCc: ").append(String.join(", ", cc));
        }
        text.append("\nSubject: ").append(Args.optional(args, "subject"));
        List<String> files = Args.list(args, "attachments");
        if (!files.isEmpty()) {
            text.append("\nAttachments: ").append(String.join(", ", files));
        }
        return text.append("\n\n").append(Args.optional(args, "body")).toString();
    }

    private static InternetAddress[] parse(List<String> addresses) throws AddressException {
        List<InternetAddress> parsed = new ArrayList<>();
        for (String address : addresses) {
            parsed.add(new InternetAddress(address, true));
        }
        return parsed.toArray(InternetAddress[]::new);
    }

    private static String addresses(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Address a : addresses) {
            out.add(a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString());
        }
        return String.join(", ", out);
    }

    private static String date(Message m) throws MessagingException {
        Date date = m.getReceivedDate() != null ? m.getReceivedDate() : m.getSentDate();
        return date == null ? null : date.toInstant().toString();
    }
}
