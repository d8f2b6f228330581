-- Portico core schema (PostgreSQL).
--
-- Every table carries workspace_id, and every primary key, foreign key and index leads with it:
-- queries always filter by workspace, and a Citus deployment can distribute every table by it.
-- Constraints enforce what must never break whatever the code does: one address per person,
-- one number per invoice, one current assignment per client and project, checked statuses,
-- and content that can never lose the person it is attributed to.

CREATE TABLE workspaces (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    notify_clients_on_assignment boolean NOT NULL,
    created_at timestamptz NOT NULL
);

-- Everyone who can log in or author content: clients and staff share one address space.
-- Deleted clients keep a unique placeholder address, so the plain unique key frees the real one.
CREATE TABLE users (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    kind text NOT NULL CONSTRAINT users_kind_check CHECK (kind IN ('client', 'staff')),
    email text NOT NULL,
    email_key text NOT NULL,
    password_hash text,
    CONSTRAINT users_pkey PRIMARY KEY (workspace_id, id),
    CONSTRAINT users_kind_key UNIQUE (workspace_id, id, kind),
    CONSTRAINT users_email_key UNIQUE (workspace_id, email_key)
);

CREATE TABLE staff (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL DEFAULT 'staff' CHECK (kind = 'staff'),
    name text NOT NULL,
    name_key text COLLATE "C" NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'member')),
    active boolean NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT staff_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, id, kind) REFERENCES users (workspace_id, id, kind)
);

CREATE TABLE clients (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL DEFAULT 'client' CHECK (kind = 'client'),
    name text NOT NULL,
    name_key text COLLATE "C" NOT NULL,
    company text,
    company_key text,
    phone text,
    billing_address text,
    notes text,
    permissions text NOT NULL,
    status text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated', 'deleted')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    invited_at timestamptz,
    accepted_at timestamptz,
    last_login_at timestamptz,
    -- Lower-cased name, email and company: what client search looks in.
    search_text text NOT NULL,
    CONSTRAINT clients_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, id, kind) REFERENCES users (workspace_id, id, kind)
);
CREATE INDEX clients_by_name ON clients (workspace_id, name_key, id);
CREATE INDEX clients_by_company ON clients (workspace_id, company_key, name_key, id);

CREATE TABLE projects (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    name text NOT NULL,
    name_key text COLLATE "C" NOT NULL,
    description text,
    deadline date,
    status text NOT NULL CHECK (status IN ('active', 'archived')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (workspace_id, id)
);
CREATE INDEX projects_by_name ON projects (workspace_id, name_key, id);

-- Assignments are ended, never deleted: the history of who could see what.
CREATE TABLE assignments (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    client_id uuid NOT NULL,
    scope text,
    started_at timestamptz NOT NULL,
    started_by uuid,
    ended_at timestamptz,
    ended_by uuid,
    CONSTRAINT assignments_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id) ON DELETE RESTRICT,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX assignments_current_key ON assignments (workspace_id, project_id, client_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_by_client ON assignments (workspace_id, client_id, started_at, id);

CREATE TABLE memberships (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    started_at timestamptz NOT NULL,
    started_by uuid,
    ended_at timestamptz,
    ended_by uuid,
    CONSTRAINT memberships_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, staff_id) REFERENCES staff (workspace_id, id) ON DELETE RESTRICT,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX memberships_current_key ON memberships (workspace_id, project_id, staff_id) WHERE ended_at IS NULL;
CREATE INDEX memberships_by_staff ON memberships (workspace_id, staff_id) WHERE ended_at IS NULL;

CREATE TABLE tasks (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    title text NOT NULL,
    description text,
    state text NOT NULL CHECK (state IN ('open', 'in_progress', 'done')),
    due_date date,
    assignee uuid,
    visibility text NOT NULL CHECK (visibility IN ('internal', 'client')),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT tasks_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, assignee) REFERENCES staff (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, created_by) REFERENCES staff (workspace_id, id) ON DELETE RESTRICT
);
CREATE INDEX tasks_by_project ON tasks (workspace_id, project_id, created_at, id);

CREATE TABLE files (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    name text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    storage_key text NOT NULL,
    uploaded_by_kind text NOT NULL,
    uploaded_by uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('internal', 'client')),
    created_at timestamptz NOT NULL,
    CONSTRAINT files_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, uploaded_by, uploaded_by_kind) REFERENCES users (workspace_id, id, kind) ON DELETE RESTRICT,
    CHECK (uploaded_by_kind = 'staff' OR visibility = 'client')
);
CREATE INDEX files_by_project ON files (workspace_id, project_id, created_at, id);

CREATE TABLE messages (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    task_id uuid,
    author_kind text NOT NULL,
    author_id uuid NOT NULL,
    body text NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('internal', 'client')),
    created_at timestamptz NOT NULL,
    CONSTRAINT messages_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, task_id) REFERENCES tasks (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, author_id, author_kind) REFERENCES users (workspace_id, id, kind) ON DELETE RESTRICT,
    CHECK (author_kind = 'staff' OR visibility = 'client')
);
CREATE INDEX messages_by_project ON messages (workspace_id, project_id, created_at, id);

