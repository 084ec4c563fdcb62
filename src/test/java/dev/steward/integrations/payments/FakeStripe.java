package dev.steward.integrations.payments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider on loopback that speaks Stripe's wire format: form-encoded POSTs, {@code Authorization: Bearer},
 * Stripe-shaped errors ({@code {"error":{"type","code","message"}}}) and idempotency (the same key with the same
 * parameters replays the first answer with {@code Idempotent-Replayed: true}; with other parameters it is a 400).
 */
public final class FakeStripe implements AutoCloseable {
    public record Request(String method, String path, String contentType, String authorization, String idempotencyKey,
                   Map<String, String> form) {}

    private record Stored(Map<String, String> form, int status, String body) {}

    private final HttpServer server;
    private final String apiKey;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Stored> byKey = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private final Map<String, Long> refunded = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakeStripe(String apiKey) {
        this.apiKey = apiKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Objects created (replays do not create), by kind: payment_link, invoice, refund, ... */
    public long created(String object) {
        return objects.values().stream().filter(o -> o.path("object").asText().equals(object)).count();
    }

    /** A payment the customer made, that can be refunded up to its amount. */
    void paid(String paymentIntent, long amount) {
        objects.put(paymentIntent, Json.object().put("id", paymentIntent).put("object", "payment_intent")
                .put("amount", amount));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = decode(body);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), key, form);
        requests.add(request);
        if (!("Bearer " + apiKey).equals(request.authorization())) {
            reply(exchange, 401, error("invalid_request_error", null, "Invalid API Key provided: sk_test_****"
                    + (request.authorization() == null ? "" : last4(request.authorization()))), false);
            return;
        }
        if (request.method().equals("POST") && key != null) {
            Stored earlier = byKey.get(key);
            if (earlier != null) {
                if (!earlier.form().equals(form)) {
                    reply(exchange, 400, error("idempotency_error", null, "Keys for idempotent requests can only be "
                            + "used with the same parameters they were first used with. Try using a key other than '"
                            + key + "' if you meant to execute a different request."), false);
                } else {
                    reply(exchange, earlier.status(), earlier.body(), true);
                }
                return;
            }
        }
        String[] answer = route(request);
        int status = Integer.parseInt(answer[0]);
        if (request.method().equals("POST") && key != null) {
            byKey.put(key, new Stored(form, status, answer[1]));
        }
        reply(exchange, status, answer[1], false);
    }

    private String[] route(Request r) {
        String p = r.path();
        if (r.method().equals("GET") && p.equals("/v1/balance")) {
            return ok(Json.object().put("object", "balance").set("available",
                    Json.mapper().createArrayNode().add(Json.object().put("amount", 0).put("currency", "usd"))));
        }
        if (p.equals("/v1/payment_links")) {
            String currency = r.form().get("line_items[0][price_data][currency]");
            if (!List.of("usd", "eur", "gbp", "jpy").contains(currency)) {
                return new String[] {"400", error("invalid_request_error", "parameter_invalid_string",
                        "Invalid currency: " + currency + ".")};
            }
            String id = "plink_" + ids.incrementAndGet();
            return ok(store(Json.object().put("id", id).put("object", "payment_link").put("active", true)
                    .put("url", "https://buy.stripe.com/test_" + id)
                    .put("unit_amount", Long.parseLong(r.form().get("line_items[0][price_data][unit_amount]")))));
        }
        if (p.startsWith("/v1/payment_links/")) {
            ObjectNode link = objects.get(p.substring("/v1/payment_links/".length()));
            link.put("active", Boolean.parseBoolean(r.form().getOrDefault("active", "true")));
            return ok(link);
        }
        if (p.equals("/v1/customers")) {
            return ok(store(Json.object().put("id", "cus_" + ids.incrementAndGet()).put("object", "customer")
                    .put("email", r.form().get("email"))));
        }
        if (p.equals("/v1/invoiceitems")) {
            return ok(store(Json.object().put("id", "ii_" + ids.incrementAndGet()).put("object", "invoiceitem")
                    .put("customer", r.form().get("customer")).put("amount", Long.parseLong(r.form().get("amount")))));
        }
        if (p.equals("/v1/invoices")) {
            return ok(store(Json.object().put("id", "in_" + ids.incrementAndGet()).put("object", "invoice")
                    .put("status", "draft").put("customer", r.form().get("customer"))));
        }
        if (p.matches("/v1/invoices/[^/]+/(finalize|void)")) {
            ObjectNode invoice = objects.get(p.split("/")[3]);
            invoice.put("status", p.endsWith("finalize") ? "open" : "void")
                    .put("hosted_invoice_url", "https://invoice.stripe.com/i/" + invoice.path("id").asText());
            return ok(invoice);
        }
        if (p.equals("/v1/refunds")) {
            String payment = r.form().getOrDefault("payment_intent", r.form().get("charge"));
            ObjectNode paid = objects.get(payment);
            if (paid == null) {
                return new String[] {"404", error("invalid_request_error", "resource_missing",
                        "No such payment_intent: '" + payment + "'")};
            }
            long left = paid.path("amount").asLong() - refunded.getOrDefault(payment, 0L);
            long amount = r.form().containsKey("amount") ? Long.parseLong(r.form().get("amount")) : left;
            if (left <= 0) {
                return new String[] {"400", error("invalid_request_error", "charge_already_refunded",
                        "Charge for payment " + payment + " has already been refunded.")};
            }
            if (amount > left) {
                return new String[] {"400", error("invalid_request_error", "amount_too_large",
                        "Refund amount (" + amount + ") is greater than unrefunded amount on charge (" + left + ")")};
            }
            refunded.merge(payment, amount, Long::sum);
            return ok(store(Json.object().put("id", "re_" + ids.incrementAndGet()).put("object", "refund")
                    .put("amount", amount).put("status", "succeeded").put("payment_intent", payment)));
        }
        return new String[] {"404", error("invalid_request_error", null, "Unrecognized request URL (" + r.method()
                + ": " + p + ").")};
    }

    private ObjectNode store(ObjectNode object) {
        objects.put(object.path("id").asText(), object);
        return object;
    }

    private static String[] ok(ObjectNode object) {
        return new String[] {"200", Json.write(object)};
    }

    private static String error(String type, String code, String message) {
        ObjectNode error = Json.object().put("type", type).put("message", message);
        if (code != null) {
            error.put("code", code);
        }
        ObjectNode root = Json.object();
        root.set("error", error);
        return Json.write(root);
    }

    private static String last4(String authorization) {
        return authorization.length() > 4 ? authorization.substring(authorization.length() - 4) : "";
    }

    private static Map<String, String> decode(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void reply(HttpExchange exchange, int status, String body, boolean replayed) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        if (replayed) {
            exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
