-- Community polls: options, one ballot per member, and counters kept in step with the ballots so
-- that a tally never scans the ballots.
CREATE TABLE polls (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER,
    kind          TEXT NOT NULL CHECK (kind IN ('honorable', 'nominations', 'custom')),
    list_id       TEXT,
    question      TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('single', 'approval', 'ranked')),
    max_choices   INTEGER NOT NULL CHECK (max_choices BETWEEN 1 AND 25),
    hide_results  INTEGER NOT NULL CHECK (hide_results IN (0, 1)),
    anonymous     INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    role_id       INTEGER,
    creator_id    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    closes_at     TEXT NOT NULL,
    closed_at     TEXT,
    ballots       INTEGER NOT NULL DEFAULT 0 CHECK (ballots >= 0),
    results_message_id INTEGER
) STRICT;
CREATE INDEX polls_open_by_deadline ON polls (closes_at) WHERE closed_at IS NULL;
CREATE INDEX polls_by_guild ON polls (guild_id, id);

CREATE TABLE poll_options (
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    idx     INTEGER NOT NULL,
    label   TEXT NOT NULL,
    ref     TEXT,
    votes   INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),  -- choices (approval) or first preferences
    PRIMARY KEY (poll_id, idx)
) STRICT, WITHOUT ROWID;

-- One ballot per member per poll; choices are option indices, comma-separated, in rank order.
CREATE TABLE ballots (
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    user_id INTEGER NOT NULL,
    choices TEXT NOT NULL,
    cast_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, user_id)
) STRICT, WITHOUT ROWID;

-- Ranked ballots grouped by identical ranking: instant-runoff counts patterns, not ballots.
CREATE TABLE ranked_patterns (
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    choices TEXT NOT NULL,
    ballots INTEGER NOT NULL CHECK (ballots >= 0),
    PRIMARY KEY (poll_id, choices)
) STRICT, WITHOUT ROWID;
