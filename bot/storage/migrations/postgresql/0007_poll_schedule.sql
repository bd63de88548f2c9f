-- Polls planned ahead: a scheduled poll is stored at once and posted when it starts (its
-- deadline counts from the start); a role to ping; one reminder before the deadline.
ALTER TABLE polls ADD COLUMN status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('scheduled', 'live'));
ALTER TABLE polls ADD COLUMN starts_at TEXT;
ALTER TABLE polls ADD COLUMN ping_role_id BIGINT;
ALTER TABLE polls ADD COLUMN remind_seconds INTEGER CHECK (remind_seconds > 0);
ALTER TABLE polls ADD COLUMN reminded_at TEXT;
CREATE INDEX polls_scheduled_by_start ON polls (starts_at) WHERE status = 'scheduled';
