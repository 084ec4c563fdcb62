-- Memory, second round: relation details (the role in role_at), teams and their members (a team's shared memory
-- lives in the memory space 'team:NAME'), and the knowledge base of the user's own documents.
-- Portable SQL for SQLite and PostgreSQL: epoch-ms BIGINT, no AUTOINCREMENT.

-- What a relation says beyond its kind: the role of role_at ("CFO").
ALTER TABLE relations ADD COLUMN detail VARCHAR(200);

CREATE TABLE teams (
    name       VARCHAR(27) PRIMARY KEY,
    created_at BIGINT      NOT NULL
);

CREATE TABLE team_members (
    team_name VARCHAR(27) NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
    user_id   VARCHAR(32) NOT NULL,
    PRIMARY KEY (team_name, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- A document of the knowledge base: one file, as last read. user_id is the memory space it belongs to.
CREATE TABLE knowledge_documents (
    id          VARCHAR(32)   PRIMARY KEY,
    user_id     VARCHAR(32)   NOT NULL,
    path        VARCHAR(1000) NOT NULL,
    title       VARCHAR(500)  NOT NULL,
    modified_at BIGINT        NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    chunks      INTEGER       NOT NULL,
    indexed_at  BIGINT        NOT NULL
);
CREATE UNIQUE INDEX knowledge_documents_user_path ON knowledge_documents (user_id, path);

-- A section of a document, split at its headings: what search finds and answers cite.
CREATE TABLE knowledge_chunks (
    id          VARCHAR(40)  PRIMARY KEY,
    document_id VARCHAR(32)  NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
    user_id     VARCHAR(32)  NOT NULL,
    position    INTEGER      NOT NULL,
    section     VARCHAR(500) NOT NULL,
    body        TEXT         NOT NULL
);
CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id, position);
