-- Each workspace's notification defaults ('category=delivery' pairs; blank: the built-in
-- ones) and the hour of its daily digest.
ALTER TABLE workspaces ADD COLUMN client_notification_defaults text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN staff_notification_defaults text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN digest_hour integer NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23);

-- Activity events, the notices they become for each person told, and each person's
-- notification choices; notice mails in the outbox ('notice' gathered, 'digest' daily),
-- their lines kept in `notice_lines`.
CREATE TABLE activity (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    project_id uuid,
    actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'client')),
    actor_id uuid NOT NULL,
    kind text NOT NULL,
    item_kind text NOT NULL,
    item_id uuid NOT NULL,
    at timestamptz NOT NULL,
    CONSTRAINT activity_pkey PRIMARY KEY (workspace_id, id)
);
CREATE INDEX activity_by_time ON activity (workspace_id, at, id);

CREATE TABLE notifications (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    activity_id uuid NOT NULL,
    recipient_kind text NOT NULL CHECK (recipient_kind IN ('staff', 'client')),
    recipient_id uuid NOT NULL,
    delivery text NOT NULL CHECK (delivery IN ('immediate', 'daily_digest')),
    due_at timestamptz NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
    CONSTRAINT notifications_pkey PRIMARY KEY (workspace_id, id),
    CONSTRAINT notifications_activity_fkey FOREIGN KEY (workspace_id, activity_id) REFERENCES activity (workspace_id, id)
);
CREATE INDEX notifications_due ON notifications (due_at, id) WHERE state = 'pending';
CREATE INDEX notifications_by_recipient ON notifications (workspace_id, recipient_id, state);

CREATE TABLE notification_preferences (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    user_kind text NOT NULL CHECK (user_kind IN ('staff', 'client')),
    user_id uuid NOT NULL,
    chosen text NOT NULL,
    all_projects boolean NOT NULL,
    CONSTRAINT notification_preferences_pkey PRIMARY KEY (workspace_id, user_kind, user_id)
);

ALTER TABLE outbox DROP CONSTRAINT outbox_content_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_content_kind_check
    CHECK (content_kind IN ('invitation', 'password_reset', 'email_changed', 'added_to_project', 'notice', 'digest'));
ALTER TABLE outbox ADD COLUMN notice_lines text;
