"""Namida's rules: pure Python, no Discord and no database imports (a meta-test keeps it so)."""
