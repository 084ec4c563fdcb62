-- Access: API keys (stored as SHA-256 of the key; the key itself is shown once) and the users' creation metadata.
-- Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, no AUTOINCREMENT.

CREATE TABLE api_keys (
    id           VARCHAR(32)  PRIMARY KEY,
    user_id      VARCHAR(32)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    hash         VARCHAR(64)  NOT NULL UNIQUE,
    prefix       VARCHAR(20)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- A removed user keeps their row (tasks, calls and audit rows name them) but can no longer log in.
ALTER TABLE users ADD COLUMN removed_at BIGINT;
