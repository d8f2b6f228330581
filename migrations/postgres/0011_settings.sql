-- Workspace settings: the brand clients see (colour, logo, portal welcome, mail sender name)
-- and billing (the agency's address and payment instructions, the invoice number pattern,
-- the default currency, named tax rates, the reminder schedule, and how amounts are written). Defaults are
-- the values a workspace had before it could choose.

ALTER TABLE workspaces ADD COLUMN brand_colour text NOT NULL DEFAULT '#2456c9';
ALTER TABLE workspaces ADD COLUMN logo_kind text CHECK (logo_kind IN ('png', 'svg'));
ALTER TABLE workspaces ADD COLUMN logo_key text;
ALTER TABLE workspaces ADD COLUMN portal_welcome text;
ALTER TABLE workspaces ADD COLUMN sender_name text;
ALTER TABLE workspaces ADD COLUMN address text;
ALTER TABLE workspaces ADD COLUMN payment_instructions text;
ALTER TABLE workspaces ADD COLUMN invoice_number_pattern text NOT NULL DEFAULT 'INV-{YYYY}-{SEQ:4}';
ALTER TABLE workspaces ADD COLUMN default_currency text NOT NULL DEFAULT 'EUR';
ALTER TABLE workspaces ADD COLUMN tax_rates text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN reminder_days text NOT NULL DEFAULT '-3, 0, 7, 14';
ALTER TABLE workspaces ADD COLUMN locale text NOT NULL DEFAULT 'en-US';
