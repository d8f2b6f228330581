-- Invoice mail: the invoice mailed to its addressee ('invoice'), payment reminders
-- ('invoice_reminder', on a day of the workspace's schedule relative to the due date) and
-- payment receipts ('payment_receipt'); and the reminder each open invoice waits for.
--
-- SQLite cannot change a CHECK constraint in place: the outbox is rebuilt with the new kinds.

ALTER TABLE invoices ADD COLUMN next_reminder_on text;
ALTER TABLE invoices ADD COLUMN next_reminder_days integer;
CREATE INDEX invoices_by_next_reminder ON invoices (next_reminder_on)
    WHERE status IN ('sent', 'partially_paid') AND next_reminder_on IS NOT NULL;

CREATE TABLE outbox_new (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    id text NOT NULL,
    about_kind text,
    about_id text,
    to_email text NOT NULL,
    to_name text NOT NULL,
    content_kind text NOT NULL CHECK (content_kind IN ('invitation', 'password_reset', 'email_changed',
        'added_to_project', 'notice', 'digest', 'invoice', 'invoice_reminder', 'payment_receipt')),
    sealed_link text,
    expires_at integer,
    old_email text,
    new_email text,
    project_id text,
    project_name text,
    notice_lines text,
    invoice_id text,
    invoice_number text,
    reminder_days integer,
    payment_id text,
    state text NOT NULL CHECK (state IN ('queued', 'held', 'sending', 'sent', 'retrying', 'dead')),
    lease_until integer,
    sent_at integer,
    reply text,
    next_attempt_at integer,
    error text,
    attempts integer NOT NULL CHECK (attempts >= 0),
    created_at integer NOT NULL,
    CONSTRAINT outbox_pkey PRIMARY KEY (workspace_id, id)
);
INSERT INTO outbox_new (workspace_id, id, about_kind, about_id, to_email, to_name, content_kind, sealed_link,
        expires_at, old_email, new_email, project_id, project_name, notice_lines, state, lease_until, sent_at,
        reply, next_attempt_at, error, attempts, created_at)
    SELECT workspace_id, id, about_kind, about_id, to_email, to_name, content_kind, sealed_link, expires_at,
        old_email, new_email, project_id, project_name, notice_lines, state, lease_until, sent_at, reply,
        next_attempt_at, error, attempts, created_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_by_time ON outbox (workspace_id, created_at, id);
CREATE INDEX outbox_by_person ON outbox (workspace_id, about_id, created_at);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state IN ('queued', 'retrying', 'sending');
