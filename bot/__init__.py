"""Namida: a spoiler-safe Discord bot for an anime blog's Top 10 Sad Anime Moments."""

__version__ = "0.1.0"
