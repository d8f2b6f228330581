-- One approval request at a time per item: a request is `answered` once any client answers
-- it, and while it is not, no second request about the same task or file can be stored, even
-- when two staff members ask at the same moment.
ALTER TABLE approvals ADD COLUMN answered integer NOT NULL DEFAULT 0;
UPDATE approvals SET answered = 1
    WHERE EXISTS (SELECT 1 FROM approval_answers a WHERE a.workspace_id = approvals.workspace_id AND a.approval_id = approvals.id);
CREATE UNIQUE INDEX approvals_pending_task_key ON approvals (workspace_id, task_id) WHERE task_id IS NOT NULL AND answered = 0;
CREATE UNIQUE INDEX approvals_pending_file_key ON approvals (workspace_id, file_id) WHERE file_id IS NOT NULL AND answered = 0;
