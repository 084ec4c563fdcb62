-- Memory: facts with their history, entities and relations, episodes, core blocks, per-user settings, pending
-- contradictions, and the documents of the plain SQL search (until the search index replaces it).
-- Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, no AUTOINCREMENT, SMALLINT flags.

-- A fact is one version: changing it closes this row (valid_to) and opens a new one; nothing is overwritten.
CREATE TABLE facts (
    id               VARCHAR(32)      PRIMARY KEY,
    user_id          VARCHAR(32)      NOT NULL,
    subject          VARCHAR(200)     NOT NULL,
    subject_key      VARCHAR(200)     NOT NULL,
    attribute        VARCHAR(200)     NOT NULL,
    fact_value       TEXT             NOT NULL,
    category         VARCHAR(20)      NOT NULL,
    confidence       DOUBLE PRECISION NOT NULL,
    source           VARCHAR(20)      NOT NULL,
    source_ref       VARCHAR(64),
    valid_from       BIGINT           NOT NULL,
    valid_to         BIGINT,
    superseded_by    VARCHAR(32),
    created_at       BIGINT           NOT NULL,
    last_accessed_at BIGINT           NOT NULL,
    access_count     INTEGER          NOT NULL DEFAULT 0
);
CREATE INDEX facts_user_key ON facts (user_id, subject_key, attribute);
CREATE INDEX facts_user_accessed ON facts (user_id, last_accessed_at);

CREATE TABLE entities (
    id          VARCHAR(32)  PRIMARY KEY,
    user_id     VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    name_key    VARCHAR(200) NOT NULL,
    entity_type VARCHAR(20)  NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE UNIQUE INDEX entities_user_name ON entities (user_id, name_key);

CREATE TABLE entity_aliases (
    entity_id VARCHAR(32)  NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    user_id   VARCHAR(32)  NOT NULL,
    alias     VARCHAR(200) NOT NULL,
    alias_key VARCHAR(200) NOT NULL,
    PRIMARY KEY (entity_id, alias_key)
);
CREATE INDEX entity_aliases_user_key ON entity_aliases (user_id, alias_key);

CREATE TABLE relations (
    id          VARCHAR(32) PRIMARY KEY,
    user_id     VARCHAR(32) NOT NULL,
    from_entity VARCHAR(32) NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    relation    VARCHAR(40) NOT NULL,
    to_entity   VARCHAR(32) NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    valid_from  BIGINT      NOT NULL,
    valid_to    BIGINT,
    created_at  BIGINT      NOT NULL
);
CREATE INDEX relations_user ON relations (user_id, from_entity);

-- Every finished exchange or task, as it was stored after the privacy filter.
CREATE TABLE episodes (
    id         VARCHAR(32) PRIMARY KEY,
    user_id    VARCHAR(32) NOT NULL,
    kind       VARCHAR(20) NOT NULL,
    task_id    VARCHAR(32),
    input      TEXT        NOT NULL,
    answer     TEXT,
    created_at BIGINT      NOT NULL
);
CREATE INDEX episodes_user_created ON episodes (user_id, created_at);

-- Always in context and editable: persona (who Steward is for this user) and human (who the user is).
CREATE TABLE core_blocks (
    user_id    VARCHAR(32) NOT NULL,
    name       VARCHAR(40) NOT NULL,
    body       TEXT        NOT NULL,
    updated_at BIGINT      NOT NULL,
    PRIMARY KEY (user_id, name)
);

CREATE TABLE memory_settings (
    user_id            VARCHAR(32)  PRIMARY KEY,
    enabled            SMALLINT     NOT NULL DEFAULT 1,
    blocked_categories VARCHAR(200) NOT NULL DEFAULT '',
    expiry_days        INTEGER      NOT NULL DEFAULT 180,
    updated_at         BIGINT       NOT NULL
);

-- A statement that contradicts a stored fact waits here until the user says which is right.
CREATE TABLE fact_contradictions (
    id          VARCHAR(32)      PRIMARY KEY,
    user_id     VARCHAR(32)      NOT NULL,
    fact_id     VARCHAR(32)      NOT NULL,
    subject     VARCHAR(200)     NOT NULL,
    attribute   VARCHAR(200)     NOT NULL,
    fact_value  TEXT             NOT NULL,
    category    VARCHAR(20)      NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    statement   TEXT             NOT NULL,
    status      VARCHAR(20)      NOT NULL,
    created_at  BIGINT           NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX fact_contradictions_user ON fact_contradictions (user_id, status);

-- The documents of SqlMemorySearch, the plain LIKE search used until the search index lands.
CREATE TABLE memory_documents (
    user_id     VARCHAR(32)      NOT NULL,
    id          VARCHAR(64)      NOT NULL,
    kind        VARCHAR(20)      NOT NULL,
    category    VARCHAR(20),
    body        TEXT             NOT NULL,
    body_lower  TEXT             NOT NULL,
    source_refs TEXT             NOT NULL,
    happened_at BIGINT           NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (user_id, id)
);
