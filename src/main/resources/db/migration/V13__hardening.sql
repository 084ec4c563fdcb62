-- Hardening: an approval requested after untrusted content entered a task keeps what that content was (a JSON
-- array of {tool, snippet}), so the approval card can show it. NULL for calls with nothing untrusted before them.
ALTER TABLE approvals ADD COLUMN untrusted TEXT;
