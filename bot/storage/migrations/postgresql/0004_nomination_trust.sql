-- The title a nomination may show where Discord can't hide text (the list's own title, or the one
-- a moderator confirmed on approval), and a revision counter so a decision is taken on the
-- version the moderator saw. Nominations from before this version keep no public title: they are
-- shown as "Nomination #N" until a moderator approves them.
ALTER TABLE nominations ADD COLUMN public_show TEXT;
ALTER TABLE nominations ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
