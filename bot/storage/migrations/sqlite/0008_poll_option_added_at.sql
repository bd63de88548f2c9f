-- An option a moderator added to an open poll carries the moment it was added; NULL: the option
-- was there from the start.
ALTER TABLE poll_options ADD COLUMN added_at TEXT;
