package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProviderConnectionPoolTest {
    static FakeOpenAiServer server;

    @BeforeAll
    static void start() {
        server = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static OpenAiModel modelOver(ConnectionPool pool) {
        OkHttpClient http = Providers.httpClient(Duration.ofSeconds(2)).newBuilder().connectionPool(pool).build();
        return new OpenAiModel("local", server.baseUrl(), "sk-test", "gpt-test", http, Duration.ofSeconds(5));
    }

    static ChatRequest ask() {
        return ChatRequest.of(List.of(ChatMessage.user("hello")), null);
    }

    @Test
    void callsOneAfterAnotherShareOneConnection() {
        ConnectionPool pool = ProviderConnectionPool.create(8, Duration.ofSeconds(30));
        OpenAiModel model = modelOver(pool);
        for (int i = 0; i < 20; i++) {
            assertThat(model.chat(ask()).text()).isEqualTo("Hello from the fake server.");
        }
        assertThat(pool.connectionCount()).isEqualTo(1);
        assertThat(pool.idleConnectionCount()).isEqualTo(1);
    }

    @Test
    void aConnectionGoingBackToThePoolDoesNotWakeTheCleanUpThread() {
        var backend = new ProviderConnectionPool.QuietBackend();
        OpenAiModel model = modelOver(ProviderConnectionPool.create(8, Duration.ofSeconds(30), backend));
        long started = System.nanoTime();
        int calls = 100;
        for (int i = 0; i < calls; i++) {
            model.chat(ask());
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        // OkHttp's own backend is woken once per call here (each release reschedules the clean-up to "now"); this
        // one sleeps until its own deadline, at most a second, so its clean-up is already due and asks for no more.
        assertThat(backend.waits.get()).isLessThanOrEqualTo(seconds + 3);
        assertThat(backend.notificationsIgnored.get()).isLessThanOrEqualTo(seconds + 3);
    }

    @Test
    void anIdleConnectionIsStillClosedSoonAfterItsKeepAlive() throws InterruptedException {
        Duration keepAlive = Duration.ofMillis(300);
        ConnectionPool pool = ProviderConnectionPool.create(8, keepAlive);
        modelOver(pool).chat(ask());
        assertThat(pool.connectionCount()).isEqualTo(1);

        long deadline = System.nanoTime() + keepAlive.plus(ProviderConnectionPool.LOOK_EVERY).plusSeconds(2).toNanos();
        while (pool.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.connectionCount()).as("connections left after keep-alive and one look").isZero();
    }

    @Test
    void moreIdleConnectionsThanAllowedAreClosedDownToTheLimit() throws InterruptedException {
        ConnectionPool pool = ProviderConnectionPool.create(1, Duration.ofSeconds(30));
        OpenAiModel model = modelOver(pool);
        List<Thread> callers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) { // three at once: three connections, all idle afterwards
            server.enqueue(FakeReply.text("slow").delay(Duration.ofMillis(300)));
        }
        for (int i = 0; i < 3; i++) {
            callers.add(Thread.ofVirtual().start(() -> model.chat(ask())));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        long deadline = System.nanoTime() + ProviderConnectionPool.LOOK_EVERY.plusSeconds(2).toNanos();
        while (pool.connectionCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.connectionCount()).isEqualTo(1);
    }
}
