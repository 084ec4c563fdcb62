-- Rollouts: a routing alias moved from its model (the baseline) to a candidate through shadow, canary and ramp
-- phases, with gates that roll it back. Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, no AUTOINCREMENT.
-- One rollout per alias may be running or paused at a time; the rest are history.
CREATE TABLE rollouts (
    id               VARCHAR(32)  PRIMARY KEY,
    name             VARCHAR(100) NOT NULL UNIQUE,
    alias            VARCHAR(100) NOT NULL,
    baseline         VARCHAR(200) NOT NULL,
    candidate        VARCHAR(200) NOT NULL,
    plan             VARCHAR(500) NOT NULL,
    gates            TEXT         NOT NULL,
    state            VARCHAR(20)  NOT NULL,
    phase            INTEGER      NOT NULL,
    phase_started_at BIGINT       NOT NULL,
    reason           TEXT,
    owner            VARCHAR(100),
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);
CREATE INDEX rollouts_alias ON rollouts (alias, state);

-- One row per call to either arm during a rollout: what the gates and the status read (and a restart reloads).
CREATE TABLE rollout_calls (
    id          VARCHAR(32)  PRIMARY KEY,
    rollout_id  VARCHAR(32)  NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    arm         VARCHAR(20)  NOT NULL,
    phase       INTEGER      NOT NULL,
    shadow      SMALLINT     NOT NULL,
    ok          SMALLINT     NOT NULL,
    latency_ms  BIGINT       NOT NULL,
    cost_micros BIGINT       NOT NULL,
    agreement   DOUBLE PRECISION,
    error       TEXT,
    at          BIGINT       NOT NULL
);
CREATE INDEX rollout_calls_rollout ON rollout_calls (rollout_id, arm);

-- The timeline: started, phase changes, pauses, a gate that failed, promotion, and each notice to the owner.
CREATE TABLE rollout_events (
    id         VARCHAR(32)  PRIMARY KEY,
    rollout_id VARCHAR(32)  NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    kind       VARCHAR(20)  NOT NULL,
    message    TEXT         NOT NULL,
    at         BIGINT       NOT NULL
);
CREATE INDEX rollout_events_rollout ON rollout_events (rollout_id, at);

-- Feature flags: on, off, a sticky share of users, or a list of users; read per request.
CREATE TABLE feature_flags (
    name       VARCHAR(100) PRIMARY KEY,
    mode       VARCHAR(10)  NOT NULL,
    percent    INTEGER      NOT NULL,
    users      TEXT         NOT NULL,
    updated_at BIGINT       NOT NULL
);
