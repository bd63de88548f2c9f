"""Per-module mutation score over bot/domain from the results mutmut leaves in mutants/.

score = detected ÷ (detected + survived + untested): a mutant no test reaches counts as survived.
A timeout counts as detected, as in mutmut's own badge. Exits 1 if any module is under the bar.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

RESULTS = Path("mutants/bot/domain")
BAR = 93.0
DETECTED = {"killed", "timeout"}
UNDETECTED = {"survived", "no tests"}


def module_counts(meta: Path) -> Counter[str]:
    exit_codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return Counter(status_by_exit_code[code] for code in exit_codes.values())


def score(counts: Counter[str]) -> float:
    detected = sum(counts[s] for s in DETECTED)
    judged = detected + sum(counts[s] for s in UNDETECTED)
    return 100.0 * detected / judged if judged else 100.0


def main() -> int:
    metas = sorted(RESULTS.glob("*.py.meta"))
    if not metas:
        print("No mutation results in mutants/: run mutmut first.")
        return 2
    rows, total = [], Counter()
    for meta in metas:
        counts = module_counts(meta)
        if counts:
            rows.append((meta.name.removesuffix(".meta"), counts))
            total += counts
    print(f"{'module':<16}{'score':>8}{'killed':>8}{'survived':>10}{'no tests':>10}{'other':>7}")
    failing = []
    for name, counts in [*rows, ("overall", total)]:
        other = sum(n for s, n in counts.items() if s not in DETECTED | UNDETECTED)
        print(
            f"{name:<16}{score(counts):>7.1f}%{sum(counts[s] for s in DETECTED):>8}"
            f"{counts['survived']:>10}{counts['no tests']:>10}{other:>7}"
        )
        if name != "overall" and score(counts) < BAR:
            failing.append(name)
    if total["not checked"]:
        print(f"{total['not checked']} mutants were not checked: the run did not finish.")
        return 1
    if failing:
        print(f"Under {BAR:.0f} %: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
