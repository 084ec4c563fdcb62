package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsConfigTest {
    @TempDir
    Path home;

    private StewardConfig load(String yaml) throws Exception {
        Files.writeString(home.resolve("steward.yaml"), yaml);
        return new ConfigLoader(Map.of("STEWARD_HOME", home.toString(), "MAIL_PW", "pw")).load();
    }

    @Test
    void portsDefaultBySecurityAndFromDefaultsToTheUser() throws Exception {
        ConnectionsConfig c = load("""
                connections:
                  email:
                    smtp: { host: smtp.example.com, security: starttls }
                    imap: { host: imap.example.com }
                    user: me@example.com
                    password: ${MAIL_PW}
                """).connections();
        assertThat(c.email().smtp().portOr(25, 587, 465)).isEqualTo(587);
        assertThat(c.email().imap().security()).isEqualTo(ConnectionsConfig.Security.TLS);
        assertThat(c.email().imap().portOr(143, 143, 993)).isEqualTo(993);
        assertThat(c.email().from()).isEqualTo("me@example.com");
        assertThat(c.email().password()).isEqualTo("pw");
        assertThat(c.names()).containsExactly("email");
    }

    @Test
    void theEmailNotificationChannelNamesOnlyTheAddressTheServerIsTheMailConnections() throws Exception {
        StewardConfig config = load("""
                connections:
                  email:
                    smtp: { host: smtp.example.com, security: starttls }
                    user: me@example.com
                automation:
                  email: { to: owner@example.org, subject_prefix: "[home]" }
                """);
        assertThat(config.automation().settings().email())
                .isEqualTo(new AutomationConfig.EmailChannel("owner@example.org", "[home]"));
        assertThat(load("automation:\n  email: {}\n").automation().settings().email().subjectPrefix())
                .isEqualTo("[Steward]");
    }

    @Test
    void mistakesNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> load("connections:\n  calendar:\n    url: dav.example.com/me\n"))
                .hasMessageContaining("steward.yaml:3").hasMessageContaining("connections.calendar.url")
                .hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> load("connections:\n  payments:\n    kind: stripe\n"))
                .hasMessageContaining("connections.payments.api_key").hasMessageContaining("steward secrets set STRIPE_KEY");
        assertThatThrownBy(() -> load("connections:\n  email:\n    smtp: { host: x, security: ssl }\n    user: u\n"))
                .hasMessageContaining("use one of: none, starttls, tls");
    }
}
