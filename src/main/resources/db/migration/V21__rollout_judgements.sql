-- Which task a rollout's call served, so that the Supervisor's verdicts on it and its user's rating count for the
-- arm that answered it (the quality gates).
ALTER TABLE rollout_calls ADD COLUMN task_id VARCHAR(64);
CREATE INDEX rollout_calls_task ON rollout_calls (task_id);

-- Supervisor verdicts (kind 'supervisor', one row each) and users' thumbs (kind 'feedback', one per task: a later
-- rating replaces it) of answers an arm gave.
CREATE TABLE rollout_judgements (
    id         VARCHAR(32)  PRIMARY KEY,
    rollout_id VARCHAR(32)  NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    arm        VARCHAR(20)  NOT NULL,
    task_id    VARCHAR(64)  NOT NULL,
    kind       VARCHAR(20)  NOT NULL,
    good       SMALLINT     NOT NULL,
    at         BIGINT       NOT NULL
);
CREATE INDEX rollout_judgements_rollout ON rollout_judgements (rollout_id, arm);
