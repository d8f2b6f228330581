-- Substring search over clients' name, email and company: an FTS5 index with the trigram
-- tokenizer, kept in step with the clients table by triggers, answers
-- `search_text LIKE '%needle%'` without scanning every client.
CREATE VIRTUAL TABLE client_search USING fts5 (
    search_text,
    content = 'clients',
    content_rowid = 'search_rowid',
    tokenize = 'trigram'
);

CREATE TRIGGER client_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_search (rowid, search_text) VALUES (new.search_rowid, new.search_text);
END;

CREATE TRIGGER client_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO client_search (client_search, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
END;

CREATE TRIGGER client_search_update AFTER UPDATE OF search_text ON clients BEGIN
    INSERT INTO client_search (client_search, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
    INSERT INTO client_search (rowid, search_text) VALUES (new.search_rowid, new.search_text);
END;

-- Index the clients that existed before this migration.
INSERT INTO client_search (client_search) VALUES ('rebuild');
