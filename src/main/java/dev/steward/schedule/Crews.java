package dev.steward.schedule;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.support.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The crews: bundled ones (monitoring, maintenance, research) and the user's YAML files in STEWARD_HOME/crews, which
 * replace a bundled crew of the same name. A run goes step by step; a step that fails or is unsure escalates to the
 * owner's inbox instead of being passed off as done, and a failed step stops the crew.
 */
public final class Crews {
    static final List<String> BUNDLED = List.of("maintenance", "monitoring", "research");
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path home;
    private final CrewChecks checks;
    private final ScheduleStore store;
    private final Notifications notifications;
    private final Function<AskRequest, Task> runTask;
    private final Path reports;
    private final Clock clock;

    Crews(Path home, CrewChecks checks, ScheduleStore store, Notifications notifications,
          Function<AskRequest, Task> runTask, Path reports, Clock clock) {
        this.home = home;
        this.reports = reports;
        this.checks = checks;
        this.store = store;
        this.notifications = notifications;
        this.runTask = runTask;
        this.clock = clock;
    }

    /** Every crew by name: the bundled ones, replaced by the user's file of the same name. */
    public List<Crew> list() {
        Map<String, Crew> all = new TreeMap<>();
        for (String name : BUNDLED) {
            try (InputStream in = Crews.class.getResourceAsStream("crews/" + name + ".yaml")) {
                all.put(name, check(YAML.readValue(in, Crew.class), "bundled crew " + name));
            } catch (IOException e) {
                throw new IllegalStateException("bundled crew " + name + " is unreadable", e);
            }
        }
        Path dir = home.resolve("crews");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList()) {
                    Crew crew = read(file);
                    all.put(crew.name(), crew);
                }
            } catch (IOException e) {
                throw new UsageException("cannot read " + dir + ": " + e.getMessage());
            }
        }
        return List.copyOf(all.values());
    }

    public boolean bundled(Crew crew) {
        return BUNDLED.contains(crew.name()) && !Files.exists(home.resolve("crews").resolve(crew.name() + ".yaml"));
    }

    public Optional<Crew> find(String name) {
        return list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Crew get(String name) {
        return find(name).orElseThrow(() -> new UsageException("no crew named '" + name + "'; crews: "
                + String.join(", ", list().stream().map(Crew::name).toList())
                + " (write your own as STEWARD_HOME/crews/NAME.yaml)"));
    }

    private Crew read(Path file) {
        try {
            Crew crew = YAML.readValue(file.toFile(), Crew.class);
            if (crew.name() == null) {
                crew = new Crew(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""), crew.description(),
                        crew.members(), crew.steps(), crew.topics(), crew.schedule());
            }
            return check(crew, file.toString());
        } catch (IOException e) {
            throw new UsageException(file + ": " + dev.steward.support.Errors.firstLine(e)
                    + "; a crew has name, description, members, steps (check, task or research) and schedule");
        }
    }

    private static Crew check(Crew crew, String where) {
        Schedules.checkName(crew.name());
        if (crew.steps().isEmpty()) {
            throw new UsageException(where + ": crew '" + crew.name() + "' has no steps");
        }
        for (Crew.Step s : crew.steps()) {
            long kinds = Stream.of(s.check(), s.task(), s.research()).filter(k -> k != null && !k.isBlank()).count();
            if (kinds != 1) {
                throw new UsageException(where + ": step '" + s.name() + "' must have exactly one of check, task"
                        + " or research");
            }
            if (s.check() != null && !CrewChecks.NAMES.contains(s.check())) {
                throw new UsageException(where + ": step '" + s.name() + "' names the unknown check '" + s.check()
                        + "'; checks: " + String.join(", ", CrewChecks.NAMES));
            }
        }
        if (crew.schedule() != null) {
            Cron.parse(crew.schedule(), null);
        }
        return crew;
    }

    /** Runs a crew now, in this thread, for {@code owner}; a failed or unsure step tells the owner. */
    public CrewRun run(String name, String owner, String trigger) {
        Crew crew = get(name);
        AutomationRun run = store.start(AutomationRun.CREW, name, trigger, clock.millis());
        List<StepResult> results = new ArrayList<>();
        boolean stopped = false;
        for (Crew.Step step : crew.steps()) {
            String label = step.name() == null ? "step " + (results.size() + 1) : step.name();
            if (stopped) {
                results.add(new StepResult(label, StepResult.Outcome.SKIPPED, "an earlier step failed", null));
                continue;
            }
            StepResult result = step.check() != null ? checks.run(label, step.check(), owner)
                    : step.task() != null ? task(crew, label, step.task(), step.agent(), owner)
                    : research(crew, label, step.research(), step.agent(), owner);
            results.add(result);
            stopped = result.outcome() == StepResult.Outcome.FAILED;
        }
        CrewRun done = new CrewRun(run, results);
        String status = done.ok() ? "done" : "escalated";
        String summary = String.join("\n", results.stream()
                .map(r -> r.outcome().id() + "  " + r.step() + ": " + r.detail()).toList());
        store.finish(run.id(), lastTask(results), status, summary, clock.millis());
        if (!done.ok()) {
            long bad = results.stream().filter(r -> r.outcome().escalates()).count();
            notifications.notify(owner, "escalation", "Crew " + name + ": " + bad + " of " + results.size()
                    + " steps need you", summary);
        }
        return new CrewRun(new AutomationRun(run.id(), run.kind(), run.name(), run.trigger(), lastTask(results),
                status, summary, run.startedAt(), clock.millis()), results);
    }

    /** A crew's runs, newest first. */
    public List<AutomationRun> history(String name, int limit) {
        return store.runs(AutomationRun.CREW, name, limit);
    }

    private static String lastTask(List<StepResult> results) {
        return results.stream().map(StepResult::taskId).filter(id -> id != null).reduce((a, b) -> b).orElse(null);
    }

    private StepResult task(Crew crew, String label, String text, String agent, String owner) {
        Task t = runTask.apply(AskRequest.of(owner, text).withAgent(agent).withSource(crew.source()));
        StepResult.Outcome outcome = t.status() == TaskStatus.DONE ? StepResult.Outcome.OK
                : t.status().finished() ? StepResult.Outcome.FAILED : StepResult.Outcome.LOW_CONFIDENCE;
        String detail = t.status() == TaskStatus.DONE ? first(t.answer()) : t.status().id() + ": "
                + (t.error() != null ? t.error() : t.question() != null ? t.question() : "waits for you");
        return new StepResult(label, outcome, detail, t.id());
    }

    /** One task per topic; the answers go into the workspace's reports/CREW-DATE.md. */
    private StepResult research(Crew crew, String label, String prompt, String agent, String owner) {
        if (crew.topics().isEmpty()) {
            return new StepResult(label, StepResult.Outcome.LOW_CONFIDENCE, "no topics set: copy the crew to "
                    + home.resolve("crews").resolve(crew.name() + ".yaml") + " and list them under topics:", null);
        }
        StringBuilder report = new StringBuilder("# " + crew.name() + " — " + LocalDate.now(clock) + "\n");
        String lastTask = null;
        int answered = 0;
        for (String topic : crew.topics()) {
            Task t = runTask.apply(AskRequest.of(owner, prompt + topic).withAgent(agent).withSource(crew.source()));
            lastTask = t.id();
            report.append("\n## ").append(topic).append("\n\n").append(t.status() == TaskStatus.DONE
                    ? t.answer() : "(not answered: " + t.status().id() + ", task " + t.id() + ")").append('\n');
            answered += t.status() == TaskStatus.DONE ? 1 : 0;
        }
        try {
            Path file = Files.createDirectories(reports)
                    .resolve(crew.name() + "-" + LocalDate.now(clock) + ".md");
            Files.writeString(file, report);
            StepResult.Outcome outcome = answered == crew.topics().size() ? StepResult.Outcome.OK
                    : StepResult.Outcome.LOW_CONFIDENCE;
            return new StepResult(label, outcome, answered + " of " + crew.topics().size() + " topics answered; report "
                    + file, lastTask);
        } catch (IOException e) {
            return new StepResult(label, StepResult.Outcome.FAILED, "cannot write the report: " + e.getMessage(),
                    lastTask);
        }
    }

    private static String first(String text) {
        if (text == null) {
            return "done";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
