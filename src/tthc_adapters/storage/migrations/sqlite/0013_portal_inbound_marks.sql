-- tthc storage, version 13 (SQLite): the national portal's inbound mark (issue 17).
-- Per target, the mark up to which dossiers submitted on the portal were fetched,
-- stored in the inbox and acknowledged (it only advances once all three are done).

CREATE TABLE portal_inbound_marks (
    target TEXT PRIMARY KEY,
    mark   TEXT NOT NULL
);
