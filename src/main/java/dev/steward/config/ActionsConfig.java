package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tools and the gate every tool call passes: what is allowed, what needs approval, what is denied; approvals,
 * rate limits, and the limits of the built-in tools. Everything has a default; an empty section is a valid one.
 *
 * @param policy             decision per risk level (read, write, external, dangerous, paid); missing levels take the default
 * @param tools              decision per tool name; wins over the risk level
 * @param roles              decisions per user role and risk level; wins over {@code policy}, loses to {@code tools}
 * @param approvalTtlSeconds how long an approval request stays open (default 300); after that it counts as rejected
 * @param rateLimits         calls per minute per user and risk class
 * @param http               limits of http.fetch
 * @param shell              limits of shell.run
 * @param files              limits of files.*
 * @param databases          databases sql.query may use, by name
 */
public record ActionsConfig(
        Map<String, Decision> policy,
        Map<String, Decision> tools,
        Map<Role, Map<String, Decision>> roles,
        Integer approvalTtlSeconds,
        RateLimits rateLimits,
        Http http,
        Shell shell,
        Files files,
        Map<String, SqlDatabase> databases) {

    /** What the gate does with a call. */
    public enum Decision {
        ALLOW, APPROVE, DENY;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Defaults: read and write (confined to the workspace) allowed; dangerous and paid need approval. */
    public static final Map<String, Decision> DEFAULT_POLICY = Map.of(
            "read", Decision.ALLOW, "write", Decision.ALLOW, "external", Decision.ALLOW,
            "dangerous", Decision.APPROVE, "paid", Decision.APPROVE);
    /**
     * Deleting cannot be taken back by the tool itself, and a submitted web form sends the user's data away: both need
     * approval unless configured otherwise.
     */
    public static final Map<String, Decision> DEFAULT_TOOLS = Map.of("files.delete", Decision.APPROVE,
            "browser.submit_form", Decision.APPROVE);

    public record RateLimits(Integer perMinute, Integer dangerousPerMinute) {
        public RateLimits {
            perMinute = perMinute == null ? 100 : perMinute;
            dangerousPerMinute = dangerousPerMinute == null ? 5 : dangerousPerMinute;
        }
    }

    /**
     * @param allowPrivate   allow loopback, private, link-local and cloud-metadata addresses (default false)
     * @param allowHosts     host names allowed even when they resolve to such addresses
     * @param timeoutSeconds per request (default 20)
     * @param maxBytes       the most of a body that is read (default 2 MB)
     * @param maxRedirects   default 5
     */
    public record Http(Boolean allowPrivate, List<String> allowHosts, Integer timeoutSeconds, Integer maxBytes,
                       Integer maxRedirects) {
        public Http {
            allowPrivate = allowPrivate != null && allowPrivate;
            allowHosts = allowHosts == null ? List.of() : List.copyOf(allowHosts);
            timeoutSeconds = timeoutSeconds == null ? 20 : timeoutSeconds;
            maxBytes = maxBytes == null ? 2_000_000 : maxBytes;
            maxRedirects = maxRedirects == null ? 5 : maxRedirects;
        }
    }

    /**
     * @param network            give the sandbox the host's network (default false: none at all)
     * @param timeoutSeconds     default wall time of a command (default 30)
     * @param maxTimeoutSeconds  the most a call may ask for (default 300)
     * @param memoryMb           address-space limit (default 1024)
     * @param maxProcesses       processes at once (default 64)
     * @param maxOutputBytes     stdout and stderr are each cut here, with a marker (default 100000)
     */
    public record Shell(Boolean network, Integer timeoutSeconds, Integer maxTimeoutSeconds, Integer memoryMb,
                        Integer maxProcesses, Integer maxOutputBytes) {
        public Shell {
            network = network != null && network;
            timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
            maxTimeoutSeconds = maxTimeoutSeconds == null ? 300 : maxTimeoutSeconds;
            memoryMb = memoryMb == null ? 1024 : memoryMb;
            maxProcesses = maxProcesses == null ? 64 : maxProcesses;
            maxOutputBytes = maxOutputBytes == null ? 100_000 : maxOutputBytes;
        }
    }

    /** @param maxBytes the largest file files.* read or write (default 10 MB) */
    public record Files(Integer maxBytes) {
        public Files {
            maxBytes = maxBytes == null ? 10_000_000 : maxBytes;
        }
    }

    /**
     * @param url            a SQLite or PostgreSQL JDBC URL
     * @param user           PostgreSQL user
     * @param password       PostgreSQL password, or ${NAME}
     * @param allowWrite     writing statements may run (after approval); default false: the database is opened read-only
     * @param maxRows        rows returned at most (default 500)
     * @param timeoutSeconds per statement (default 30)
     */
    public record SqlDatabase(String url, String user, String password, Boolean allowWrite, Integer maxRows,
                              Integer timeoutSeconds) {
        public SqlDatabase {
            allowWrite = allowWrite != null && allowWrite;
            maxRows = maxRows == null ? 500 : maxRows;
            timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
        }
    }

    public ActionsConfig {
        Map<String, Decision> merged = new LinkedHashMap<>(DEFAULT_POLICY);
        if (policy != null) {
            merged.putAll(policy);
        }
        policy = Map.copyOf(merged);
        Map<String, Decision> byTool = new LinkedHashMap<>(DEFAULT_TOOLS);
        if (tools != null) {
            byTool.putAll(tools);
        }
        tools = Map.copyOf(byTool);
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        approvalTtlSeconds = approvalTtlSeconds == null ? 300 : approvalTtlSeconds;
        rateLimits = rateLimits == null ? new RateLimits(null, null) : rateLimits;
        http = http == null ? new Http(null, null, null, null, null) : http;
        shell = shell == null ? new Shell(null, null, null, null, null, null) : shell;
        files = files == null ? new Files(null) : files;
        databases = databases == null ? Map.of() : Map.copyOf(databases);
    }

    public static ActionsConfig defaults() {
        return new ActionsConfig(null, null, null, null, null, null, null, null, null);
    }

    /** The decision for a call: the tool's own entry, else the role's for the risk, else the policy's. */
    public Decision decide(String tool, String risk, Role role) {
        Decision forTool = tools.get(tool);
        if (forTool != null) {
            return forTool;
        }
        Decision forRole = role == null ? null : roles.getOrDefault(role, Map.of()).get(risk);
        if (forRole != null) {
            return forRole;
        }
        return policy.getOrDefault(risk, Decision.APPROVE);
    }
}
