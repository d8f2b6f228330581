-- API tokens for programs using the JSON API (`Authorization: Bearer ...`). Like sessions,
-- only the hash of the secret is stored. A token acts as its staff member.
CREATE TABLE api_tokens (
    workspace_id text NOT NULL,
    id text NOT NULL,
    staff_id text NOT NULL,
    label text NOT NULL,
    hash blob NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
    created_at integer NOT NULL,
    last_used_at integer,
    revoked_at integer,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, staff_id) REFERENCES staff (workspace_id, id)
);
CREATE INDEX api_tokens_by_time ON api_tokens (workspace_id, created_at, id);
