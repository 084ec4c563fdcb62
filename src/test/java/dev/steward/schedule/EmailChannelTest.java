package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.steward.config.AutomationConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.ConnectionsConfig.Security;
import dev.steward.config.ConnectionsConfig.Server;
import dev.steward.config.DatabaseConfig;
import dev.steward.support.UsageException;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications by e-mail through the mail connection, against GreenMail (a real SMTP server) on loopback. */
class EmailChannelTest {
    static GreenMail mail;

    @BeforeAll
    static void start() {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        mail.setUser("steward@example.com", "steward@example.com", "s3cret");
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    private static ConnectionsConfig connection(int smtpPort) {
        return new ConnectionsConfig(new ConnectionsConfig.Email(new Server("127.0.0.1", smtpPort, Security.NONE),
                null, "steward@example.com", "s3cret", "steward@example.com"), null, null);
    }

    private static AutomationConfig.Settings emailTo(String to) {
        return new AutomationConfig.Settings(null, 1, null, null, null, new AutomationConfig.EmailChannel(to, null));
    }

    @Test
    void aNotificationArrivesAsMailToTheConfiguredAddressAndIsMarkedSent(@TempDir Path home) throws Exception {
        try (AutomationFixture steward = new AutomationFixture(home, DatabaseConfig.embedded(),
                emailTo("owner@example.org"), connection(mail.getSmtp().getPort()))) {
            Notification sent = steward.automation.notifications().notify("local", "schedule",
                    "Schedule standup: done", "Nothing failed overnight.\nTwo approvals wait.");

            assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
            MimeMessage received = mail.getReceivedMessagesForDomain("example.org")[0];
            assertThat(received.getSubject()).isEqualTo("[Steward] Schedule standup: done");
            assertThat(received.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("owner@example.org");
            assertThat(received.getFrom()[0].toString()).isEqualTo("steward@example.com");
            assertThat(GreenMailUtil.getBody(received)).contains("Nothing failed overnight.").contains("Two approvals wait.");

            Notification after = steward.automation.notifications().find("local", sent.id()).orElseThrow();
            assertThat(after.deliveries()).singleElement().satisfies(d -> {
                assertThat(d.channel()).isEqualTo("email");
                assertThat(d.status()).isEqualTo("sent");
            });
        }
    }

    @Test
    void withNoAddressTheMailGoesToTheAccountItself(@TempDir Path home) throws Exception {
        try (AutomationFixture steward = new AutomationFixture(home, DatabaseConfig.embedded(), emailTo(null),
                connection(mail.getSmtp().getPort()))) {
            steward.automation.notifications().notify("local", "briefing", "Your briefing", "Tasks: 0");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (mail.getReceivedMessagesForDomain("example.com").length == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(mail.getReceivedMessagesForDomain("example.com")).anySatisfy(m ->
                    assertThat(m.getSubject()).isEqualTo("[Steward] Your briefing"));
        }
    }

    @Test
    void aMailServerThatIsDownIsRetriedAndTheInboxShowsWhy(@TempDir Path home) throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        try (AutomationFixture steward = new AutomationFixture(home, DatabaseConfig.embedded(),
                emailTo("owner@example.org"), connection(closed))) {
            Notifications inbox = steward.automation.notifications();
            Notification n = inbox.notify("local", "escalation", "Crew monitoring: failed", "disk 97 % full");

            Notification.Delivery first = inbox.find("local", n.id()).orElseThrow().deliveries().getFirst();
            assertThat(first.status()).isEqualTo("pending");
            assertThat(first.attempts()).isEqualTo(1);
            assertThat(first.lastError()).contains("smtp 127.0.0.1:" + closed).contains("connection refused")
                    .contains("connections.email.smtp.host");
            assertThat(inbox.list("local", 10, false)).extracting(Notification::title)
                    .contains("Crew monitoring: failed");

            for (int i = 1; i < Notifications.MAX_ATTEMPTS; i++) {
                steward.clock.advance(Duration.ofHours(1));
                inbox.deliverDue();
            }
            assertThat(inbox.find("local", n.id()).orElseThrow().deliveries().getFirst().status()).isEqualTo("failed");
        }
    }

    @Test
    void anEmailChannelWithoutAMailConnectionIsAConfigurationErrorNamingTheFix(@TempDir Path home) {
        assertThatThrownBy(() -> new AutomationFixture(home, DatabaseConfig.embedded(), emailTo("a@example.org"),
                null))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("automation.email").hasMessageContaining("connections.email");
    }
}
