package dev.steward.integrations.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.config.ConnectionsConfig;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.IntegrationTool;
import dev.steward.support.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * payments.create_payment_link, payments.create_invoice and payments.refund. Amounts are decimal in the tool and the
 * currency's smallest unit on the wire. A link is taken back by deactivating it, an invoice by voiding it; a refund
 * is the way back from a payment.
 */
public final class PaymentTools {
    private static final String AMOUNT = "\"amount\":{\"type\":[\"number\",\"string\"],\"description\":"
            + "\"decimal, in the currency's units, like 49.00\"},\"currency\":{\"type\":\"string\",\"description\":"
            + "\"three-letter ISO code, like USD\"}";

    private final StripeClient stripe;
    private final BigDecimal secondFactorAbove;

    PaymentTools(ConnectionsConfig.Payments config) {
        this.stripe = new StripeClient(config);
        this.secondFactorAbove = config.secondFactorAbove();
    }

    /** The payment tools for a configured connection. */
    public static List<Tool> create(ConnectionsConfig.Payments config) {
        PaymentTools tools = new PaymentTools(config);
        return List.of(
                IntegrationTool.of("payments.create_payment_link",
                        "Create a payment link a customer can pay (amount, currency, what it is for).",
                        "{\"type\":\"object\",\"properties\":{" + AMOUNT + ",\"description\":{\"type\":\"string\"}},"
                                + "\"required\":[\"amount\",\"currency\",\"description\"]}",
                        Risk.PAID, tools::createLink)
                        .withPreview(args -> "Create a payment link for " + money(args) + ": "
                                + Args.optional(args, "description"))
                        .withSecondFactor(tools::secondFactor),
                IntegrationTool.of("payments.create_invoice",
                        "Create and finalize an invoice for a customer (by email) that the provider sends to them.",
                        "{\"type\":\"object\",\"properties\":{\"customer_email\":{\"type\":\"string\"}," + AMOUNT
                                + ",\"description\":{\"type\":\"string\"},\"days_until_due\":{\"type\":\"integer\","
                                + "\"minimum\":1}},\"required\":[\"customer_email\",\"amount\",\"currency\",\"description\"]}",
                        Risk.PAID, tools::createInvoice)
                        .withPreview(args -> "Invoice " + Args.optional(args, "customer_email") + " " + money(args)
                                + " for: " + Args.optional(args, "description"))
                        .withSecondFactor(tools::secondFactor),
                IntegrationTool.of("payments.refund",
                        "Refund a payment (a payment intent pi_… or a charge ch_…), in full or the amount given.",
                        "{\"type\":\"object\",\"properties\":{\"payment_id\":{\"type\":\"string\",\"minLength\":1},"
                                + AMOUNT + "},\"required\":[\"payment_id\"]}",
                        Risk.PAID, tools::refund)
                        .withPreview(args -> "Refund " + (args.hasNonNull("amount") ? money(args) : "in full")
                                + " of payment " + Args.optional(args, "payment_id"))
                        .withSecondFactor(tools::secondFactor));
    }

    private static String money(JsonNode args) {
        return Money.of(Args.optional(args, "amount"), Args.optional(args, "currency")).toString();
    }

    /** Why this call needs a one-time code: an amount above the configured one (in the payment's own currency). */
    String secondFactor(JsonNode args) {
        if (secondFactorAbove == null || !args.hasNonNull("amount")) {
            return args.hasNonNull("amount") || secondFactorAbove == null ? null
                    : "a full refund has no amount to compare with second_factor_above";
        }
        Money money = Money.of(Args.optional(args, "amount"), Args.optional(args, "currency"));
        return money.amount().compareTo(secondFactorAbove) > 0
                ? money + " is above connections.payments.second_factor_above (" + secondFactorAbove.toPlainString() + ")"
                : null;
    }

