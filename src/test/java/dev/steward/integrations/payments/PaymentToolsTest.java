package dev.steward.integrations.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.secrets.Totp;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payments through the gate against a loopback provider speaking Stripe's wire format. */
class PaymentToolsTest {
    private static final String KEY = "sk_test_51Hx9steward";
    private static final String TOTP_SECRET = Totp.newSecret();
    private static final ToolContext ME = new ToolContext("local", null);

    static FakeStripe stripe;
    static ActionGate gate;

    @BeforeAll
    static void start(@TempDir Path home) {
        stripe = new FakeStripe(KEY);
        ConnectionsConfig.Payments config = new ConnectionsConfig.Payments("stripe", stripe.baseUrl(), KEY,
                new BigDecimal("100.00"));
        // Room for every paid call of this class within the minute (the default allows 5).
        ActionsConfig actions = new ActionsConfig(null, null, null, null, new ActionsConfig.RateLimits(100, 100), null,
                null, null, null);
        gate = new ActionGate(new Tools(PaymentTools.create(config)), actions,
                Database.open(home, DatabaseConfig.embedded()), Clock.systemUTC(),
                (user, code) -> user.equals("local") && Totp.verify(TOTP_SECRET, code, System.currentTimeMillis() / 1000));
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    private static JsonNode args(String json) {
        return Json.parse(json);
    }

    private static String code() {
        return Totp.code(TOTP_SECRET, System.currentTimeMillis() / 1000);
    }

    @Test
    void a49DollarLinkIsCreatedOnlyAfterApprovalWithTheAmountInCentsAndAnIdempotencyKey() {
        int before = stripe.requests().size();
        ActionGate.Outcome asked = gate.call("payments.create_payment_link",
                args("{\"amount\": 49, \"currency\": \"USD\", \"description\": \"Consultation\"}"), ME);

        assertThat(asked).isInstanceOf(ActionGate.NeedsApproval.class);
        assertThat(stripe.requests()).hasSize(before);
        assertThat(gate.approval(asked.approvalId()).orElseThrow().reason())
                .startsWith("Create a payment link for 49.00 USD: Consultation").doesNotContain("one-time code");

        ActionGate.Outcome paid = gate.approve(asked.approvalId(), "local", null);

        assertThat(paid.ok()).as("%s", paid.message()).isTrue();
        assertThat(paid.asJson().path("url").asText()).startsWith("https://buy.stripe.com/");
        FakeStripe.Request sent = stripe.requests().getLast();
        assertThat(sent.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(sent.form()).containsEntry("line_items[0][price_data][unit_amount]", "4900")
                .containsEntry("line_items[0][price_data][currency]", "usd");
        assertThat(sent.idempotencyKey()).startsWith("steward-payment_link-");
    }

    @Test
    void a150DollarLinkNeedsAValidOneTimeCodeAndNothingIsSentUntilThen() {
        ActionGate.Outcome asked = gate.call("payments.create_payment_link",
                args("{\"amount\": \"150.00\", \"currency\": \"usd\", \"description\": \"Workshop\"}"), ME);
        assertThat(gate.approval(asked.approvalId()).orElseThrow().reason())
                .contains("150.00 USD", "above connections.payments.second_factor_above (100.00)", "one-time code");
        assertThat(gate.needsCode(gate.approval(asked.approvalId()).orElseThrow())).isTrue();
        long links = stripe.created("payment_link");

        assertThatThrownBy(() -> gate.approve(asked.approvalId(), "local", null))
                .isInstanceOf(ToolException.class).hasMessageContaining("--code").hasMessageContaining("steward totp setup");
        String wrong = code().equals("000000") ? "111111" : "000000";
        assertThatThrownBy(() -> gate.approve(asked.approvalId(), "local", null, wrong))
                .isInstanceOf(ToolException.class).hasMessageContaining("not valid");
        assertThat(stripe.created("payment_link")).isEqualTo(links);
        assertThat(gate.approval(asked.approvalId()).orElseThrow().status()).isEqualTo("pending");

        ActionGate.Outcome paid = gate.approve(asked.approvalId(), "local", null, code());

        assertThat(paid.ok()).as("%s", paid.message()).isTrue();
        assertThat(stripe.created("payment_link")).isEqualTo(links + 1);
        assertThat(stripe.requests().getLast().form()).containsEntry("line_items[0][price_data][unit_amount]", "15000");
    }

    @Test
    void aRetryOfTheSameApprovedCallIsReplayedByTheProviderAndPaysOnce() {
        var tool = gate.tools().find("payments.create_payment_link").orElseThrow();
        JsonNode call = args("{\"amount\": 20, \"currency\": \"EUR\", \"description\": \"Retry me\"}");
        ToolContext approved = ME.underApproval("A1B2C3");
        long links = stripe.created("payment_link");

        JsonNode first = tool.call(call, approved).content();
        JsonNode second = tool.call(call, approved).content();

        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(stripe.created("payment_link")).isEqualTo(links + 1);
        assertThat(tool.call(call, ME.underApproval("D4E5F6")).content().path("id").asText())
                .as("another approval is another payment").isNotEqualTo(first.path("id").asText());
    }

    @Test
    void anInvoiceIsFinalizedAndARefundIsCappedByWhatWasPaidWithTheProvidersReasonAndTheFix() {
        ActionGate.Outcome invoice = gate.approve(gate.call("payments.create_invoice", args(
                "{\"customer_email\": \"ann@example.com\", \"amount\": 80, \"currency\": \"USD\", "
                        + "\"description\": \"March retainer\"}"), ME).approvalId(), "local", null);
        assertThat(invoice.ok()).as("%s", invoice.message()).isTrue();
        assertThat(invoice.asJson().path("status").asText()).isEqualTo("open");

        stripe.paid("pi_123", 4900);
        ActionGate.Outcome refund = gate.approve(gate.call("payments.refund",
                args("{\"payment_id\": \"pi_123\", \"amount\": 19.00, \"currency\": \"usd\"}"), ME).approvalId(), "local", null);
        assertThat(refund.ok()).as("%s", refund.message()).isTrue();
        assertThat(refund.asJson().path("amount_minor_units").asLong()).isEqualTo(1900);

        ActionGate.Outcome tooMuch = gate.approve(gate.call("payments.refund",
                args("{\"payment_id\": \"pi_123\", \"amount\": 40, \"currency\": \"usd\"}"), ME).approvalId(), "local", null);
        assertThat(tooMuch.ok()).isFalse();
        assertThat(tooMuch.message()).contains("payments: the provider refused it (400", "amount_too_large",
                "greater than unrefunded amount");
    }

    @Test
    void badAmountsAndAWrongKeyAreRefusedWithTheFixAndTheKeyIsInNoAuditRow() {
        ActionGate.Outcome cents = gate.call("payments.create_payment_link",
                args("{\"amount\": 9.999, \"currency\": \"USD\", \"description\": \"x\"}"), ME);
        assertThat(cents).as("refused before anyone is asked").isInstanceOf(ActionGate.Refused.class);
        assertThat(cents.message()).contains("9.999 USD has more than 2 decimals");

        ConnectionsConfig.Payments wrongKey = new ConnectionsConfig.Payments("stripe", stripe.baseUrl(), "sk_test_wrong",
                null);
        assertThatThrownBy(() -> PaymentTools.test(wrongKey)).hasMessageContaining("401")
                .hasMessageContaining("connections.payments.api_key");
        assertThat(PaymentTools.test(new ConnectionsConfig.Payments("stripe", stripe.baseUrl(), KEY, null)))
                .contains("accepted the key");
        assertThat(gate.audit().list(new dev.steward.actions.AuditLog.Filter(null, null, null, null, null, 1000))).allSatisfy(row ->
                assertThat(Json.write(row)).doesNotContain(KEY));
    }

    @Test
    void amountsAreCentsOnTheWireAndWholeUnitsForZeroDecimalCurrencies() {
        assertThat(Money.of("49", "USD").minorUnits()).isEqualTo(4900);
        assertThat(Money.of("0.10", "eur").minorUnits()).isEqualTo(10);
        assertThat(Money.of("1500", "JPY").minorUnits()).isEqualTo(1500);
        assertThatThrownBy(() -> Money.of("10.5", "JPY")).hasMessageContaining("0 decimals");
        assertThatThrownBy(() -> Money.of("-5", "USD")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> Money.of("5", "dollars")).hasMessageContaining("three-letter ISO code");
        assertThat(PaymentTools.idempotencyKey(ME.underApproval("X"), "refund", args("{}")))
                .as("derived from the approval alone")
                .isEqualTo(PaymentTools.idempotencyKey(ME.underApproval("X"), "refund", args("{\"a\":1}")))
                .isNotEqualTo(PaymentTools.idempotencyKey(ME.underApproval("Y"), "refund", args("{}")));
    }
}
