-- Scale-out: several steward serve nodes on one PostgreSQL. The tables exist on SQLite too (one schema history),
-- where a single process never writes them. Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, no AUTOINCREMENT.

-- The nodes serving this database, with their heartbeat; a node whose heartbeat is old is gone.
CREATE TABLE nodes (
    id             VARCHAR(64)  PRIMARY KEY,
    host           VARCHAR(255) NOT NULL,
    version        VARCHAR(64)  NOT NULL,
    schema_version VARCHAR(16)  NOT NULL,
    started_at     BIGINT       NOT NULL,
    heartbeat_at   BIGINT       NOT NULL,
    active_tasks   INTEGER      NOT NULL DEFAULT 0,
    draining       SMALLINT     NOT NULL DEFAULT 0
);

-- The memory change feed: every change a node makes to its search index, in commit order (seq is given under a
-- table lock, so a reader never sees seq N+1 before N). Other nodes apply what came after the last seq they saw.
CREATE TABLE memory_changes (
    seq        BIGINT       PRIMARY KEY,
    origin     VARCHAR(64)  NOT NULL,
    op         VARCHAR(16)  NOT NULL,
    user_id    VARCHAR(64)  NOT NULL,
    doc_id     VARCHAR(100),
    document   TEXT,
    created_at BIGINT       NOT NULL
);
CREATE INDEX memory_changes_user ON memory_changes (user_id, doc_id);
CREATE INDEX memory_changes_created ON memory_changes (created_at);

-- Budget windows counted in the database, so that reservations of every node together respect each limit:
-- a reservation is one conditional UPDATE (spent + reserved + estimate <= limit), never a read then a write.
CREATE TABLE budget_ledger (
    window_key      VARCHAR(300) PRIMARY KEY,
    limit_micros    BIGINT       NOT NULL,
    spent_micros    BIGINT       NOT NULL,
    reserved_micros BIGINT       NOT NULL DEFAULT 0,
    updated_at      BIGINT       NOT NULL
);

-- Other nodes' task events are relayed to this node's live streams by time.
CREATE INDEX task_events_created ON task_events (created_at);
