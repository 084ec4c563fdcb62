package dev.steward.integrations.calendar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A real CalDAV server: Debian's Radicale, started on loopback with its own storage and one htpasswd user, stopped on
 * close. Public for the other parts' tests that need a calendar (the briefing).
 */
public final class Radicale implements AutoCloseable {
    public static final String USER = "me";
    public static final String PASSWORD = "cal-s3cret";

    private final Process process;
    private final int port;

    public Radicale(Path dir) {
        try {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path users = dir.resolve("users");
            Files.writeString(users, USER + ":" + PASSWORD + "\n");
            Path config = dir.resolve("config");
            Files.writeString(config, """
                    [server]
                    hosts = 127.0.0.1:%d
                    [auth]
                    type = htpasswd
                    htpasswd_filename = %s
                    htpasswd_encryption = plain
                    [rights]
                    type = owner_only
                    [storage]
                    filesystem_folder = %s
                    [logging]
                    level = warning
                    """.formatted(port, users, dir.resolve("collections")));
            process = new ProcessBuilder("radicale", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("radicale.log").toFile()).start();
            awaitUp(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start radicale (sudo apt-get install radicale)", e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Makes a calendar collection under the user's home; its URL. */
    public String makeCalendar(String name) throws Exception {
        String url = base() + USER + "/" + name + "/";
        HttpResponse<String> made = send("MKCALENDAR", url, """
                <?xml version="1.0" encoding="utf-8"?>
                <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
                <d:displayname>%s</d:displayname></d:prop></d:set></c:mkcalendar>""".formatted(name));
        if (made.statusCode() != 201) {
            throw new IllegalStateException("MKCALENDAR answered " + made.statusCode() + ": " + made.body());
        }
        return url;
    }

    /** A request as this user, for the test's own looks at the server. */
    public HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Depth", "1").build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitUp(Path dir) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("radicale stopped: " + Files.readString(dir.resolve("radicale.log")));
            }
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("radicale did not listen on " + port + " within 60 s");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
