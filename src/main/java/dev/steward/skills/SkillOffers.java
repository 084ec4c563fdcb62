package dev.steward.skills;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * "Automate this?": remembers each successful multi-step task a user started by its shape (see
 * {@link SkillDraft#shape}); when one shape has succeeded {@link #TIMES} times, drafts a skill from the last runs,
 * validates it like any skill and asks the user, through the gate, whether to install it: the offer is an approval of
 * {@code skills.install_draft} whose card shows the whole SKILL.md and script. Approved, the draft is validated again
 * and installed; rejected, nothing is installed and that shape is never offered again. An offer whose approval
 * expired unanswered is asked again the next time the routine succeeds.
 */
public final class SkillOffers {
    public static final String INSTALL = "skills.install_draft";
    /** How many successful runs of one shape make an offer. */
    static final int TIMES = 3;
    /** A routine is a task of at least this many tool calls: one call needs no skill. */
    static final int MIN_STEPS = 2;
    static final String OFFERED = "offered", INSTALLED = "installed", REFUSED = "refused", DECLINED = "declined";

    private final Database database;
    private final Skills skills;
    private final Supplier<ActionGate> gate;
    private final Path drafts;
    private final Clock clock;

    /**
     * @param status offered (its approval decides), installed, refused (validation refused the draft: {@code detail}
     *               says why), or declined (the policy denied the install)
     */
    public record Offer(String id, String userId, String shape, String name, String approvalId, String status,
                        String detail, long createdAt) {}

    public SkillOffers(Database database, Skills skills, Supplier<ActionGate> gate, Path home, Clock clock) {
        this.database = database;
        this.skills = skills;
        this.gate = gate;
        this.drafts = home.resolve("cache").resolve("skill-drafts");
        this.clock = clock;
    }

    /**
     * Notes a task that a user started and that succeeded; returns the offer it led to, if it led to one now.
     *
     * @param request the user's own words (a task started by a webhook or a schedule is not the user's routine)
     */
    public Optional<Offer> observe(String userId, String taskId, String intent, String request,
                                   List<RecordedCall> calls) {
        List<RecordedCall> routine = SkillDraft.routine(calls);
        if (routine.size() < MIN_STEPS) {
            return Optional.empty();
        }
        String shape = SkillDraft.shape(intent, routine);
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO skill_offer_samples (task_id, user_id, shape, request, calls, created_at)
                        VALUES (:task, :user, :shape, :request, :calls, :now) ON CONFLICT (task_id) DO NOTHING""")
                .bind("task", taskId).bind("user", userId).bind("shape", shape).bind("request", request)
                .bind("calls", Json.write(Json.mapper().valueToTree(routine))).bind("now", clock.millis()).execute());
        Optional<Offer> existing = find(userId, shape);
        if (existing.isPresent()) {
            return existing.filter(this::expired).map(this::ask);
        }
        List<SkillDraft.Sample> samples = samples(userId, shape);
        return samples.size() < TIMES ? Optional.empty() : offer(userId, shape, intent, samples);
    }

    /** The user's offers, newest first. */
    public List<Offer> list(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM skill_offers WHERE user_id = :user ORDER BY created_at DESC, id DESC")
                .bind("user", userId).map((rs, ctx) -> new Offer(rs.getString("id"), rs.getString("user_id"),
                        rs.getString("shape"), rs.getString("name"), rs.getString("approval_id"),
                        rs.getString("status"), rs.getString("detail"), rs.getLong("created_at"))).list());
    }

    private Optional<Offer> find(String userId, String shape) {
        return list(userId).stream().filter(o -> o.shape().equals(shape)).findFirst();
    }

    private Optional<Offer> byId(String id) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT user_id FROM skill_offers WHERE id = :id")
                        .bind("id", id).mapTo(String.class).findOne())
                .flatMap(user -> list(user).stream().filter(o -> o.id().equals(id)).findFirst());
    }

    private boolean expired(Offer offer) {
        return offer.status().equals(OFFERED) && offer.approvalId() != null && gate.get().approval(offer.approvalId())
                .map(a -> a.statusAt(gate.get().now()).equals("expired")).orElse(true);
    }

    private List<SkillDraft.Sample> samples(String userId, String shape) {
        List<SkillDraft.Sample> newestFirst = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT task_id, request, calls FROM skill_offer_samples WHERE user_id = :user AND shape = :shape
                        ORDER BY created_at DESC, task_id DESC LIMIT :n""")
                .bind("user", userId).bind("shape", shape).bind("n", TIMES)
                .map((rs, ctx) -> new SkillDraft.Sample(rs.getString(1), rs.getString(2), calls(rs.getString(3))))
                .list());
        return new ArrayList<>(newestFirst).reversed();
    }

    private static List<RecordedCall> calls(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<List<RecordedCall>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("a recorded routine cannot be read: " + e.getMessage(), e);
        }
    }

    private Optional<Offer> offer(String userId, String shape, String intent, List<SkillDraft.Sample> samples) {
        String id = Ids.next();
        String name = SkillDraft.name(intent, samples, n -> skills.find(n).isPresent()
                || list(userId).stream().anyMatch(o -> o.name().equals(n)));
        SkillDraft.Files draft = SkillDraft.draft(name, samples, tool -> gate.get().tools().find(tool)
                .map(t -> t.spec().inputSchema()).orElse(null));
        Path folder = drafts.resolve(id).resolve(name);
        write(folder, draft);
        Validation validation = SkillValidator.validate(folder);
        String status = validation.installable() ? OFFERED : REFUSED;
        boolean mine = database.jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO skill_offers (id, user_id, shape, name, status, detail, created_at)
                        VALUES (:id, :user, :shape, :name, :status, :detail, :now)
                        ON CONFLICT (user_id, shape) DO NOTHING""")
                .bind("id", id).bind("user", userId).bind("shape", shape).bind("name", name).bind("status", status)
                .bind("detail", validation.installable() ? null : validation.refusal()).bind("now", clock.millis())
                .execute()) == 1;
        if (!mine || !validation.installable()) {
            SkillFolder.delete(drafts.resolve(id)); // another process offered it first, or it cannot be installed
            return mine ? byId(id) : Optional.empty();
        }
        return Optional.of(ask(byId(id).orElseThrow()));
    }

    /** Asks the user through the gate; the approval it makes is the offer the user sees. */
    private Offer ask(Offer offer) {
        ActionGate.Outcome outcome = gate.get().call(INSTALL, Json.object().put("offer", offer.id()),
                new ToolContext(offer.userId(), null));
        if (outcome instanceof ActionGate.NeedsApproval) {
            update(offer.id(), OFFERED, outcome.approvalId(), null);
        } else if (!outcome.ok()) {
            update(offer.id(), DECLINED, offer.approvalId(), outcome.message());
        }
        return byId(offer.id()).orElseThrow();
    }

    private void update(String id, String status, String approvalId, String detail) {
        database.jdbi().useHandle(h -> h.createUpdate(
                        "UPDATE skill_offers SET status = :status, approval_id = :approval, detail = :detail WHERE id = :id")
                .bind("status", status).bind("approval", approvalId).bind("detail", detail).bind("id", id).execute());
    }

    private static void write(Path folder, SkillDraft.Files draft) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("SKILL.md"), draft.skillMd(), StandardCharsets.UTF_8);
            if (draft.script() != null) {
                Path script = folder.resolve(SkillDraft.SCRIPT);
                Files.createDirectories(script.getParent());
                Files.writeString(script, draft.script(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drafted skill to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code skills.install_draft {offer}}: installs a drafted skill. It needs approval by default, and its card shows
     * the draft in full, so the offer is decided where every other approval is (CLI, API, web UI).
     */
    public Tool installTool() {
        ToolSpec spec = new ToolSpec(INSTALL, "Install a skill Steward drafted from a task that succeeded "
                + TIMES + " times (\"Automate this?\"); the user approves it first.", Json.parse("""
                {"type":"object","properties":{"offer":{"type":"string","minLength":1}},
                 "required":["offer"],"additionalProperties":false}"""), Risk.WRITE);
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public boolean needsApprovalByDefault() {
                return true;
            }

            @Override
            public String approvalByDefaultReason() {
                return "installing a skill Steward drafted from your tasks; read its SKILL.md and script first";
            }

            @Override
            public String preview(JsonNode arguments) {
                Offer offer = byId(arguments.path("offer").asText()).orElse(null);
                if (offer == null) {
                    return null;
                }
                Path folder = drafts.resolve(offer.id()).resolve(offer.name());
                StringBuilder card = new StringBuilder("Automate this? The same kind of task succeeded " + TIMES
                        + " times; save it as the skill '" + offer.name() + "':\n\n");
                for (String file : List.of("SKILL.md", SkillDraft.SCRIPT)) {
                    try {
                        card.append("--- ").append(file).append('\n')
                                .append(Files.readString(folder.resolve(file))).append('\n');
                    } catch (IOException absent) {
                        // an instruction-only draft has no script
                    }
                }
                return card.toString().strip();
            }

            @Override
            public ToolResult call(JsonNode arguments, ToolContext context) {
                return ToolResult.ok(install(arguments.path("offer").asText(), context.userId()));
            }
        };
    }

    private ObjectNode install(String id, String userId) {
        Offer offer = byId(id).filter(o -> o.userId().equals(userId)).orElseThrow(() -> new ToolException(
                "no skill offer '" + id + "' for " + userId));
        if (!offer.status().equals(OFFERED)) {
            throw new ToolException("the skill offer " + id + " is " + offer.status() + ", not waiting to be installed");
        }
        Skill skill;
        try {
            skill = skills.addDrafted(drafts.resolve(id).resolve(offer.name()), "drafted by Steward from your tasks"
                    + " (offer " + id + ")");
        } catch (SkillException e) {
            throw new ToolException(e.getMessage());
        }
        update(id, INSTALLED, offer.approvalId(), skill.name());
        SkillFolder.delete(drafts.resolve(id));
        ObjectNode result = Json.object().put("skill", skill.name()).put("folder", skill.folder().toString());
        Skills.scripts(skill).forEach(result.putArray("scripts")::add);
        return result;
    }
}
