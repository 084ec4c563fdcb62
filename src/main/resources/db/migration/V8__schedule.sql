-- Autonomy: schedules, crews, signed webhooks and notifications. The same SQL runs on SQLite and PostgreSQL.

-- Where each task came from: cli, api, schedule:NAME, webhook:NAME, crew:NAME (older rows: unknown).
ALTER TABLE tasks ADD COLUMN source VARCHAR(200);
CREATE INDEX tasks_source ON tasks (source, created_at);

-- A schedule: a task to start on a cron. origin says who wrote it (cli, config, bundled): steward.yaml's schedules
-- are written back on start, the CLI's stay until removed. running_until is the claim of the process running it now
-- (0: nobody): a run from the CLI and one from serve never overlap.
CREATE TABLE schedules (
    name          VARCHAR(100) PRIMARY KEY,
    cron          VARCHAR(200) NOT NULL,
    zone          VARCHAR(100) NOT NULL,
    task          TEXT NOT NULL,
    agent         VARCHAR(100),
    user_id       VARCHAR(32) NOT NULL,
    notify        SMALLINT NOT NULL DEFAULT 0,
    paused        SMALLINT NOT NULL DEFAULT 0,
    origin        VARCHAR(20) NOT NULL,
    created_at    BIGINT NOT NULL,
    running_until BIGINT NOT NULL DEFAULT 0
);

-- Every run of a schedule, a crew or a webhook: what started it, its task and how it ended.
CREATE TABLE automation_runs (
    id          VARCHAR(32) PRIMARY KEY,
    kind        VARCHAR(20) NOT NULL,
    name        VARCHAR(100) NOT NULL,
    trigger_by  VARCHAR(20) NOT NULL,
    task_id     VARCHAR(32),
    status      VARCHAR(30) NOT NULL,
    summary     TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX automation_runs_name ON automation_runs (kind, name, started_at);
CREATE INDEX automation_runs_started ON automation_runs (started_at);

-- A webhook: POST /hooks/NAME starts a task from the template. Its signing secret is in the encrypted secret store
-- (hook.NAME, behind HookSecrets); the secret column stays empty.
CREATE TABLE hooks (
    name       VARCHAR(100) PRIMARY KEY,
    task       TEXT NOT NULL,
    agent      VARCHAR(100),
    user_id    VARCHAR(32) NOT NULL,
    secret     VARCHAR(200) NOT NULL,
    created_at BIGINT NOT NULL
);
-- Delivery ids seen, so that a replayed delivery is refused.
CREATE TABLE hook_deliveries (
    hook        VARCHAR(100) NOT NULL,
    delivery_id VARCHAR(200) NOT NULL,
    task_id     VARCHAR(32),
    received_at BIGINT NOT NULL,
    PRIMARY KEY (hook, delivery_id)
);

-- A user's inbox, and the state of each notification's delivery to the configured channels.
CREATE TABLE notifications (
    id         VARCHAR(32) PRIMARY KEY,
    user_id    VARCHAR(32) NOT NULL,
    kind       VARCHAR(40) NOT NULL,
    title      VARCHAR(500) NOT NULL,
    body       TEXT,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE TABLE notification_deliveries (
    notification_id VARCHAR(32) NOT NULL,
    channel         VARCHAR(40) NOT NULL,
    status          VARCHAR(20) NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    PRIMARY KEY (notification_id, channel)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);

-- db-scheduler's table (its PostgreSQL schema; SQLite takes the same types by affinity). One row per schedule: when
-- it is next due, and which node has picked it.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(100),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INTEGER,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
