"""The anime catalogue at full size: a generated 40,000-entry catalogue (the same for a seed),
autocomplete in-process, start-up to the first answered command while the index builds in the
background, and the bot's resident memory with and without the catalogue."""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench.procs import BotProcess, spawn
from bench.stats import Report, Target, percentile
from standin.serve import StandInProcess

# Romaji syllables and their kana, so a generated show has a Japanese synonym in Japanese script.
ROMAJI_KANA = (
    ("ka", "か"), ("ki", "き"), ("ku", "く"), ("ke", "け"), ("ko", "こ"), ("sa", "さ"), ("shi", "し"),
    ("su", "す"), ("se", "せ"), ("so", "そ"), ("ta", "た"), ("chi", "ち"), ("tsu", "つ"), ("te", "て"),
    ("to", "と"), ("na", "な"), ("ni", "に"), ("nu", "ぬ"), ("ne", "ね"), ("no", "の"), ("ha", "は"),
    ("hi", "ひ"), ("fu", "ふ"), ("he", "へ"), ("ho", "ほ"), ("ma", "ま"), ("mi", "み"), ("mu", "む"),
    ("me", "め"), ("mo", "も"), ("ya", "や"), ("yu", "ゆ"), ("yo", "よ"), ("ra", "ら"), ("ri", "り"),
    ("ru", "る"), ("re", "れ"), ("ro", "ろ"), ("wa", "わ"), ("n", "ん"), ("ga", "が"), ("gi", "ぎ"),
    ("gu", "ぐ"), ("ge", "げ"), ("go", "ご"), ("za", "ざ"), ("ji", "じ"), ("zu", "ず"), ("ze", "ぜ"),
    ("zo", "ぞ"), ("da", "だ"), ("de", "で"), ("do", "ど"), ("ba", "ば"), ("bi", "び"), ("bu", "ぶ"),
    ("be", "べ"), ("bo", "ぼ"),
)  # fmt: skip
SYLLABLES = [romaji for romaji, _ in ROMAJI_KANA]
KANA = dict(ROMAJI_KANA)
ENGLISH = [
    "love", "war", "summer", "night", "sky", "girl", "boy", "sword", "magic", "school", "last", "first",
    "eternal", "lost", "song", "rain", "star", "city", "sea", "blue", "red", "winter", "spring", "promise",
    "memory", "dream", "hero", "demon", "angel", "heart", "world",
]  # fmt: skip
TYPES = ("TV",) * 5 + ("MOVIE", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN")


@dataclass(frozen=True)
class CataloguePlan:
    entries: int = 40_000
    queries: int = 2_000
    autocompletes: int = 200  # through the real client, for the RSS after use
    startup_samples: int = 3


def _word(rng: random.Random) -> list[str]:
    return [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))]


def generated_catalogue(entries: int, seed: int) -> dict:
    """A catalogue in the anime-offline-database format: romaji titles, English and Japanese
    synonyms, every type; about one title in fifty shared by two entries, as remakes are."""
    rng = random.Random(seed)
    data = []
    for number in range(1, entries + 1):
        words = [_word(rng) for _ in range(rng.randint(1, 5))]
        title = " ".join("".join(w).capitalize() for w in words)
        if data and rng.random() < 0.02:
            title = data[rng.randrange(len(data))]["title"]
        if rng.random() < 0.3:
            title += f" {rng.choice(('2nd Season', 'Movie', 'Specials', 'Final'))}"
        english = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(2, 5))).title()
        japanese = "".join(KANA[s] for w in words for s in w)
        kind = rng.choice(TYPES)
        data.append({
            "sources": [f"https://anidb.net/anime/{number}", f"https://myanimelist.net/anime/{number}"],
            "title": title,
            "type": kind,
            "episodes": 1 if kind == "MOVIE" else rng.choice((0, 1, 3, 12, 13, 24, 26, 50)),
            "status": "FINISHED",
            "animeSeason": {"season": "UNDEFINED", "year": rng.randint(1970, 2026)},
            "picture": f"https://cdn.myanimelist.net/images/anime/{number}.jpg",
            "thumbnail": f"https://cdn.myanimelist.net/images/anime/{number}t.jpg",
            "synonyms": [english, japanese],
            "relatedAnime": [],
            "tags": [],
        })  # fmt: skip
    return {"license": {"name": "generated for the benchmark"}, "lastUpdate": "2026-12-01", "data": data}


