-- Link secrets in the outbox are kept only sealed (encrypted with the installation's key,
-- which is never in the database) and only while a mail may still need them. Secrets that
-- earlier versions kept in the clear are erased: those mails can no longer be sent or their
-- links copied, and staff resend the invitation (the links themselves keep working until
-- they expire, for whoever already has them).
ALTER TABLE outbox RENAME COLUMN token TO sealed_link;
UPDATE outbox SET sealed_link = NULL;
