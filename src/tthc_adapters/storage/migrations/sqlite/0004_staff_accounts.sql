-- tthc storage, version 4 (SQLite): staff accounts and the officer behind each event.

-- The officials' desk accounts (tthc_core.accounts). The password is stored
-- only as an argon2 hash.
CREATE TABLE staff_accounts (
    username       TEXT    PRIMARY KEY,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    unit           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    active         INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- The officer (user name) whose action produced an event; NULL for events of
-- the citizen, the post or the system.
ALTER TABLE events ADD COLUMN actor TEXT;
