-- Per-server settings, reader nominations with their history and edits, and seconds.
CREATE TABLE guild_settings (
    guild_id                 INTEGER PRIMARY KEY,
    nominations_channel_id   INTEGER,
    review_channel_id        INTEGER,
    poll_channel_id          INTEGER,
    moderator_role_id        INTEGER,
    max_open_nominations     INTEGER NOT NULL DEFAULT 3 CHECK (max_open_nominations BETWEEN 1 AND 25),
    cooldown_seconds         INTEGER NOT NULL DEFAULT 60 CHECK (cooldown_seconds BETWEEN 0 AND 86400),
    allow_listed_shows       INTEGER NOT NULL DEFAULT 1 CHECK (allow_listed_shows IN (0, 1)),
    show_titles_are_spoilers INTEGER NOT NULL DEFAULT 0 CHECK (show_titles_are_spoilers IN (0, 1)),
    updated_at               TEXT NOT NULL
) STRICT;

CREATE TABLE nominations (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    number         INTEGER NOT NULL,
    list_id        TEXT NOT NULL,
    author_id      INTEGER NOT NULL,
    show           TEXT NOT NULL,
    show_key       TEXT NOT NULL,
    moment         TEXT NOT NULL,
    moment_key     TEXT NOT NULL,
    episode        TEXT,
    what_happens   TEXT NOT NULL,
    why            TEXT NOT NULL,
    format         TEXT NOT NULL,
    represented_by TEXT,
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'merged')),
    merged_into    INTEGER REFERENCES nominations (id),
    seconds        INTEGER NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    channel_id     INTEGER,
    message_id     INTEGER,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (guild_id, number)
) STRICT;

-- One live nomination per moment and server: withdrawn and merged ones free their spelling.
CREATE UNIQUE INDEX nominations_one_per_moment
    ON nominations (guild_id, show_key, moment_key)
    WHERE status IN ('pending', 'approved', 'rejected');
CREATE INDEX nominations_by_author ON nominations (guild_id, author_id, created_at);
CREATE INDEX nominations_by_status ON nominations (guild_id, status, seconds DESC, number);

CREATE TABLE nomination_events (
    id            INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES nominations (id),
    status        TEXT NOT NULL,
    actor_id      INTEGER NOT NULL,
    reason        TEXT,
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX nomination_events_by_nomination ON nomination_events (nomination_id, id);

-- The text a nomination had before each edit.
CREATE TABLE nomination_edits (
    id            INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES nominations (id),
    editor_id     INTEGER NOT NULL,
    moment        TEXT NOT NULL,
    episode       TEXT,
    what_happens  TEXT NOT NULL,
    why           TEXT NOT NULL,
    edited_at     TEXT NOT NULL
) STRICT;

CREATE TABLE seconds (
    nomination_id INTEGER NOT NULL REFERENCES nominations (id),
    user_id       INTEGER NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (nomination_id, user_id)
) STRICT, WITHOUT ROWID;