def queries(catalogue: dict, count: int, seed: int) -> list[str]:
    """What members type: starts of titles, parts of them, synonyms, typos, nonsense."""
    rng = random.Random(seed + 1)
    data = catalogue["data"]
    typed = []
    for _ in range(count):
        anime = rng.choice(data)
        title, (english, japanese) = anime["title"], anime["synonyms"]
        kind = rng.randrange(6)
        if kind == 0:
            typed.append(title[: rng.randint(1, 12)])
        elif kind == 1:
            start = rng.randrange(max(1, len(title) - 6))
            typed.append(title[start : start + rng.randint(3, 10)])
        elif kind == 2:
            typed.append(english[: rng.randint(4, 20)])
        elif kind == 3:
            typed.append(japanese[: rng.randint(2, 6)])
        elif kind == 4 and len(title) > 6:
            i = rng.randrange(len(title) - 1)
            typed.append(title[:i] + title[i + 1] + title[i] + title[i + 2 :])  # two letters swapped
        else:
            typed.append("".join(rng.choice("qxzjvw") for _ in range(rng.randint(3, 9))))
    return typed


async def run_catalogue(discord: StandInProcess, workdir: Path, plan: CataloguePlan, report: Report, seed: int) -> None:
    from bot.storage.anime_index import index_path

    document = generated_catalogue(plan.entries, seed)
    catalogue = workdir / "anime-offline-database.json"
    catalogue.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    typed = queries(document, plan.queries, seed)
    del document
    await discord.call("members", prefix="c", count=2)

    # Start-up with no index yet: the bot must answer while the index builds in another process.
    cold = await _startup(discord, workdir, "cold", catalogue)
    built_after = await _wait_for_index(cold, index_path(catalogue))
    await cold.stop()
    warm_times, bare_times = [], []
    for sample in range(plan.startup_samples):  # alternating, so the machine's noise hits both alike
        warm = await _startup(discord, workdir, f"warm-{sample}", catalogue)
        warm_times.append(warm.extra["first_answer"])
        await warm.stop()
        bare = await _startup(discord, workdir, f"no-catalogue-{sample}", None)
        bare_times.append(bare.extra["first_answer"])
        await bare.stop()

    timings = await _searches_in_process(catalogue, typed)
    p99 = percentile(timings, 99)

    without, _ = await _rss_after_use(discord, workdir, "without", None, typed[: plan.autocompletes])
    with_catalogue, answered = await _rss_after_use(discord, workdir, "with", catalogue, typed[: plan.autocompletes])
    growth_mb = (with_catalogue - without) * 1024 / 10**6
    fastest_start = max(cold.extra["first_answer"], percentile(warm_times, 50))
    report.rows += [
        ("catalogue entries (generated, seed " + str(seed) + ")", f"{plan.entries:,}"),
        ("catalogue file", f"{catalogue.stat().st_size / 10**6:.1f} MB"),
        ("catalogue index built in the background after", f"{built_after:.1f} s"),
        ("autocomplete in-process: p50 / p95 / p99 / max of " + str(len(timings)),
         " / ".join(f"{percentile(timings, p) * 1000:.2f}" for p in (50, 95, 99)) + f" / {max(timings) * 1000:.2f} ms"),
        ("show autocomplete through the real client and the stand-in: p50 / p99 of " + str(len(answered)),
         " / ".join(f"{percentile(answered, p) * 1000:.2f}" for p in (50, 99)) + " ms"),
        ("start-up to first answered command, index missing", f"{cold.extra['first_answer']:.2f} s"),
        ("start-up to first answered command, index ready (median)", f"{percentile(warm_times, 50):.2f} s"),
        ("start-up to first answered command, no catalogue (median)", f"{percentile(bare_times, 50):.2f} s"),
        ("namida RSS after " + str(plan.autocompletes) + " show autocompletes, without / with catalogue",
         f"{without * 1024 / 10**6:.1f} / {with_catalogue * 1024 / 10**6:.1f} MB"),
    ]  # fmt: skip
    report.targets += [
        Target("catalogue autocomplete p99 ≤ 20 ms (40,000 entries, in-process)", f"{p99 * 1000:.2f} ms", "20 ms",
               p99 <= 0.020),
        Target("start-up ≤ 1.5 s to the first answered command, with a catalogue", f"{fastest_start:.2f} s", "1.5 s",
               fastest_start <= 1.5, "slower of: index missing, index ready (median)"),
        Target("RSS growth with the catalogue ≤ 30 MB", f"{growth_mb:.1f} MB", "30 MB", growth_mb <= 30,
               "VmRSS after the same autocompletes"),
    ]  # fmt: skip


