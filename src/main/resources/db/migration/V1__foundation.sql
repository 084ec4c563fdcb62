-- Users, tasks, task events and model calls.
-- Written for SQLite and PostgreSQL alike: no AUTOINCREMENT, times in epoch milliseconds (BIGINT),
-- flags as SMALLINT 0/1, money in micro-dollars (BIGINT) so sums are exact.

CREATE TABLE users (
    id            VARCHAR(32)  PRIMARY KEY,
    name          VARCHAR(100) NOT NULL UNIQUE,
    role          VARCHAR(20)  NOT NULL,
    password_hash VARCHAR(200),
    created_at    BIGINT       NOT NULL
);

-- The person at the keyboard of a single-user install; the server issue adds real accounts.
INSERT INTO users (id, name, role, created_at) VALUES ('local', 'local', 'admin', 0);

CREATE TABLE tasks (
    id              VARCHAR(32) PRIMARY KEY,
    user_id         VARCHAR(32) NOT NULL REFERENCES users (id),
    conversation_id VARCHAR(32),
    status          VARCHAR(20) NOT NULL,
    intent          VARCHAR(20),
    input           TEXT        NOT NULL,
    answer          TEXT,
    error           TEXT,
    model           VARCHAR(200),
    tokens_in       BIGINT      NOT NULL DEFAULT 0,
    tokens_out      BIGINT      NOT NULL DEFAULT 0,
    cost_micros     BIGINT      NOT NULL DEFAULT 0,
    created_at      BIGINT      NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT
);
CREATE INDEX tasks_user_created ON tasks (user_id, created_at);
CREATE INDEX tasks_status ON tasks (status);

CREATE TABLE task_events (
    task_id    VARCHAR(32) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq        INTEGER     NOT NULL,
    type       VARCHAR(40) NOT NULL,
    role       VARCHAR(20),
    message    TEXT        NOT NULL,
    data       TEXT,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE model_calls (
    id            VARCHAR(32)  PRIMARY KEY,
    task_id       VARCHAR(32),
    user_id       VARCHAR(32)  NOT NULL,
    provider      VARCHAR(100) NOT NULL,
    model         VARCHAR(200) NOT NULL,
    route_reason  TEXT,
    fallback_path TEXT,
    tokens_in     BIGINT       NOT NULL DEFAULT 0,
    tokens_out    BIGINT       NOT NULL DEFAULT 0,
    cost_micros   BIGINT       NOT NULL DEFAULT 0,
    latency_ms    BIGINT       NOT NULL,
    ttft_ms       BIGINT,
    cache_hit     SMALLINT     NOT NULL DEFAULT 0,
    outcome       VARCHAR(20)  NOT NULL,
    error         TEXT,
    created_at    BIGINT       NOT NULL
);
CREATE INDEX model_calls_created ON model_calls (created_at);
CREATE INDEX model_calls_task ON model_calls (task_id);
