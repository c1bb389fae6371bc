-- tthc storage, version 7 (SQLite): the national-portal sync ledger (issue 17).
-- One row per (target, dossier) while a sync is pending or dead-lettered;
-- acknowledged progress-row ids; which dossiers a target holds; the alternate
-- national codes (allocated once, never regenerated) and their serials.

CREATE TABLE portal_sync_items (
    target             TEXT    NOT NULL,
    dossier            TEXT    NOT NULL,
    seq                INTEGER NOT NULL,
    changes            INTEGER NOT NULL,
    enqueued_at        TEXT    NOT NULL,
    next_at            TEXT    NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    state              TEXT    NOT NULL DEFAULT 'pending',
    last_error         TEXT    NOT NULL DEFAULT '',
    classifier_version TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (target, dossier)
);
CREATE INDEX portal_sync_items_due ON portal_sync_items (target, state, next_at, seq);
CREATE TABLE portal_acked_rows (
    target  TEXT NOT NULL,
    dossier TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    PRIMARY KEY (target, dossier, row_id)
);
CREATE TABLE portal_inserted (
    target  TEXT NOT NULL,
    dossier TEXT NOT NULL,
    PRIMARY KEY (target, dossier)
);
CREATE TABLE portal_alternate_codes (
    dossier TEXT PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE
);
CREATE TABLE portal_serials (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
);
