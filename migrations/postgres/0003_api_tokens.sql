-- API tokens for programs using the JSON API (`Authorization: Bearer ...`). Like sessions,
-- only the hash of the secret is stored. A token acts as its staff member.
CREATE TABLE api_tokens (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    staff_id uuid NOT NULL,
    label text NOT NULL,
    hash bytea NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, staff_id) REFERENCES staff (workspace_id, id)
);
CREATE INDEX api_tokens_by_time ON api_tokens (workspace_id, created_at, id);