    private ToolResult createLink(JsonNode args, ToolContext context) {
        Money money = Money.of(Args.text(args, "amount"), Args.text(args, "currency"));
        String key = idempotencyKey(context, "payment_link", args);
        JsonNode link = stripe.post("/v1/payment_links", StripeClient.form(
                "line_items[0][price_data][currency]", money.currency(),
                "line_items[0][price_data][unit_amount]", String.valueOf(money.minorUnits()),
                "line_items[0][price_data][product_data][name]", Args.text(args, "description"),
                "line_items[0][quantity]", "1"), key);
        String id = link.path("id").asText();
        ObjectNode result = Json.object().put("id", id).put("url", link.path("url").asText())
                .put("amount", money.amount().toPlainString()).put("currency", money.currency())
                .put("idempotency_key", key);
        return ToolResult.ok(result).withUndo(Compensation.of("deactivate payment link " + id,
                () -> stripe.post("/v1/payment_links/" + id, StripeClient.form("active", "false"), key + "-undo")));
    }

    private ToolResult createInvoice(JsonNode args, ToolContext context) {
        Money money = Money.of(Args.text(args, "amount"), Args.text(args, "currency"));
        String key = idempotencyKey(context, "invoice", args);
        String email = Args.text(args, "customer_email");
        JsonNode customer = stripe.post("/v1/customers", StripeClient.form("email", email), key + "-customer");
        String customerId = customer.path("id").asText();
        stripe.post("/v1/invoiceitems", StripeClient.form("customer", customerId,
                "amount", String.valueOf(money.minorUnits()), "currency", money.currency(),
                "description", Args.text(args, "description")), key + "-item");
        JsonNode invoice = stripe.post("/v1/invoices", StripeClient.form("customer", customerId,
                "collection_method", "send_invoice",
                "days_until_due", String.valueOf(args.path("days_until_due").asInt(30)),
                "pending_invoice_items_behavior", "include"), key + "-invoice");
        String id = invoice.path("id").asText();
        JsonNode finalized = stripe.post("/v1/invoices/" + id + "/finalize", Map.of(), key + "-finalize");
        ObjectNode result = Json.object().put("id", id).put("customer", customerId)
                .put("status", finalized.path("status").asText())
                .put("hosted_invoice_url", finalized.path("hosted_invoice_url").asText())
                .put("amount", money.amount().toPlainString()).put("currency", money.currency())
                .put("idempotency_key", key);
        return ToolResult.ok(result).withUndo(Compensation.of("void invoice " + id,
                () -> stripe.post("/v1/invoices/" + id + "/void", Map.of(), key + "-undo")));
    }

    private ToolResult refund(JsonNode args, ToolContext context) {
        String payment = Args.text(args, "payment_id");
        String field = payment.startsWith("ch_") ? "charge" : "payment_intent";
        String amount = null;
        if (args.hasNonNull("amount")) {
            amount = String.valueOf(Money.of(Args.text(args, "amount"), Args.text(args, "currency")).minorUnits());
        }
        String key = idempotencyKey(context, "refund", args);
        JsonNode refund = stripe.post("/v1/refunds", StripeClient.form(field, payment, "amount", amount), key);
        return ToolResult.ok(Json.object().put("id", refund.path("id").asText())
                .put("status", refund.path("status").asText()).put("payment_id", payment)
                .put("amount_minor_units", refund.path("amount").asLong()).put("idempotency_key", key));
    }

    /** Whether the provider answers with this key: for 'steward connect test payments'. */
    public static String test(ConnectionsConfig.Payments config) {
        JsonNode balance = new StripeClient(config).get("/v1/balance");
        return "payments: " + config.baseUrl() + " accepted the key (balance: " + balance.path("available").size()
                + " currencies)";
    }

    /**
     * The same approved call always sends the same key, so a retry (after a timeout, a crash, a second click) is
     * answered with the first result instead of paying again. Without an approval (a policy that allows paid calls),
     * the task and the arguments stand in for it.
     */
    static String idempotencyKey(ToolContext context, String operation, JsonNode args) {
        String basis = context.approvalId() != null ? "approval:" + context.approvalId()
                : "task:" + context.taskId() + ":" + context.userId() + ":" + Json.write(args);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((operation + "|" + basis).getBytes(StandardCharsets.UTF_8));
            return "steward-" + operation + "-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
