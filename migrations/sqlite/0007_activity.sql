-- Each workspace's notification defaults ('category=delivery' pairs; blank: the built-in
-- ones) and the hour of its daily digest.
ALTER TABLE workspaces ADD COLUMN client_notification_defaults text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN staff_notification_defaults text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN digest_hour integer NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23);

-- Activity events, the notices they become for each person told, and each person's
-- notification choices; notice mails in the outbox ('notice' gathered, 'digest' daily),
-- their lines kept in `notice_lines`.
CREATE TABLE activity (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    id text NOT NULL,
    project_id text,
    actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'client')),
    actor_id text NOT NULL,
    kind text NOT NULL,
    item_kind text NOT NULL,
    item_id text NOT NULL,
    at integer NOT NULL,
    CONSTRAINT activity_pkey PRIMARY KEY (workspace_id, id)
);
CREATE INDEX activity_by_time ON activity (workspace_id, at, id);

CREATE TABLE notifications (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    id text NOT NULL,
    activity_id text NOT NULL,
    recipient_kind text NOT NULL CHECK (recipient_kind IN ('staff', 'client')),
    recipient_id text NOT NULL,
    delivery text NOT NULL CHECK (delivery IN ('immediate', 'daily_digest')),
    due_at integer NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
    CONSTRAINT notifications_pkey PRIMARY KEY (workspace_id, id),
    CONSTRAINT notifications_activity_fkey FOREIGN KEY (workspace_id, activity_id) REFERENCES activity (workspace_id, id)
);
CREATE INDEX notifications_due ON notifications (due_at, id) WHERE state = 'pending';
CREATE INDEX notifications_by_recipient ON notifications (workspace_id, recipient_id, state);

CREATE TABLE notification_preferences (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    user_kind text NOT NULL CHECK (user_kind IN ('staff', 'client')),
    user_id text NOT NULL,
    chosen text NOT NULL,
    all_projects integer NOT NULL,
    CONSTRAINT notification_preferences_pkey PRIMARY KEY (workspace_id, user_kind, user_id)
);

-- SQLite cannot change a CHECK constraint in place: the outbox is rebuilt with the new kinds.
CREATE TABLE outbox_new (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    id text NOT NULL,
    about_kind text,
    about_id text,
    to_email text NOT NULL,
    to_name text NOT NULL,
    content_kind text NOT NULL CHECK (content_kind IN ('invitation', 'password_reset', 'email_changed', 'added_to_project', 'notice', 'digest')),
    sealed_link text,
    expires_at integer,
    old_email text,
    new_email text,
    project_id text,
    project_name text,
    notice_lines text,
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
        expires_at, old_email, new_email, project_id, project_name, state, lease_until, sent_at, reply,
        next_attempt_at, error, attempts, created_at)
    SELECT workspace_id, id, about_kind, about_id, to_email, to_name, content_kind, sealed_link, expires_at,
        old_email, new_email, project_id, project_name, state, lease_until, sent_at, reply, next_attempt_at,
        error, attempts, created_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_by_time ON outbox (workspace_id, created_at, id);
CREATE INDEX outbox_by_person ON outbox (workspace_id, about_id, created_at);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state IN ('queued', 'retrying', 'sending');
