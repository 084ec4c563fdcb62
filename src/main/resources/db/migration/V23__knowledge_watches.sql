-- Folders of the knowledge base that `steward serve` keeps up to date (knowledge add --watch): new, changed and
-- deleted files under them are followed without a `knowledge refresh`. user_id is the memory space (a user's id or
-- 'team:NAME') the folder's documents belong to. Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT.
CREATE TABLE knowledge_watches (
    user_id    VARCHAR(32)   NOT NULL,
    path       VARCHAR(1000) NOT NULL,
    created_at BIGINT        NOT NULL,
    PRIMARY KEY (user_id, path)
);
