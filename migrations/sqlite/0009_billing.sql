-- Billing: editable drafts without a number yet, taxes per line, a discount, notes and
-- terms, net-N payment terms, the issuer's snapshot, payments (an invoice is paid in one
-- or more), partially paid invoices, void reasons, and numbering series.
--
-- SQLite cannot change a CHECK or make a column nullable in place, so `invoices` and its
-- lines are rebuilt. The lines are copied first into a table that refers to the new
-- invoices: dropping the old invoices then cascades into nothing, and renaming the new
-- table rewrites the lines' reference to it.

CREATE TABLE invoices_new (
    workspace_id text NOT NULL,
    id text NOT NULL,
    -- NULL on a draft that takes its number from the pattern when it is sent; the key is
    -- then '' (sorting after every number) and outside the unique index.
    number text,
    number_key text NOT NULL,
    client_id text NOT NULL,
    project_id text,
    currency text NOT NULL CHECK (length(currency) = 3),
    issue_date text,
    due_date text,
    net_days integer CHECK (net_days BETWEEN 0 AND 365),
    discount_kind text CHECK (discount_kind IN ('percent', 'amount')),
    discount_value integer CHECK (discount_value >= 0),
    notes text,
    terms text,
    status text NOT NULL CHECK (status IN ('draft', 'sent', 'partially_paid', 'paid', 'void')),
    billing_name text,
    billing_email text,
    billing_company text,
    billing_address text,
    issuer_name text,
    issuer_address text,
    issuer_payment_instructions text,
    void_reason text,
    total_minor integer NOT NULL DEFAULT 0,
    owed_minor integer NOT NULL DEFAULT 0,
    created_at integer NOT NULL,
    sent_at integer,
    paid_at integer,
    voided_at integer,
    CONSTRAINT invoices_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE RESTRICT,
    CHECK (status = 'draft' OR status = 'void' OR billing_name IS NOT NULL),
    CHECK (status = 'draft' OR number IS NOT NULL),
    CHECK ((number IS NULL) = (number_key = '')),
    CHECK ((discount_kind IS NULL) = (discount_value IS NULL))
);
INSERT INTO invoices_new (workspace_id, id, number, number_key, client_id, project_id, currency, due_date,
    status, billing_name, billing_email, billing_company, billing_address, created_at, sent_at, paid_at, voided_at,
    issue_date)
SELECT workspace_id, id, number, number_key, client_id, project_id, currency, due_date,
    status, billing_name, billing_email, billing_company, billing_address, created_at, sent_at, paid_at, voided_at,
    CASE WHEN sent_at IS NULL THEN NULL ELSE date(sent_at / 1000000, 'unixepoch') END
FROM invoices;

CREATE TABLE invoice_lines_new (
    workspace_id text NOT NULL,
    invoice_id text NOT NULL,
    position integer NOT NULL,
    description text NOT NULL,
    quantity_thousandths integer NOT NULL CHECK (quantity_thousandths > 0),
    unit_price_minor integer NOT NULL CHECK (unit_price_minor >= 0),
    tax_rate_thousandths integer NOT NULL DEFAULT 0 CHECK (tax_rate_thousandths BETWEEN 0 AND 100000),
    tax_name text,
    CONSTRAINT invoice_lines_pkey PRIMARY KEY (workspace_id, invoice_id, position),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices_new (workspace_id, id) ON DELETE CASCADE
);
INSERT INTO invoice_lines_new (workspace_id, invoice_id, position, description, quantity_thousandths, unit_price_minor)
SELECT workspace_id, invoice_id, position, description, quantity_thousandths, unit_price_minor FROM invoice_lines;

DROP TABLE invoice_lines;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
ALTER TABLE invoice_lines_new RENAME TO invoice_lines;
CREATE UNIQUE INDEX invoices_number_key ON invoices (workspace_id, number_key) WHERE number_key <> '';
CREATE INDEX invoices_by_client ON invoices (workspace_id, client_id);
CREATE INDEX invoices_by_project ON invoices (workspace_id, project_id);

-- Invoices sent before issuer snapshots existed were issued by the workspace under its
-- present name (nothing else about the issuer was kept then).
UPDATE invoices SET issuer_name = (SELECT w.name FROM workspaces w WHERE w.id = invoices.workspace_id)
WHERE sent_at IS NOT NULL;

-- The total and what is owed, kept for the list's filters and sums (the domain computes them on
-- every write): the lines' nets for invoices of before (no tax or discount then), nothing
-- owed on drafts and on paid and void ones.
UPDATE invoices SET total_minor = (SELECT COALESCE(sum((l.quantity_thousandths * l.unit_price_minor + 500) / 1000), 0)
    FROM invoice_lines l WHERE l.workspace_id = invoices.workspace_id AND l.invoice_id = invoices.id);
UPDATE invoices SET owed_minor = CASE WHEN status IN ('sent') THEN total_minor ELSE 0 END;

CREATE TABLE payments (
    workspace_id text NOT NULL,
    id text NOT NULL,
    invoice_id text NOT NULL,
    amount_minor integer NOT NULL CHECK (amount_minor > 0),
    paid_on text NOT NULL,
    method text NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'other')),
    reference text,
    recorded_at integer NOT NULL,
    CONSTRAINT payments_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX payments_by_invoice ON payments (workspace_id, invoice_id, recorded_at);

-- An invoice marked paid before payments existed was paid in full, on the day it was
-- marked: one payment of its total (the lines' nets, rounded half away from zero as
-- `Money::times` rounds; those invoices had no tax or discount), under the invoice's id.
INSERT INTO payments (workspace_id, id, invoice_id, amount_minor, paid_on, method, reference, recorded_at)
SELECT workspace_id, id, id, total, date(paid_at / 1000000, 'unixepoch'), 'other', NULL, paid_at
FROM (SELECT i.workspace_id, i.id, i.paid_at,
          (SELECT sum((l.quantity_thousandths * l.unit_price_minor + 500) / 1000) FROM invoice_lines l
           WHERE l.workspace_id = i.workspace_id AND l.invoice_id = i.id) AS total
      FROM invoices i WHERE i.status = 'paid') AS paid
WHERE total > 0;

-- The last sequence number taken in each numbering series (`INV-2026-`).
CREATE TABLE invoice_counters (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    series text NOT NULL,
    last integer NOT NULL CHECK (last > 0),
    CONSTRAINT invoice_counters_pkey PRIMARY KEY (workspace_id, series)
);
