-- Rate-limit buckets shared by every node on PostgreSQL (request limits per user, key and login address; tool-call
-- limits per user), so that N nodes together allow a limit once, not N times. A row is one Bucket4j bucket: its
-- serialised state, read and written under the row's lock (SELECT … FOR UPDATE). Unused on SQLite.
CREATE TABLE rate_buckets (
    bucket_key VARCHAR(300) PRIMARY KEY,
    state      BYTEA,
    updated_at BIGINT       NOT NULL
);
CREATE INDEX rate_buckets_updated ON rate_buckets (updated_at);
