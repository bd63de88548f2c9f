-- The anime catalogue entry a nomination is about (its first source URL), so that one show is one
-- show however it was spelled: duplicates and show filters compare entries. NULL: no catalogue
-- entry (free text, or nominated before this version).
ALTER TABLE nominations ADD COLUMN catalogue_key TEXT;
CREATE UNIQUE INDEX nominations_one_per_catalogue_moment
    ON nominations (guild_id, catalogue_key, moment_key)
    WHERE catalogue_key IS NOT NULL AND status IN ('pending', 'approved', 'rejected');
