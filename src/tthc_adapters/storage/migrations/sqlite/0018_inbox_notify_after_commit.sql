-- tthc storage, version 18 (SQLite): nothing to do. PostgreSQL's version 18
-- lets the webhooks' acceptor notify the inbox workers after its commit
-- instead of inside it; SQLite has no notification channel (version 8).
SELECT 1;
