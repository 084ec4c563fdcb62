package dev.steward.bench;

import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.RoutingMode;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.store.Database;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * N simple tasks submitted at once to one runner, with a model that takes 50 ms per call (each task: two calls and
 * one tool call): the total time until all are done, and the peak heap. Run with bench/runtime.sh.
 */
public final class RuntimeLoad {
    private RuntimeLoad() {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long modelMillis = args.length > 1 ? Long.parseLong(args[1]) : 50;
        Database database = RuntimeBenchmark.database(Files.createTempDirectory("steward-load"));
        Router router = new Router(List.of(new RuntimeBenchmark.ToolThenAnswer(modelMillis)),
                new ModelCallLog(database), RoutingMode.AUTO);
        TaskStore store = new TaskStore(database);
        try (TaskRunner runner = new TaskRunner(RuntimeBenchmark.agent(database, router), store)) {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long started = System.nanoTime();
            List<String> ids = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                ids.add(runner.submit(AskRequest.of("bench", "echo hi " + i)).id());
            }
            long submitted = System.nanoTime();
            int done;
            do {
                Thread.sleep(50);
                done = store.list(tasks, TaskStatus.DONE).size();
            } while (done < tasks && store.list(tasks, TaskStatus.FAILED).isEmpty());
            long finished = System.nanoTime();
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            List<Task> failed = store.list(10, TaskStatus.FAILED);
            System.out.printf(Locale.ROOT, "%d tasks, model %d ms per call: all submitted in %.0f ms, all done in "
                            + "%.2f s (%d done, %d failed%s); peak heap %.0f MB; %d processors%n",
                    tasks, modelMillis, (submitted - started) / 1e6, (finished - started) / 1e9, done, failed.size(),
                    failed.isEmpty() ? "" : ": " + failed.getFirst().error(), peakHeap / 1e6,
                    Runtime.getRuntime().availableProcessors());
        } finally {
            router.close();
            database.close();
        }
    }
}
