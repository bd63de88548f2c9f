"""The list files shipped with Namida. Installed as the package data ``bot.shipped_lists``."""
