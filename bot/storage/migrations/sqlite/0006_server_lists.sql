-- A server's own lists, built by its moderators from approved nominations and ranked by polls.
-- Entries are kept in place order (#1 first); the first ``ranked_places`` are the countdown, the
-- rest honorable mentions. An entry's texts are a snapshot: editing or merging its nomination
-- later does not change the published list (its credits, read from the nomination, do follow).
CREATE TABLE server_lists (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    list_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    ranked_places INTEGER NOT NULL CHECK (ranked_places BETWEEN 1 AND 100),
    header        TEXT NOT NULL,  -- credit, spoiler warning and rules, as JSON
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (guild_id, list_id)
) STRICT;

CREATE TABLE server_list_entries (
    list_row      INTEGER NOT NULL REFERENCES server_lists (id) ON DELETE CASCADE,
    place         INTEGER NOT NULL CHECK (place BETWEEN 1 AND 100),
    entry_key     TEXT NOT NULL,
    show_key      TEXT NOT NULL,
    nomination_id INTEGER REFERENCES nominations (id),
    content       TEXT NOT NULL,  -- the entry's list-file fields, as JSON
    PRIMARY KEY (list_row, entry_key),
    UNIQUE (list_row, place),
    UNIQUE (list_row, show_key),
    UNIQUE (list_row, nomination_id)
) STRICT;
