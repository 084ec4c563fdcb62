-- Router: where each call ran (offline, local or cloud) for the local/cloud share, and the response cache.

ALTER TABLE model_calls ADD COLUMN locality VARCHAR(10);

CREATE TABLE response_cache (
    cache_key  VARCHAR(64)  PRIMARY KEY,
    user_id    VARCHAR(32),
    model      VARCHAR(300) NOT NULL,
    response   TEXT         NOT NULL,
    created_at BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX response_cache_expires ON response_cache (expires_at);
