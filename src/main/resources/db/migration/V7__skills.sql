-- Skills: the state Steward keeps about each skill it knows (the files stay in their folders), and every run.
-- Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, SMALLINT flags.

-- One row per skill seen: the content hash it was last validated with (a different hash on disk means the skill
-- changed and is invalid until validated again), whether it is enabled, and whether its declared network use
-- was approved (once per skill, and again after any change).
CREATE TABLE skills (
    name              VARCHAR(64)  PRIMARY KEY,
    origin            VARCHAR(20)  NOT NULL,
    source            TEXT,
    hash              VARCHAR(64)  NOT NULL,
    enabled           SMALLINT     NOT NULL DEFAULT 1,
    network_approved  SMALLINT     NOT NULL DEFAULT 0,
    validated_at      BIGINT       NOT NULL,
    installed_at      BIGINT       NOT NULL
);

-- One row per run of a skill's script: what ran, for whom, how it ended.
CREATE TABLE skill_runs (
    id           VARCHAR(32)   PRIMARY KEY,
    skill        VARCHAR(64)   NOT NULL,
    script       VARCHAR(500)  NOT NULL,
    user_id      VARCHAR(32)   NOT NULL,
    task_id      VARCHAR(32),
    started_at   BIGINT        NOT NULL,
    duration_ms  BIGINT        NOT NULL,
    exit_code    INTEGER,
    ok           SMALLINT      NOT NULL,
    error        TEXT
);
CREATE INDEX skill_runs_skill ON skill_runs (skill, started_at);
