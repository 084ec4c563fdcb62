package dev.steward.integrations.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small web site on loopback for the browser and research tests: pages whose text only a script writes, a table,
 * links, a form that records what was posted, a login wall, and pages of facts (a page that starts with '{' is
 * served as JSON). Started once per test class.
 */
public final class LocalSite implements AutoCloseable {
    private final HttpServer server;
    /** The bodies of every POST to /order, as the browser sent them. */
    public final List<String> orders = new CopyOnWriteArrayList<>();

    public LocalSite(Map<String, String> extraPages) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, String> pages = new java.util.HashMap<>(Map.of(
                "/script", page("Catalogue", """
                        <h1>Catalogue</h1><p id="out">loading…</p>
                        <script>setTimeout(() => { document.getElementById('out').textContent =
                            'Rendered by script: 42 widgets in stock'; }, 150);</script>"""),
                "/table", page("Prices", """
                        <table id="prices"><thead><tr><th>Item</th><th>Price</th></tr></thead>
                        <tbody><tr><td>Widget</td><td>3.50</td></tr><tr><td>Gadget</td><td>12.00</td></tr></tbody>
                        </table><ul class="notes"><li>Prices include VAT</li><li>Shipping is free</li></ul>"""),
                "/links", page("Links", """
                        <nav><a href="/table">Price list</a> <a href="/form">Order form</a></nav>"""),
                "/form", page("Order", """
                        <form method="post" action="/order">
                          <label for="n">Your name</label> <input id="n" name="customer">
                          <label>Colour <select name="colour"><option value="r">Red</option>
                            <option value="g">Green</option></select></label>
                          <label><input type="checkbox" name="gift"> Gift wrap</label>
                          <button type="submit">Place order</button>
                        </form>"""),
                "/login", page("Sign in", """
                        <form><label>Email <input name="email"></label>
                        <label>Password <input type="password" name="pw"></label></form>""")));
        pages.putAll(extraPages);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/order") && exchange.getRequestMethod().equals("POST")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                orders.add(URLDecoder.decode(body, StandardCharsets.UTF_8));
                send(exchange, 200, page("Thanks", "<p>Order received. Thank you!</p>"));
            } else if (pages.containsKey(path)) {
                send(exchange, 200, pages.get(path));
            } else {
                send(exchange, 404, page("Not found", "<p>No such page</p>"));
            }
        });
        server.start();
    }

    public static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=utf-8><title>" + title + "</title></head><body>" + body
                + "</body></html>";
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The same page by the name localhost: another host as far as domain rules go. */
    public String localhostUrl(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", html.startsWith("{") ? "application/json"
                : "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