async def _startup(discord: StandInProcess, workdir: Path, name: str, catalogue: Path | None) -> BotProcess:
    """Spawn → the answer to a command sent the moment the bot is ready, on the bench's clock."""
    folder = workdir / name
    folder.mkdir(exist_ok=True)
    settings = {"NAMIDA_CATALOGUE": str(catalogue or folder / "none.json")}
    bot = await spawn(discord, "namida", folder, folder / "namida.db", settings=settings)
    answer = await discord.call("slash", name="entry", user="c0", options={"query": "3"})
    if answer["status"] is None or answer["status"] >= 300:
        raise RuntimeError(f"the first command after start-up was not answered: {answer}")
    bot.extra["first_answer"] = time.monotonic() - bot.spawned_at
    return bot


async def _wait_for_index(bot: BotProcess, index: Path, timeout: float = 300.0) -> float:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while "Anime catalogue ready" not in bot.log():
        if time.monotonic() > deadline or bot.process.returncode is not None:
            raise RuntimeError(f"the catalogue index {index} was not ready in time; see {bot.log_path}")
        await asyncio.sleep(0.1)
    return time.monotonic() - bot.spawned_at


async def _searches_in_process(catalogue: Path, typed: list[str]) -> list[float]:
    """Seconds per catalogue search as the bot's autocomplete awaits it: through ``AnimeCatalogue``,
    so the hop to its SQLite thread and back counts too."""
    from bot.anime_catalogue import AnimeCatalogue
    from bot.domain.limits import AUTOCOMPLETE_CHOICES

    searcher = AnimeCatalogue(catalogue)
    searcher.start()
    try:
        if not await searcher.wait_ready():
            raise RuntimeError(f"the catalogue index of {catalogue} could not be opened")
        for text in typed[:50]:  # the page cache warms up as in a running bot
            await searcher.search(text, AUTOCOMPLETE_CHOICES)
        timings = []
        for text in typed:
            started = time.perf_counter()
            await searcher.search(text, AUTOCOMPLETE_CHOICES)
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        await searcher.close()


async def _rss_after_use(
    discord: StandInProcess, workdir: Path, name: str, catalogue: Path | None, typed: list[str]
) -> tuple[int, list[float]]:
    """VmRSS (KiB) of a bot that answered ``typed`` as show autocompletes, once settled, and the
    seconds each answer took through the real client."""
    folder = workdir / f"rss-{name}"
    folder.mkdir(exist_ok=True)
    settings = {"NAMIDA_CATALOGUE": str(catalogue or folder / "none.json")}
    bot = await spawn(discord, "namida", folder, folder / "namida.db", settings=settings)
    try:
        if catalogue is not None:
            await _wait_for_index(bot, catalogue)
        answered = []
        for text in typed:
            started = time.perf_counter()
            await discord.call("autocomplete", name="nominate", user="c1", options={"show": text})
            answered.append(time.perf_counter() - started)
        await asyncio.sleep(1.0)
        return bot.rss_kib()[0], answered
    finally:
        await bot.stop()
