-- Billing: editable drafts without a number yet, taxes per line, a discount, notes and
-- terms, net-N payment terms, the issuer's snapshot, payments (an invoice is paid in one
-- or more), partially paid invoices, void reasons, and numbering series.

-- A draft may take its number from the pattern when it is sent: NULL until then, with
-- the key '' (sorting after every number) outside the unique index.
ALTER TABLE invoices ALTER COLUMN number DROP NOT NULL;
ALTER TABLE invoices DROP CONSTRAINT invoices_number_key;
CREATE UNIQUE INDEX invoices_number_key ON invoices (workspace_id, number_key) WHERE number_key <> '';
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'sent', 'partially_paid', 'paid', 'void'));
ALTER TABLE invoices
    ADD COLUMN issue_date date,
    ADD COLUMN net_days integer CHECK (net_days BETWEEN 0 AND 365),
    ADD COLUMN discount_kind text CHECK (discount_kind IN ('percent', 'amount')),
    ADD COLUMN discount_value bigint CHECK (discount_value >= 0),
    ADD COLUMN notes text,
    ADD COLUMN terms text,
    ADD COLUMN issuer_name text,
    ADD COLUMN issuer_address text,
    ADD COLUMN issuer_payment_instructions text,
    ADD COLUMN void_reason text,
    ADD COLUMN total_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN owed_minor bigint NOT NULL DEFAULT 0,
    ADD CHECK (status = 'draft' OR number IS NOT NULL),
    ADD CHECK ((number IS NULL) = (number_key = '')),
    ADD CHECK ((discount_kind IS NULL) = (discount_value IS NULL));
UPDATE invoices SET issue_date = (sent_at AT TIME ZONE 'UTC')::date WHERE sent_at IS NOT NULL;

ALTER TABLE invoice_lines
    ADD COLUMN tax_rate_thousandths integer NOT NULL DEFAULT 0 CHECK (tax_rate_thousandths BETWEEN 0 AND 100000),
    ADD COLUMN tax_name text;

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
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    paid_on date NOT NULL,
    method text NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'other')),
    reference text,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT payments_pkey PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX payments_by_invoice ON payments (workspace_id, invoice_id, recorded_at);

-- An invoice marked paid before payments existed was paid in full, on the day it was
-- marked: one payment of its total (the lines' nets, rounded half away from zero as
-- `Money::times` rounds; those invoices had no tax or discount), under the invoice's id.
INSERT INTO payments (workspace_id, id, invoice_id, amount_minor, paid_on, method, reference, recorded_at)
SELECT workspace_id, id, id, total, (paid_at AT TIME ZONE 'UTC')::date, 'other', NULL, paid_at
FROM (SELECT i.workspace_id, i.id, i.paid_at,
          (SELECT sum((l.quantity_thousandths * l.unit_price_minor + 500) / 1000) FROM invoice_lines l
           WHERE l.workspace_id = i.workspace_id AND l.invoice_id = i.id) AS total
      FROM invoices i WHERE i.status = 'paid') AS paid
WHERE total > 0;

-- The last sequence number taken in each numbering series (`INV-2026-`).
CREATE TABLE invoice_counters (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    series text NOT NULL,
    last integer NOT NULL CHECK (last > 0),
    CONSTRAINT invoice_counters_pkey PRIMARY KEY (workspace_id, series)
);
