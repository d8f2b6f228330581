-- Substring search over clients' name, email and company, backed by a trigram index so that
-- `search_text LIKE '%needle%'` is an index scan at any size.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_search ON clients USING gin (search_text gin_trgm_ops);
