package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.config.secrets.Totp;
import dev.steward.integrations.payments.FakeStripe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A payment above second_factor_above as a user makes it: separate processes, a Stripe-wire fake on loopback. */
class IntegrationsCliTest {
    private static final String KEY = "sk_test_cli_4242";

    @TempDir
    Path home;

    @Test
    void a150DollarLinkIsCreatedOnlyWithTheApproversOneTimeCode() throws Exception {
        try (FakeStripe stripe = new FakeStripe(KEY)) {
            StewardProcess steward = StewardProcess.in(home);
            Result setup = steward.run("totp", "setup");
            assertThat(setup.exit()).as("%s", setup).isZero();
            Matcher secret = Pattern.compile("otpauth://totp/Steward:local\\?secret=([A-Z2-7]+)&").matcher(setup.out());
            assertThat(secret.find()).as("%s", setup).isTrue();
            assertThat(steward.startWithInput(KEY, "secrets", "set", "STRIPE_KEY").finish().exit()).isZero();
            Files.writeString(home.resolve("steward.yaml"), """
                    connections:
                      payments:
                        base_url: %s
                        api_key: ${secret:STRIPE_KEY}
                        second_factor_above: 100.00
                    """.formatted(stripe.baseUrl()));

            Result connected = steward.run("connect", "test", "payments");
            assertThat(connected.exit()).as("%s", connected).isZero();
            assertThat(connected.out()).contains("accepted the key");

            Result asked = steward.run("tools", "call", "payments.create_payment_link",
                    "{\"amount\": 150, \"currency\": \"USD\", \"description\": \"Workshop\"}");
            assertThat(asked.exit()).as("%s", asked).isEqualTo(Main.NEEDS_APPROVAL);
            Matcher id = Pattern.compile("Approval needed: (\\w+)").matcher(asked.out());
            assertThat(id.find()).as("%s", asked).isTrue();

            Result withoutCode = steward.run("approvals", "approve", id.group(1));
            assertThat(withoutCode.exit()).as("%s", withoutCode).isEqualTo(Main.TASK_FAILED);
            assertThat(withoutCode.err()).contains("needs a one-time code", "--code");
            assertThat(stripe.created("payment_link")).isZero();

            String code = Totp.code(secret.group(1), System.currentTimeMillis() / 1000);
            Result approved = steward.run("approvals", "approve", id.group(1), "--code", code);
            assertThat(approved.exit()).as("%s", approved).isZero();
            assertThat(stripe.created("payment_link")).isEqualTo(1);
            assertThat(stripe.requests().getLast().form()).containsEntry("line_items[0][price_data][unit_amount]", "15000");
        }
    }
}
