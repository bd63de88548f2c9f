-- Small facts the bot remembers between runs, such as the hash of the last command sync.
CREATE TABLE meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
