-- How far each person has read their "what's new" feed: the newest event they marked read
-- (its time and id, the feed's order). Feeds of one project read events by project.
CREATE TABLE activity_reads (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    user_kind text NOT NULL CHECK (user_kind IN ('staff', 'client')),
    user_id uuid NOT NULL,
    up_to_at timestamptz NOT NULL,
    up_to_id uuid NOT NULL,
    CONSTRAINT activity_reads_pkey PRIMARY KEY (workspace_id, user_kind, user_id)
);
CREATE INDEX activity_by_project ON activity (workspace_id, project_id, at, id);
