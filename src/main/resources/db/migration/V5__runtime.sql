-- Agent runtime: a task is a durable state machine. Its row holds what a restart needs to carry on: the plan, the
-- step it is on, the Supervisor's iteration, what it waits for (a question or an approval), and a checkpoint of the
-- run (the conversation with the model so far, the results of finished steps, a tool call in flight).
-- lease_until: the process running the task renews it; another process may take the task over once it lapses.
-- cancel_requested: set by whoever cancels (CLI, API, another process); the process running the task stops it.
ALTER TABLE tasks ADD COLUMN agent VARCHAR(100);
ALTER TABLE tasks ADD COLUMN plan TEXT;
ALTER TABLE tasks ADD COLUMN current_step INTEGER;
ALTER TABLE tasks ADD COLUMN iteration INTEGER;
ALTER TABLE tasks ADD COLUMN question TEXT;
ALTER TABLE tasks ADD COLUMN approval_id VARCHAR(32);
ALTER TABLE tasks ADD COLUMN checkpoint TEXT;
ALTER TABLE tasks ADD COLUMN runner_id VARCHAR(32);
ALTER TABLE tasks ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN cancel_requested SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX tasks_approval ON tasks (approval_id);
