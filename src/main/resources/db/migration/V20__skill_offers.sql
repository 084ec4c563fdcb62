-- "Automate this?": successful tasks remembered by their shape (intent and the sequence of tools with their argument
-- names), and the offers to save a shape as a skill. Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT.

-- One row per successful multi-step task a user started: its shape, the user's words and the tool calls it made
-- (JSON: tool, arguments, whether untrusted content had entered the task before the call).
CREATE TABLE skill_offer_samples (
    task_id     VARCHAR(32)  PRIMARY KEY,
    user_id     VARCHAR(32)  NOT NULL,
    shape       VARCHAR(64)  NOT NULL,
    request     TEXT         NOT NULL,
    calls       TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX skill_offer_samples_shape ON skill_offer_samples (user_id, shape, created_at);

-- At most one offer per user and shape: once offered, a shape is not offered again unless its approval expired
-- unanswered. The draft's files live in STEWARD_HOME/cache/skill-drafts/ID/NAME until installed.
CREATE TABLE skill_offers (
    id           VARCHAR(32)  PRIMARY KEY,
    user_id      VARCHAR(32)  NOT NULL,
    shape        VARCHAR(64)  NOT NULL,
    name         VARCHAR(64)  NOT NULL,
    approval_id  VARCHAR(32),
    status       VARCHAR(20)  NOT NULL,
    detail       TEXT,
    created_at   BIGINT       NOT NULL,
    UNIQUE (user_id, shape)
);
