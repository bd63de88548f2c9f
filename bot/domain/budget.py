"""Sharing a character budget between texts: short ones keep everything, long ones share the rest."""

from __future__ import annotations


def fair_shares(lengths: list[int], total: int, cap: int) -> list[int]:
    """The most each text may keep so that the kept lengths add up to at most ``total``, none over
    ``cap``, and no text is cut while a longer one keeps more (water-filling)."""
    shares = [0] * len(lengths)
    remaining, left = total, sorted(range(len(lengths)), key=lambda i: lengths[i])
    while left:
        even = remaining // len(left)
        index = left.pop(0)
        shares[index] = min(lengths[index], even, cap)
        remaining -= shares[index]
    return shares
