package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.ActionsConfig.Decision;
import dev.steward.config.ActionsConfig;
import dev.steward.config.Role;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionGateTest {
    @TempDir
    Path home;
    GateFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    static ActionsConfig config(Map<String, Decision> policy, Map<String, Decision> tools,
                                Map<Role, Map<String, Decision>> roles, ActionsConfig.RateLimits limits) {
        return new ActionsConfig(policy, tools, roles, null, limits, null, null, null, null);
    }

    @Test
    void argumentsThatDoNotMatchTheSchemaNameTheFieldAndWhatWasExpected() {
        f = new GateFixture(home);
        ActionGate.Outcome wrongType = f.call("files.write", "{\"path\": 3, \"content\": \"x\"}");
        ActionGate.Outcome missing = f.call("files.write", "{\"path\": \"a.txt\"}");
        ActionGate.Outcome extra = f.call("files.read", "{\"path\": \"a.txt\", \"mode\": \"r\"}");
        ActionGate.Outcome range = f.call("shell.run", "{\"command\": \"true\", \"timeout_seconds\": 0}");
        ActionGate.Outcome method = f.call("http.fetch", "{\"url\": \"http://example.com\", \"method\": \"BREW\"}");

        assertThat(wrongType.status()).isEqualTo(ActionGate.Status.FAILED);
        assertThat(wrongType.message()).contains("argument 'path': expected a string, found a number (3)");
        assertThat(missing.message()).contains("argument 'content': required, but missing");
        assertThat(extra.message()).contains("argument 'mode': not expected; known: path");
        assertThat(range.message()).contains("argument 'timeout_seconds': expected at least 1");
        assertThat(method.message()).contains("argument 'method': expected one of GET, HEAD");
        assertThat(f.audit()).filteredOn(e -> e.outcome().equals("invalid")).hasSize(5);
        assertThat(home.resolve("workspace/a.txt")).doesNotExist();
    }

    @Test
    void anUnknownToolIsAnsweredWithTheClosestNames() {
        f = new GateFixture(home);
        assertThat(f.call("files.raed", "{}").message()).contains("no tool named 'files.raed'").contains("files.read");
        assertThat(f.call("shell.exec", "{}").message()).contains("did you mean").contains("shell.run");
        assertThat(f.call("teleport", "{}").message()).contains("no tool named 'teleport'").contains("steward tools list");
        assertThat(f.lastAudit().outcome()).isEqualTo("unknown_tool");
    }

    @Test
    void deleteNeedsApprovalAndTheApprovalCarriesOutThePersistedCall() throws Exception {
        f = new GateFixture(home);
        Files.writeString(home.resolve("workspace/old.txt"), "bye");

        ActionGate.Outcome asked = f.call("files.delete", "{\"path\": \"old.txt\"}");

        assertThat(asked.status()).isEqualTo(ActionGate.Status.NEEDS_APPROVAL);
        assertThat(asked.approvalId()).isNotBlank();
        assertThat(home.resolve("workspace/old.txt")).exists();
        Approval pending = f.gate.approval(asked.approvalId()).orElseThrow();
        assertThat(pending.token()).hasSize(32);
        assertThat(pending.expiresAt() - pending.createdAt()).isEqualTo(300_000);

        assertThatThrownBy(() -> f.gate.approve(asked.approvalId(), "local", "wrong-token"))
                .hasMessageContaining("token does not match");
        ActionGate.Outcome done = f.gate.approve(asked.approvalId(), "local", pending.token());

        assertThat(done.status()).isEqualTo(ActionGate.Status.OK);
        assertThat(home.resolve("workspace/old.txt")).doesNotExist();
        assertThat(f.gate.approval(asked.approvalId()).orElseThrow().status()).isEqualTo("done");
        assertThatThrownBy(() -> f.gate.approve(asked.approvalId(), "local", null)).hasMessageContaining("already done");
        assertThat(f.audit()).extracting(AuditLog.Entry::outcome).containsSubsequence("ok", "approved", "bad_token", "requested");
    }

    @Test
    void anExpiredApprovalIsRejected() throws Exception {
        f = new GateFixture(home);
        Files.writeString(home.resolve("workspace/keep.txt"), "keep");
        ActionGate.Outcome asked = f.call("files.delete", "{\"path\": \"keep.txt\"}");

        f.clock.advance(Duration.ofMinutes(5));
        assertThat(f.gate.approval(asked.approvalId()).orElseThrow().statusAt(f.gate.now())).isEqualTo("expired");
        ActionGate.Outcome late = f.gate.approve(asked.approvalId(), "local", null);

        assertThat(late.status()).isEqualTo(ActionGate.Status.DENIED);
        assertThat(late.message()).contains("expired");
        assertThat(home.resolve("workspace/keep.txt")).exists();
        assertThat(f.lastAudit().outcome()).isEqualTo("expired");
    }

    @Test
    void aRejectedCallNeverRuns() throws Exception {
        f = new GateFixture(home);
        Files.writeString(home.resolve("workspace/keep.txt"), "keep");
        ActionGate.Outcome asked = f.call("files.delete", "{\"path\": \"keep.txt\"}");

        f.gate.reject(asked.approvalId(), "local");

        assertThat(home.resolve("workspace/keep.txt")).exists();
        assertThatThrownBy(() -> f.gate.approve(asked.approvalId(), "local", null)).hasMessageContaining("already rejected");
        assertThat(f.lastAudit().outcome()).isEqualTo("rejected");
    }

    @Test
    void policyDecidesByToolThenRoleThenRisk() {
        f = new GateFixture(home, config(Map.of("write", Decision.DENY), Map.of("files.append", Decision.ALLOW),
                Map.of(Role.STANDARD, Map.of("read", Decision.DENY)), null));

        assertThat(f.call("files.write", "{\"path\":\"a\",\"content\":\"x\"}").status()).isEqualTo(ActionGate.Status.DENIED);
        assertThat(f.lastAudit().kind()).isEqualTo("denial");
        assertThat(f.call("files.append", "{\"path\":\"a\",\"content\":\"x\"}").status()).isEqualTo(ActionGate.Status.OK);
        assertThat(f.gate.call("files.read", Json.parse("{\"path\":\"a\"}"), new ToolContext("v", null, Role.STANDARD)).message())
                .contains("denied by policy").contains("standard");
        assertThat(f.call("files.read", "{\"path\":\"a\"}").status()).isEqualTo(ActionGate.Status.OK);
    }

    @Test
    void rateLimitsPerUserAndRiskClassSayWhenToRetry() {
        f = new GateFixture(home, config(Map.of("dangerous", Decision.ALLOW), null, null,
                new ActionsConfig.RateLimits(3, 1)));
        for (int i = 0; i < 3; i++) {
            assertThat(f.call("files.list", "{}").status()).isEqualTo(ActionGate.Status.OK);
        }
        ActionGate.Outcome fourth = f.call("files.list", "{}");
        assertThat(fourth.status()).isEqualTo(ActionGate.Status.FAILED);
        assertThat(fourth.message()).contains("at most 3 general tool calls per minute").containsPattern("retry in \\d+ s");
        assertThat(f.lastAudit().outcome()).isEqualTo("rate_limited");
        assertThat(f.gate.call("files.list", Json.object(), new ToolContext("someone-else", null)).ok())
                .as("limits are per user").isTrue();

        // dangerous calls have their own, smaller bucket
        assertThat(f.call("http.fetch", "{\"url\":\"http://10.0.0.1/\",\"method\":\"POST\"}").message()).contains("refused");
        assertThat(f.call("http.fetch", "{\"url\":\"http://10.0.0.1/\",\"method\":\"POST\"}").message())
                .contains("at most 1 dangerous tool calls per minute");

        f.clock.advance(Duration.ofSeconds(60));
        assertThat(f.call("files.list", "{}").status()).isEqualTo(ActionGate.Status.OK);
    }

    @Test
    void defaultRateLimitsAre100GeneralAnd5DangerousPerMinute() {
        ActionsConfig defaults = ActionsConfig.defaults();
        assertThat(defaults.rateLimits().perMinute()).isEqualTo(100);
        assertThat(defaults.rateLimits().dangerousPerMinute()).isEqualTo(5);
        assertThat(defaults.approvalTtlSeconds()).isEqualTo(300);
        assertThat(defaults.decide("files.read", "read", null)).isEqualTo(Decision.ALLOW);
        assertThat(defaults.decide("files.write", "write", null)).isEqualTo(Decision.ALLOW);
        assertThat(defaults.decide("files.delete", "write", null)).isEqualTo(Decision.APPROVE);
        assertThat(defaults.decide("x", "dangerous", null)).isEqualTo(Decision.APPROVE);
        assertThat(defaults.decide("x", "paid", null)).isEqualTo(Decision.APPROVE);
    }

    @Test
    void whenAStepFailsTheCompletedStepsAreUndoneInReverseOrder() throws Exception {
        f = new GateFixture(home);
        Path notes = home.resolve("workspace/notes.txt");
        Files.writeString(notes, "version 1");

        ActionGate.Plan plan = f.gate.runAll(List.of(
                new ActionGate.Step("files.write", Json.parse("{\"path\":\"notes.txt\",\"content\":\"version 2\"}")),
                new ActionGate.Step("files.write", Json.parse("{\"path\":\"new/report.txt\",\"content\":\"draft\"}")),
                new ActionGate.Step("files.append", Json.parse("{\"path\":\"notes.txt\",\"content\":\" more\"}")),
                new ActionGate.Step("files.read", Json.parse("{\"path\":\"missing.txt\"}"))), GateFixture.LOCAL);

        assertThat(plan.ok()).isFalse();
        assertThat(plan.rolledBack()).isTrue();
        assertThat(plan.compensations()).containsExactly("restore the previous content of notes.txt",
                "delete new/report.txt", "restore the previous content of notes.txt");
        assertThat(notes).hasContent("version 1");
        assertThat(home.resolve("workspace/new")).doesNotExist();
        assertThat(f.audit()).filteredOn(e -> e.kind().equals("compensation")).hasSize(3)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo("ok"));
        assertThat(f.audit()).filteredOn(e -> e.kind().equals("tool_call")).extracting(AuditLog.Entry::outcome)
                .containsExactly("failed", "ok", "ok", "ok");
    }

    @Test
    void theAuditLogRedactsSecrets() {
        f = new GateFixture(home);
        f.call("http.fetch", "{\"url\":\"http://10.1.2.3/\",\"headers\":{\"Authorization\":\"Bearer sk-live-123\","
                + "\"X-Api-Key\":\"k-999\",\"Accept\":\"text/html\"}}");
        String args = f.lastAudit().arguments();
        assertThat(args).doesNotContain("sk-live-123", "k-999").contains("[redacted]", "text/html");
    }

    @Test
    void auditVerifyFindsEditedInsertedAndDeletedRows() {
        f = new GateFixture(home);
        for (int i = 0; i < 5; i++) {
            f.call("files.write", "{\"path\":\"f" + i + ".txt\",\"content\":\"" + i + "\"}");
        }
        assertThat(f.gate.audit().verify().ok()).isTrue();
        assertThat(f.gate.audit().verify().rows()).isEqualTo(5);

        f.database.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET outcome = 'failed' WHERE seq = 3"));
        AuditLog.Verification edited = f.gate.audit().verify();
        assertThat(edited.ok()).isFalse();
        assertThat(edited.badSeq()).isEqualTo(3);
        assertThat(edited.problem()).contains("row 3").contains("edited");
        f.database.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET outcome = 'ok' WHERE seq = 3"));
        assertThat(f.gate.audit().verify().ok()).isTrue();

        f.database.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 2"));
        AuditLog.Verification deleted = f.gate.audit().verify();
        assertThat(deleted.badSeq()).isEqualTo(3);
        assertThat(deleted.problem()).contains("deleted");
    }

    @Test
    void auditVerifyFindsAnInsertedRow() {
        f = new GateFixture(home);
        for (int i = 0; i < 3; i++) {
            f.call("files.list", "{}");
        }
        f.database.jdbi().useHandle(h -> {
            h.execute("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 2");
            h.execute("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
            h.execute("INSERT INTO audit_log (seq, created_at, user_id, kind, tool, arguments, outcome, cost_micros,"
                    + " prev_hash, hash) SELECT 2, created_at, user_id, kind, tool, arguments, outcome, cost_micros,"
                    + " hash, hash FROM audit_log WHERE seq = 1");
        });
        AuditLog.Verification inserted = f.gate.audit().verify();
        assertThat(inserted.ok()).isFalse();
        assertThat(inserted.badSeq()).isEqualTo(2);
        // appending after tampering does not heal the chain
        f.call("files.list", "{}");
        assertThat(f.gate.audit().verify().badSeq()).isEqualTo(2);
    }

    @Test
    void aConfigurationChangeIsRecordedOnce() {
        f = new GateFixture(home);
        f.gate.audit().noteConfiguration("local", "aaa", "steward.yaml");
        f.gate.audit().noteConfiguration("local", "aaa", "steward.yaml");
        f.gate.audit().noteConfiguration("local", "bbb", "steward.yaml");
        assertThat(f.audit()).filteredOn(e -> e.kind().equals("config")).extracting(AuditLog.Entry::outcome)
                .containsExactly("changed", "recorded");
    }

    @Test
    void aToolThatThrowsIsAFailedCallOnTheRecord() {
        ToolSpec spec = new ToolSpec("boom", "throws", Json.parse("{\"type\":\"object\"}"), Risk.READ, 1500);
        Tool boom = new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public ToolResult call(JsonNode arguments, ToolContext context) {
                throw new IllegalStateException("disk on fire");
            }
        };
        f = new GateFixture(home, ActionsConfig.defaults(), boom);
        ActionGate.Outcome outcome = f.call("boom", "{}");
        assertThat(outcome.message()).isEqualTo("disk on fire");
        assertThat(f.lastAudit().outcome()).isEqualTo("failed");
        assertThat(f.lastAudit().costMicros()).isEqualTo(1500);
    }
}
