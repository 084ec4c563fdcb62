package dev.steward.integrations.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.ConnectionsConfig.Security;
import dev.steward.config.ConnectionsConfig.Server;
import dev.steward.config.DatabaseConfig;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.store.Database;
import dev.steward.support.Json;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mail tools through the gate against GreenMail, a real SMTP and IMAP server, on loopback. */
class EmailToolsTest {
    private static final ToolContext ME = new ToolContext("local", null);
    static GreenMail mail;
    static ConnectionsConfig.Email config;
    static ActionGate gate;

    @BeforeAll
    static void start(@TempDir Path home) throws Exception {
        mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mail.start();
        mail.setUser("me@example.com", "me@example.com", "s3cret");
        config = connection("s3cret", Security.NONE, mail.getImap().getPort());
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        Files.writeString(workspace.resolve("quote.txt"), "Quote: 3 days at 800 EUR");
        gate = new ActionGate(new Tools(EmailTools.create(config, new WorkspacePaths(workspace))),
                ActionsConfig.defaults(), Database.open(home, DatabaseConfig.embedded()), Clock.systemUTC());
        GreenMailUtil.sendTextEmail("me@example.com", "ann@example.org", "Invoice for March",
                "Hello, please pay invoice 2026-03 by Friday.", mail.getSmtp().getServerSetup());
        GreenMailUtil.sendTextEmail("me@example.com", "bob@example.org", "Lunch?", "Thursday at noon?",
                mail.getSmtp().getServerSetup());
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    private static ConnectionsConfig.Email connection(String password, Security imapSecurity, int imapPort) {
        return new ConnectionsConfig.Email(new Server("127.0.0.1", mail.getSmtp().getPort(), Security.NONE),
                new Server("127.0.0.1", imapPort, imapSecurity), "me@example.com", password, "me@example.com");
    }

    @Test
    void mailIsFoundBySubjectAndSenderAndReadInFull() {
        ActionGate.Outcome found = gate.call("email.search", Json.parse("{\"query\": \"invoice\"}"), ME);
        assertThat(found.ok()).as("%s", found.message()).isTrue();
        JsonNode hits = found.asJson().path("messages");
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).path("subject").asText()).isEqualTo("Invoice for March");
        assertThat(hits.get(0).path("unread").asBoolean()).isTrue();

        JsonNode fromBob = gate.call("email.search", Json.parse("{\"from\": \"bob@example.org\"}"), ME).asJson();
        assertThat(fromBob.path("messages")).singleElement()
                .satisfies(m -> assertThat(m.path("subject").asText()).isEqualTo("Lunch?"));

        ActionGate.Outcome read = gate.call("email.read",
                Json.object().put("id", hits.get(0).path("id").asText()), ME);
        assertThat(read.ok()).as("%s", read.message()).isTrue();
        assertThat(read.asJson().path("text").asText()).contains("please pay invoice 2026-03 by Friday");
        assertThat(read.asJson().path("from").asText()).contains("ann@example.org");
    }

    @Test
    void mailIsSentOnlyAfterApprovalAndTheApprovalShowsTheWholeMessage() throws Exception {
        JsonNode message = Json.parse("""
                {"to": "carol@example.net", "cc": ["dave@example.net"], "subject": "Your quote",
                 "body": "Hi Carol,\\nthe quote is attached.\\nBest, Me", "attachments": ["quote.txt"]}""");
        ActionGate.Outcome asked = gate.call("email.send", message, ME);

        assertThat(asked).isInstanceOf(ActionGate.NeedsApproval.class);
        assertThat(toCarol()).isEmpty();
        assertThat(gate.approval(asked.approvalId()).orElseThrow().reason()).contains("From: me@example.com",
                "To: carol@example.net", "Cc: dave@example.net", "Subject: Your quote", "Attachments: quote.txt",
                "Hi Carol,\nthe quote is attached.\nBest, Me", "sending mail in your name");

        ActionGate.Outcome sent = gate.approve(asked.approvalId(), "local", null);

        assertThat(sent.ok()).as("%s", sent.message()).isTrue();
        assertThat(mail.waitForIncomingEmail(10_000, 4)).isTrue();
        MimeMessage received = toCarol().getFirst();
        assertThat(received.getSubject()).isEqualTo("Your quote");
        assertThat(GreenMailUtil.getBody(received)).contains("the quote is attached", "Quote: 3 days at 800 EUR");
    }

    @Test
    void aDraftIsSavedInDraftsAndNotSent() throws Exception {
        ActionGate.Outcome drafted = gate.call("email.draft",
                Json.parse("{\"to\": \"erin@example.net\", \"subject\": \"Draft only\", \"body\": \"not yet\"}"), ME);
        assertThat(drafted.ok()).as("%s", drafted.message()).isTrue();
        JsonNode drafts = gate.call("email.search", Json.parse("{\"folder\": \"Drafts\"}"), ME).asJson();
        assertThat(drafts.path("messages")).anySatisfy(m -> assertThat(m.path("subject").asText()).isEqualTo("Draft only"));
        assertThat(mail.getUserManager().getUserByEmail("erin@example.net"))
                .as("nothing was delivered to erin, so GreenMail made no mailbox for her").isNull();
    }

    @Test
    void aWrongPasswordATlsMismatchAndAServerThatIsDownAreNamedWithTheFix() throws IOException {
        assertThat(EmailTools.test(config)).contains("logged in as me@example.com");
        assertThatThrownBy(() -> EmailTools.test(connection("wrong", Security.NONE, mail.getImap().getPort())))
                .hasMessageContaining("refused the login of me@example.com")
                .hasMessageContaining("steward secrets set MAIL_PASSWORD");
        assertThatThrownBy(() -> EmailTools.test(connection("s3cret", Security.TLS, mail.getImap().getPort())))
                .hasMessageContaining("email: TLS failed with imap 127.0.0.1:" + mail.getImap().getPort())
                .hasMessageContaining("security: tls for an implicit-TLS port");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> EmailTools.test(connection("s3cret", Security.NONE, closed)))
                .hasMessageContaining("cannot connect to imap 127.0.0.1:" + closed)
                .hasMessageContaining("is the server up");
    }

    private static List<MimeMessage> toCarol() {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> recipients(m).contains("carol@example.net")).toList();
    }

    private static String recipients(MimeMessage m) {
        try {
            return String.valueOf(Arrays.toString(m.getRecipients(Message.RecipientType.TO)));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
