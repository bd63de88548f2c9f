"""Benchmarks of Namida's vote path and crash durability; run ``python -m bench`` (see README.md)."""