CREATE TABLE approvals (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    task_id uuid,
    file_id uuid,
    requested_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT approvals_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, task_id) REFERENCES tasks (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, file_id) REFERENCES files (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, requested_by) REFERENCES staff (workspace_id, id) ON DELETE RESTRICT,
    CHECK ((task_id IS NULL) <> (file_id IS NULL))
);
CREATE INDEX approvals_by_project ON approvals (workspace_id, project_id, created_at, id);

-- Every answer is kept, never replaced.
CREATE TABLE approval_answers (
    workspace_id uuid NOT NULL,
    approval_id uuid NOT NULL,
    client_id uuid NOT NULL,
    decision text NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment text,
    answered_at timestamptz NOT NULL,
    CONSTRAINT approval_answers_pkey PRIMARY KEY (workspace_id, approval_id, client_id, answered_at),
    FOREIGN KEY (workspace_id, approval_id) REFERENCES approvals (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id) ON DELETE RESTRICT
);

CREATE TABLE invoices (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    number text NOT NULL,
    number_key text COLLATE "C" NOT NULL,
    client_id uuid NOT NULL,
    project_id uuid,
    currency text NOT NULL CHECK (length(currency) = 3),
    due_date date,
    status text NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'void')),
    billing_name text,
    billing_email text,
    billing_company text,
    billing_address text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    paid_at timestamptz,
    voided_at timestamptz,
    CONSTRAINT invoices_pkey PRIMARY KEY (workspace_id, id),
    CONSTRAINT invoices_number_key UNIQUE (workspace_id, number_key),
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    CHECK (status = 'draft' OR status = 'void' OR billing_name IS NOT NULL)
);
CREATE INDEX invoices_by_client ON invoices (workspace_id, client_id);
CREATE INDEX invoices_by_project ON invoices (workspace_id, project_id);

CREATE TABLE invoice_lines (
    workspace_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    position integer NOT NULL,
    description text NOT NULL,
    quantity_thousandths bigint NOT NULL CHECK (quantity_thousandths > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    CONSTRAINT invoice_lines_pkey PRIMARY KEY (workspace_id, invoice_id, position),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id) ON DELETE CASCADE
);

-- The audit trail outlives what it describes: no foreign keys to the subjects.
CREATE TABLE audit_events (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'client', 'system')),
    actor_id uuid,
    subject_kind text NOT NULL,
    subject_id uuid,
    related_kind text,
    related_id uuid,
    action text NOT NULL,
    CONSTRAINT audit_events_pkey PRIMARY KEY (workspace_id, id)
);
CREATE INDEX audit_events_by_subject ON audit_events (workspace_id, subject_id, at);
CREATE INDEX audit_events_by_related ON audit_events (workspace_id, related_id, at);

CREATE TABLE audit_changes (
    workspace_id uuid NOT NULL,
    event_id uuid NOT NULL,
    position integer NOT NULL,
    field text NOT NULL,
    before text,
    after text,
    personal boolean NOT NULL,
    CONSTRAINT audit_changes_pkey PRIMARY KEY (workspace_id, event_id, position),
    FOREIGN KEY (workspace_id, event_id) REFERENCES audit_events (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE outbox (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    about_kind text,
    about_id uuid,
    to_email text NOT NULL,
    to_name text NOT NULL,
    content_kind text NOT NULL CHECK (content_kind IN ('invitation', 'password_reset', 'email_changed', 'added_to_project')),
    token text,
    expires_at timestamptz,
    old_email text,
    new_email text,
    project_id uuid,
    project_name text,
    state text NOT NULL CHECK (state IN ('queued', 'held', 'sending', 'sent', 'retrying', 'dead')),
    lease_until timestamptz,
    sent_at timestamptz,
    reply text,
    next_attempt_at timestamptz,
    error text,
    attempts integer NOT NULL CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    CONSTRAINT outbox_pkey PRIMARY KEY (workspace_id, id)
);
CREATE INDEX outbox_by_time ON outbox (workspace_id, created_at, id);
CREATE INDEX outbox_by_person ON outbox (workspace_id, about_id, created_at);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state IN ('queued', 'retrying', 'sending');

CREATE TABLE tokens (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    user_kind text NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    hash bytea NOT NULL CONSTRAINT tokens_hash_key UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT tokens_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id, user_kind) REFERENCES users (workspace_id, id, kind) ON DELETE CASCADE
);
CREATE INDEX tokens_by_user ON tokens (workspace_id, user_id);

CREATE TABLE sessions (
    workspace_id uuid NOT NULL,
    hash bytea NOT NULL CONSTRAINT sessions_hash_key UNIQUE,
    user_id uuid NOT NULL,
    user_kind text NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (workspace_id, hash),
    FOREIGN KEY (workspace_id, user_id, user_kind) REFERENCES users (workspace_id, id, kind) ON DELETE CASCADE
);
CREATE INDEX sessions_by_user ON sessions (workspace_id, user_id);
