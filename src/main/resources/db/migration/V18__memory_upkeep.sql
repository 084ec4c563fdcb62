-- Memory upkeep: every change `steward memory upkeep --apply` makes, with what it takes to put it back, so a run can
-- be undone (`--undo RUN`). Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT.
CREATE TABLE memory_upkeep (
    id         VARCHAR(32) PRIMARY KEY,
    run_id     VARCHAR(32) NOT NULL,
    user_id    VARCHAR(32) NOT NULL,
    kind       VARCHAR(20) NOT NULL,
    target_id  VARCHAR(40) NOT NULL,
    detail     TEXT        NOT NULL,
    applied_at BIGINT      NOT NULL,
    undone_at  BIGINT
);
CREATE INDEX memory_upkeep_run ON memory_upkeep (user_id, run_id);
