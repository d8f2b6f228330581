-- Invoice mail: the invoice mailed to its addressee ('invoice'), payment reminders
-- ('invoice_reminder', on a day of the workspace's schedule relative to the due date) and
-- payment receipts ('payment_receipt'); and the reminder each open invoice waits for.

ALTER TABLE invoices ADD COLUMN next_reminder_on date;
ALTER TABLE invoices ADD COLUMN next_reminder_days integer;
CREATE INDEX invoices_by_next_reminder ON invoices (next_reminder_on)
    WHERE status IN ('sent', 'partially_paid') AND next_reminder_on IS NOT NULL;

ALTER TABLE outbox DROP CONSTRAINT outbox_content_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_content_kind_check
    CHECK (content_kind IN ('invitation', 'password_reset', 'email_changed', 'added_to_project', 'notice', 'digest',
        'invoice', 'invoice_reminder', 'payment_receipt'));
ALTER TABLE outbox ADD COLUMN invoice_id uuid;
ALTER TABLE outbox ADD COLUMN invoice_number text;
ALTER TABLE outbox ADD COLUMN reminder_days integer;
ALTER TABLE outbox ADD COLUMN payment_id uuid;
