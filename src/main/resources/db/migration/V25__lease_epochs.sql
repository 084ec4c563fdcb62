-- Fencing tokens for task leases: every claim of a task adds one to its lease_epoch, and a run writes its task only
-- while the epoch is still the one its claim got (checked in the UPDATE itself). A node frozen longer than its lease
-- (a long pause, a cut-off network) can then no longer save a step of a task another node has taken over.
ALTER TABLE tasks ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0;
