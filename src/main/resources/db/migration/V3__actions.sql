-- Actions: approval requests and the hash-chained audit log.

CREATE TABLE approvals (
    id          VARCHAR(32)  PRIMARY KEY,
    token       VARCHAR(64)  NOT NULL,
    user_id     VARCHAR(32)  NOT NULL,
    role        VARCHAR(20),
    task_id     VARCHAR(32),
    tool        VARCHAR(200) NOT NULL,
    arguments   TEXT         NOT NULL,
    risk        VARCHAR(20)  NOT NULL,
    reason      TEXT,
    status      VARCHAR(20)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    decided_at  BIGINT,
    decided_by  VARCHAR(32),
    result      TEXT
);
CREATE INDEX approvals_status ON approvals (status, created_at);

-- Append-only: one row per tool call, approval decision, policy denial and configuration change. Each row
-- carries the SHA-256 of the previous row, so an edited, inserted or deleted row breaks the chain.
CREATE TABLE audit_log (
    seq         BIGINT       PRIMARY KEY,
    created_at  BIGINT       NOT NULL,
    user_id     VARCHAR(32)  NOT NULL,
    kind        VARCHAR(20)  NOT NULL,
    tool        VARCHAR(200),
    arguments   TEXT,
    outcome     VARCHAR(20)  NOT NULL,
    detail      TEXT,
    cost_micros BIGINT       NOT NULL DEFAULT 0,
    task_id     VARCHAR(32),
    approval_id VARCHAR(32),
    prev_hash   VARCHAR(64)  NOT NULL,
    hash        VARCHAR(64)  NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
