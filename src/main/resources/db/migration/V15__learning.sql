-- The learning loop: what users said of finished tasks, and the proposals Steward makes from its own history.

-- One rating per task and user; rating again replaces it (the newest opinion counts).
CREATE TABLE task_feedback (
    task_id    VARCHAR(32) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id    VARCHAR(32) NOT NULL,
    rating     VARCHAR(10) NOT NULL,
    comment    TEXT,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_feedback_created ON task_feedback (created_at);

-- A proposal is a typed change with its evidence and evaluation. proposal_key names what it is about (the same
-- broken model behind the same alias), so analysing twice does not propose the same thing twice. base is the
-- version of the configuration it was evaluated against; commit_id the configuration repository's commit that
-- applied it, and revert_id the one that rolled it back.
CREATE TABLE proposals (
    id           VARCHAR(32)  PRIMARY KEY,
    proposal_key VARCHAR(300) NOT NULL,
    kind         VARCHAR(20)  NOT NULL,
    title        TEXT         NOT NULL,
    user_id      VARCHAR(32),
    evidence     TEXT         NOT NULL,
    change_json  TEXT         NOT NULL,
    evaluation   TEXT,
    status       VARCHAR(20)  NOT NULL,
    base         VARCHAR(64),
    commit_id    VARCHAR(64),
    revert_id    VARCHAR(64),
    created_at   BIGINT       NOT NULL,
    decided_at   BIGINT,
    decided_by   VARCHAR(32)
);
CREATE INDEX proposals_status ON proposals (status, created_at);
CREATE INDEX proposals_key ON proposals (proposal_key);
