package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCallLogTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    ModelCallLog log;

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterEach
    void close() {
        log.close();
        database.close();
    }

    @Test
    void everyFieldSurvivesTheBatchedInsert() {
        ModelCall full = new ModelCall("a1", "task-1", "ann", "openai", "gpt-4o-mini", Locality.CLOUD, "auto: cloud",
                "local/x: down", 120, 30, 4500, 812, 95L, true, "ok", null, 1_700_000_000_000L);
        ModelCall sparse = new ModelCall("a2", null, "bob", "offline", "steward-offline", null, "offline", null, 0, 0,
                0, 3, null, false, "error", "boom", 1_700_000_000_001L);
        log.record(full);
        log.record(sparse);
        assertThat(ModelCallRows.all(database)).containsExactly(full, sparse);
    }

    @Test
    void callsRecordedFromManyThreadsAtOnceAreAllSaved() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    log.record(new ModelCall("t" + thread + "-" + i, null, "ann", "p", "m", Locality.LOCAL, "local",
                            null, 1, 1, 0, 1, null, false, "ok", null, 1_700_000_000_000L + i));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        log.flush();
        assertThat(ModelCallRows.all(database)).hasSize(4000);
    }

    static ModelCall call(String id, long costMicros) {
        return new ModelCall(id, null, "ann", "openai", "gpt-4o-mini", Locality.CLOUD, "cloud mode", null, 10, 2,
                costMicros, 5, null, false, "ok", null, 1_700_000_000_000L);
    }

    static long rowsCommitted(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM model_calls").mapTo(Long.class).one());
    }

    @Test
    void rowsWaitForTheLingerSoThatAMomentsCallsShareOneTransaction() throws InterruptedException {
        // A long linger, so that a busy machine cannot make the wait look shorter than it is.
        try (ModelCallLog lingering = new ModelCallLog(database, Duration.ofSeconds(5))) {
            lingering.record(call("c1", 1));
            Thread.sleep(30); // a writer that committed each row at once (or after 5 ms, as before) would have done so
            lingering.record(call("c2", 1));
            assertThat(rowsCommitted(database)).isZero();
            lingering.flush(); // cuts the linger short
            assertThat(rowsCommitted(database)).isEqualTo(2);
        }
    }

    @Test
    void budgetsSeeACallTheMomentItIsRecorded() {
        log.record(call("c1", 4500));
        assertThat(log.spentSince(0, "ann")).isEqualTo(4500);
        assertThat(log.spentSince(0, "bob")).isZero();
    }

    @Test
    void closingSavesEveryRowStillWaiting() {
        for (int i = 0; i < 1000; i++) {
            log.record(call(String.format("c%04d", i), 1));
        }
        log.close();
        assertThat(rowsCommitted(database)).isEqualTo(1000);
    }
}
