"""Everything that speaks SQL: the bot's database and the catalogue's search index."""
