package dev.steward.integrations.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.config.ConnectionsConfig;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.IntegrationTool;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.support.Json;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;

/** email.search, email.read, email.send and email.draft on the configured mail connection. */
public final class EmailTools {
    private static final int MAX_RESULTS = 50;
    private static final String DRAFTS = "Drafts";
    private static final String MESSAGE = "\"to\":{\"type\":[\"string\",\"array\"],\"description\":\"addresses, "
            + "comma-separated or a list\"},\"subject\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},"
            + "\"cc\":{\"type\":[\"string\",\"array\"]},\"attachments\":{\"type\":\"array\",\"items\":{\"type\":"
            + "\"string\"},\"description\":\"files in the workspace\"}";

    private final MailConnection mail;
    private final Messages messages;

    EmailTools(ConnectionsConfig.Email config, WorkspacePaths workspace) {
        this.mail = new MailConnection(config);
        this.messages = new Messages(mail, workspace);
    }

    public static List<Tool> create(ConnectionsConfig.Email config, WorkspacePaths workspace) {
        EmailTools tools = new EmailTools(config, workspace);
        return List.of(
                IntegrationTool.of("email.search", "Search mail (newest first): words in the subject or text, the "
                                + "sender, since a date (YYYY-MM-DD), unread only, in a folder (default INBOX).",
                        "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},\"from\":{\"type\":"
                                + "\"string\"},\"since\":{\"type\":\"string\"},\"unread\":{\"type\":\"boolean\"},"
                                + "\"folder\":{\"type\":\"string\"}}}", Risk.READ, tools::search),
                IntegrationTool.of("email.read", "Read one message by the id email.search gave.",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"minLength\":1}},"
                                + "\"required\":[\"id\"]}", Risk.READ, tools::read),
                IntegrationTool.of("email.send", "Send a message from the configured account.",
                        "{\"type\":\"object\",\"properties\":{" + MESSAGE + "},\"required\":[\"to\",\"subject\",\"body\"]}",
                        Risk.EXTERNAL, tools::send)
                        .withPreview(tools.messages::preview)
                        .withApprovalByDefault("sending mail in your name, which cannot be taken back"),
                IntegrationTool.of("email.draft", "Save a message to the Drafts folder without sending it.",
                        "{\"type\":\"object\",\"properties\":{" + MESSAGE + "},\"required\":[\"subject\",\"body\"]}",
                        Risk.WRITE, tools::draft));
    }

    /** Logs in to IMAP (and SMTP, if configured) as the tools will: for 'steward connect test email'. */
    public static String test(ConnectionsConfig.Email config) {
        MailConnection mail = new MailConnection(config);
        StringBuilder done = new StringBuilder("email: ");
        if (config.imap() != null) {
            try (Store store = mail.imap()) {
                done.append("imap ").append(config.imap().host()).append(" logged in as ").append(config.user())
                        .append(" (INBOX: ").append(store.getFolder("INBOX").getMessageCount()).append(" messages)");
            } catch (MessagingException e) {
                throw new ToolException("email: imap login worked but INBOX cannot be read: " + e.getMessage());
            }
        }
        if (config.smtp() != null) {
            mail.checkSmtp();
            done.append(config.imap() != null ? "; " : "").append("smtp ").append(config.smtp().host()).append(" accepted the login");
        }
        return done.toString();
    }

    private ToolResult search(JsonNode args, ToolContext context) {
        String folderName = Args.optional(args, "folder") == null ? "INBOX" : Args.optional(args, "folder");
        try (Store store = mail.imap()) {
            Folder folder = open(store, folderName, Folder.READ_ONLY);
            Message[] found = folder.search(Searches.term(args));
            ArrayNode list = Json.mapper().createArrayNode();
            for (int i = found.length - 1; i >= 0 && list.size() < MAX_RESULTS; i--) {
                list.add(messages.summary(folderName, ((UIDFolder) folder).getUID(found[i]), found[i]));
            }
            ObjectNode result = Json.object().put("folder", folderName).put("count", found.length);
            result.set("messages", list);
            folder.close(false);
            return ToolResult.ok(result);
        } catch (MessagingException e) {
            throw new ToolException("email: the search in " + folderName + " failed: " + e.getMessage());
        }
    }

    private ToolResult read(JsonNode args, ToolContext context) {
        MessageId id = MessageId.parse(Args.text(args, "id"));
        try (Store store = mail.imap()) {
            Folder folder = open(store, id.folder(), Folder.READ_ONLY);
            Message message = ((UIDFolder) folder).getMessageByUID(id.uid());
            if (message == null) {
                throw new ToolException("email: no message " + id + " (it may have been moved or deleted); search again");
            }
            ObjectNode result = messages.full(id, message);
            folder.close(false);
            return ToolResult.ok(result);
        } catch (MessagingException e) {
            throw new ToolException("email: cannot read " + id + ": " + e.getMessage());
        }
    }

    private ToolResult send(JsonNode args, ToolContext context) {
        MimeMessage message = messages.compose(args, true);
        mail.send(message);
        try {
            return ToolResult.ok(Json.object().put("sent", true).put("message_id", message.getMessageID())
                    .put("to", String.join(", ", Args.list(args, "to"))).put("sent_at", Instant.now().toString()));
        } catch (MessagingException e) {
            return ToolResult.ok(Json.object().put("sent", true));
        }
    }

    private ToolResult draft(JsonNode args, ToolContext context) {
        MimeMessage message = messages.compose(args, false);
        try (Store store = mail.imap()) {
            Folder drafts = store.getFolder(DRAFTS);
            if (!drafts.exists()) {
                drafts.create(Folder.HOLDS_MESSAGES);
            }
            drafts.open(Folder.READ_WRITE);
            message.setFlag(Flags.Flag.DRAFT, true);
            message.saveChanges();
            drafts.appendMessages(new Message[] {message});
            String messageId = message.getMessageID();
            drafts.close(false);
            return ToolResult.ok(Json.object().put("folder", DRAFTS).put("message_id", messageId))
                    .withUndo(Compensation.of("delete the draft " + messageId, () -> deleteDraft(messageId)));
        } catch (MessagingException e) {
            throw new ToolException("email: cannot save the draft in " + DRAFTS + ": " + e.getMessage());
        }
    }

    private void deleteDraft(String messageId) throws MessagingException {
        try (Store store = mail.imap()) {
            Folder drafts = open(store, DRAFTS, Folder.READ_WRITE);
            for (Message m : drafts.search(new jakarta.mail.search.MessageIDTerm(messageId))) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
            drafts.close(true);
        }
    }

    private static Folder open(Store store, String name, int mode) throws MessagingException {
        Folder folder = store.getFolder(name);
        if (!folder.exists()) {
            throw new ToolException("email: there is no folder '" + name + "' (INBOX always exists)");
        }
        folder.open(mode);
        return folder;
    }
}
