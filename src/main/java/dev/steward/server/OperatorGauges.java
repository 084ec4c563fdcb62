package dev.steward.server;

import dev.steward.actions.AuditLog;
import dev.steward.support.Version;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gauges an operator's alerts watch beside the work itself: whether the audit chain still verifies, the space
 * left where {@code STEWARD_HOME} lives, how long the oldest approval has waited, and which version runs.
 * Verifying the chain reads every row, so its answer is kept for {@link #AUDIT_RECHECK_MILLIS}.
 */
final class OperatorGauges implements MultiCollector {
    static final long AUDIT_RECHECK_MILLIS = 60_000;

    private final Services services;
    private final Path home;
    private volatile long auditCheckedAt = Long.MIN_VALUE;
    private volatile AuditLog.Verification audit;

    OperatorGauges(Services services) {
        this.services = services;
        this.home = services.config().home();
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(InfoSnapshot.builder().name("steward").help("The version that runs")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", Version.current()))
                        .build()).build());
        AuditLog.Verification verified = audit();
        out.metricSnapshot(gauge("steward_audit_chain_ok",
                "1 while the audit log's hash chain verifies, 0 once a row was deleted, inserted or edited",
                Labels.EMPTY, verified.ok() ? 1 : 0));
        out.metricSnapshot(gauge("steward_audit_rows", "Rows in the audit log at its last verification",
                Labels.EMPTY, verified.rows()));
        disk(out);
        long now = services.clock().millis();
        Long oldest = services.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT MIN(created_at) FROM approvals WHERE status = 'pending' AND expires_at > :now")
                .bind("now", now).mapTo(Long.class).findOne().orElse(null));
        out.metricSnapshot(gauge("steward_approvals_oldest_pending_seconds",
                "How long the oldest pending approval has waited; 0 when none waits",
                Labels.EMPTY, oldest == null ? 0 : Math.max(0, now - oldest) / 1000.0));
        return out.build();
    }

    private AuditLog.Verification audit() {
        long now = services.clock().millis();
        if (audit == null || now - auditCheckedAt >= AUDIT_RECHECK_MILLIS) {
            audit = services.gate().audit().verify();
            auditCheckedAt = now;
        }
        return audit;
    }

    /** Free and total bytes of the file system that holds STEWARD_HOME (database, index, workspace). */
    private void disk(MetricSnapshots.Builder out) {
        try {
            FileStore store = Files.getFileStore(Files.exists(home) ? home : home.toAbsolutePath().getRoot());
            Labels labels = Labels.of("path", home.toString());
            out.metricSnapshot(gauge("steward_disk_free_bytes", "Bytes free to Steward where STEWARD_HOME lives",
                    labels, store.getUsableSpace()));
            out.metricSnapshot(gauge("steward_disk_total_bytes", "Size of the file system STEWARD_HOME lives on",
                    labels, store.getTotalSpace()));
        } catch (IOException e) {
            // No reading this time: the two series are missing from this scrape.
        }
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }
}
