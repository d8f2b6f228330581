-- The clients list can be read newest first: keyset pages over (created_at, id) within a
-- workspace, found through this index rather than by sorting every client.
CREATE INDEX clients_by_creation ON clients (workspace_id, created_at, id);
