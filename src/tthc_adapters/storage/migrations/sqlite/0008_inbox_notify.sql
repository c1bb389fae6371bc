-- tthc storage, version 8 (SQLite): nothing to do. PostgreSQL's version 8
-- makes accepted inbound events NOTIFY the inbox workers; SQLite has no such
-- channel between processes, so its workers keep polling (and the webhook
-- wakes a worker in its own process directly).
SELECT 1;
