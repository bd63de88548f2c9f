"""Poll results as files: a PNG chart and a CSV export, attached when a poll closes or on request.

Only handles and counts reach a file name; option labels are spoiler-free handles, and the question
(member text) is shown inert. matplotlib is imported inside ``render_chart`` so importing this module
stays cheap. Rendering is CPU-bound (about 0.1 s for a few options, 1.5 s for 25 options × 12
rounds), so the bot never calls it itself: the chart process (bot/chart_process.py) does. Renders
are serialised by a lock because matplotlib's font cache is shared and not thread-safe.
"""

from __future__ import annotations

import csv
import io
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from bot.domain.polls import Mode, OptionTotal, Poll, Result, Round
from bot.domain.spoilers import inert, shorten

if TYPE_CHECKING:  # matplotlib itself is imported only when a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.text import Text

FONT = "DejaVu Sans"  # ships with matplotlib, so it exists on every machine that can render
# Fonts for Japanese, Chinese and Korean: the first one installed (e.g. Debian's fonts-noto-cjk)
# is tried after FONT glyph by glyph (matplotlib's font fallback); without any, such glyphs become "?".
CJK_FONTS = (
    "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR", "Noto Sans JP",
    "Source Han Sans JP", "IPAexGothic", "IPAGothic", "WenQuanYi Zen Hei", "Droid Sans Fallback",
)  # fmt: skip
DPI = 100
WIDTH_IN = 10.0
MIN_HEIGHT_IN = 6.0
HEADER_IN = 0.8  # title and turnout line above the bars
LABEL_MAX = 40
TITLE_MAX = 90
MAX_ROUNDS_SHOWN = 12
COLOUR_BAR = "#5B7DB1"
COLOUR_WINNER = "#E3A21A"
COLOUR_ELIMINATED = "#C8553D"
COLOUR_MUTED = "#6B6F76"
WINNER_MARK = "★"
ELIMINATED_MARK = "✕"
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MODE_NAMES = {Mode.SINGLE: "single choice", Mode.APPROVAL: "approval", Mode.RANKED: "ranked choice"}

_RENDER_LOCK = threading.Lock()


def chart_file_name(poll: Poll) -> str:
    return f"poll-{int(poll.id)}-results.png"


def csv_file_name(poll: Poll) -> str:
    return f"poll-{int(poll.id)}-results.csv"


# --- chart -------------------------------------------------------------------------------------


def render_chart(result: Result) -> bytes:
    """The results as a PNG: one bar per option, or one panel per instant-runoff round."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _RENDER_LOCK:
        labels = {t.index: _chart_label(t) for t in result.totals}
        if result.rounds:
            height = max(MIN_HEIGHT_IN, 2.6 + 0.34 * len(labels))
            shown = _visible_rounds(result.rounds)
            width = max(WIDTH_IN, 3.8 + 1.0 * len(shown))
        else:
            height = max(MIN_HEIGHT_IN, 1.8 + 0.36 * len(labels))
            width = WIDTH_IN
        # A bare Figure with its own Agg canvas: no pyplot, no global figure registry, no GUI backend,
        # so nothing outlives this call and nothing needs closing.
        figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        # matplotlib types the result as one SubFigure or an array, whatever the shape asked for.
        header, body = figure.subfigures(2, 1, height_ratios=[HEADER_IN, height - HEADER_IN])  # type: ignore[misc]
        title = _glyph_safe(inert(result.poll.question, TITLE_MAX)) or result.poll.handle
        heading = header.text(0.5, 0.92, title, ha="center", va="top", fontsize=15, fontweight="bold", **_text())
        _fit_width(heading, figure)
        header.text(0.5, 0.12, _subtitle(result), ha="center", va="bottom", fontsize=11, color=COLOUR_MUTED, **_text())
        if result.rounds:
            _draw_rounds(body, result, labels)
        else:
            _draw_totals(body, result, labels)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
        figure.clear()
        return buffer.getvalue()


def _draw_totals(figure: SubFigure, result: Result, labels: dict[int, str]) -> None:
    axes = figure.add_subplot()
    totals = result.totals
    peak = max((t.votes for t in totals), default=0) or 1
    positions = list(range(len(totals)))
    colours = [COLOUR_WINNER if t.index in result.winners else COLOUR_BAR for t in totals]
    axes.barh(positions, [t.votes for t in totals], color=colours, height=0.7)
    for position, total in zip(positions, totals, strict=True):
        mark = f"{WINNER_MARK} " if total.index in result.winners else ""
        axes.text(
            total.votes + peak * 0.015,
            position,
            f"{mark}{total.votes} · {total.percent:.1f}%",
            va="center",
            fontsize=10,
            **_text(),
        )
    _label_rows(axes, positions, [labels[t.index] for t in totals], [t.index in result.winners for t in totals])
    axes.set_xlim(0, peak * 1.3)
    _bare(axes)


def _draw_rounds(figure: SubFigure, result: Result, labels: dict[int, str]) -> None:
    shown = _visible_rounds(result.rounds)
    order = [t.index for t in result.totals]
    positions = list(range(len(order)))
    peak = max((v for r in shown for v in r.votes.values()), default=0) or 1
    panels = figure.subplots(1, len(shown), sharey=True, sharex=True, squeeze=False)[0]
    for axes, round_ in zip(panels, shown, strict=True):
        bars: list[tuple[int, int, str]] = []
        for position, index in zip(positions, order, strict=True):
            if index not in round_.votes:
                axes.text(0, position, "–", va="center", color=COLOUR_MUTED, fontsize=9, **_text())
                continue
            votes = round_.votes[index]
            out = index in round_.eliminated
            bars.append(
                (
                    position,
                    votes,
                    COLOUR_ELIMINATED if out else COLOUR_WINNER if index in result.winners else COLOUR_BAR,
                )
            )
            axes.text(
                votes + peak * 0.03,
                position,
                f"{votes} {ELIMINATED_MARK}" if out else str(votes),
                va="center",
                fontsize=8,
                color=COLOUR_ELIMINATED if out else "black",
                **_text(),
            )
        if bars:
            ys, widths, colours = zip(*bars, strict=True)
            axes.barh(ys, widths, color=colours, height=0.7)
        axes.set_title(f"Round {round_.number}\n{round_.exhausted} exhausted", fontsize=9, **_text())
        _bare(axes)
    _label_rows(panels[0], positions, [labels[i] for i in order], [i in result.winners for i in order])
    panels[0].set_xlim(0, peak * 1.7)
    key = f"{WINNER_MARK} gold: winner   ·   {ELIMINATED_MARK} red: eliminated after the round   ·   –: already out"
    hidden = len(result.rounds) - len(shown)
    if hidden:
        first, last = result.rounds[MAX_ROUNDS_SHOWN - 1].number, result.rounds[-2].number
        span = f"Round {first}" if first == last else f"Rounds {first}–{last}"
        key += f"\n{span} not shown; the CSV lists every round."
    figure.supxlabel(key, fontsize=9, color=COLOUR_MUTED, **_text())


def _fit_width(text: Text, figure: Figure, smallest: float = 11.0) -> None:
    """Shrink, then shorten, a text until it fits the figure's width (wide glyphs overflow any cut)."""
    renderer = cast("FigureCanvasAgg", figure.canvas).get_renderer()  # render_chart gave it an Agg canvas

    def too_wide() -> bool:
        return text.get_window_extent(renderer).width > 0.96 * figure.bbox.width

    # A size set as a number reads back as one (matplotlib types it "float or a name like 'large'").
    while float(text.get_fontsize()) > smallest and too_wide():
        text.set_fontsize(float(text.get_fontsize()) - 1)
    whole = text.get_text()
    length = len(whole)
    while length > 10 and too_wide():
        length -= 5
        text.set_text(shorten(whole, length))


def _visible_rounds(rounds: Sequence[Round]) -> tuple[Round, ...]:
    """Every round up to the cap; past it the first rounds and the deciding one."""
    if len(rounds) <= MAX_ROUNDS_SHOWN:
        return tuple(rounds)
    return (*rounds[: MAX_ROUNDS_SHOWN - 1], rounds[-1])


def _label_rows(axes: Axes, positions: list[int], labels: list[str], winners: list[bool]) -> None:
    axes.set_yticks(positions, labels=labels, fontsize=10, **_text())
    for tick, won in zip(axes.get_yticklabels(), winners, strict=True):
        if won:
            tick.set_fontweight("bold")
    axes.set_ylim(len(positions) - 0.5, -0.5)  # first option on top


def _bare(axes: Axes) -> None:
    axes.xaxis.set_visible(False)
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)


def _subtitle(result: Result) -> str:
    ballots = f"{result.ballots} ballot" + ("" if result.ballots == 1 else "s")
    parts = [f"Poll {result.poll.id}", MODE_NAMES.get(result.poll.mode, str(result.poll.mode)), ballots]
    if result.rounds:
        parts.append(f"{len(result.rounds)} round" + ("" if len(result.rounds) == 1 else "s"))
    if result.is_tie:
        parts.append("tie")
    return "  ·  ".join(parts)


def _chart_label(total: OptionTotal) -> str:
    return shorten(_glyph_safe(" ".join(f"{total.index + 1}. {total.label}".split())), LABEL_MAX)


def _text() -> dict:
    # parse_math off: a "$" in member text must stay a dollar sign, never start mathtext.
    return {"fontfamily": list(font_families()), "parse_math": False}


def _glyph_safe(text: str, charmap: frozenset[int] | None = None) -> str:
    """Characters none of the fonts has become "?" (invisible format marks are dropped), so
    matplotlib never warns about a missing glyph and never draws an empty box."""
    charmap = _font_charmap() if charmap is None else charmap
    kept = []
    for ch in text:
        if ord(ch) in charmap:
            kept.append(ch)
        elif unicodedata.category(ch) not in ("Cf", "Cc", "Mn", "Me"):
            kept.append("?")
    return "".join(kept)


@lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """FONT, then the first CJK font this machine has (matplotlib tries them in this order)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    # One is enough: each covers kana, hanzi and hangul, and every fallback font costs each text.
    return (FONT, *[name for name in CJK_FONTS if name in installed][:1])


def fonts_note(families: Sequence[str]) -> str:
    """What ``namida check`` says about the chart fonts of this machine."""
    if len(families) > 1:
        return f"labels in {families[0]}, Japanese, Chinese and Korean in {families[1]}"
    return (
        f"labels in {families[0]}; no CJK font found, so Japanese, Chinese and Korean labels show as `?` "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk, then delete ~/.cache/matplotlib)"
    )


def charmap_of(families: Sequence[str]) -> frozenset[int]:
    """Every character at least one of the font families can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for family in families:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        codes.update(FT2Font(path).get_charmap())
    return frozenset(codes)


@lru_cache(maxsize=1)
def _font_charmap() -> frozenset[int]:
    return charmap_of(font_families())


# --- CSV ---------------------------------------------------------------------------------------


def results_csv(result: Result, ballots: Sequence[tuple[int, tuple[int, ...]]] | None = None) -> bytes:
    """The results as UTF-8 CSV (with a byte-order mark so spreadsheet apps pick UTF-8): totals, the
    ballot count, every instant-runoff round, and, for polls that are not anonymous, each ballot."""
    poll = result.poll
    if poll.anonymous and ballots is not None:
        raise ValueError(f"{poll.handle} is anonymous: its ballots are never exported")
    labels = {o.index: o.label for o in poll.options} | {t.index: t.label for t in result.totals}
    rows: list[list[object]] = [["option", "label", "votes", "percent"]]
    rows += [[t.index + 1, t.label, t.votes, f"{t.percent:.1f}"] for t in result.totals]
    rows += [[], ["ballots", result.ballots]]
    if result.rounds:
        rows += [[], ["round", "option", "label", "votes", "eliminated"]]
        for round_ in result.rounds:
            for index, votes in sorted(round_.votes.items()):
                out = "yes" if index in round_.eliminated else "no"
                rows.append([round_.number, index + 1, labels.get(index, ""), votes, out])
        rows += [[], ["round", "exhausted"]]
        rows += [[round_.number, round_.exhausted] for round_ in result.rounds]
    if ballots is not None:
        joiner = " > " if poll.mode is Mode.RANKED else " | "
        rows += [[], ["member_id", "choices"]]
        for member_id, choices in ballots:
            rows.append([int(member_id), joiner.join(_ballot_labels(labels, choices))])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _ballot_labels(labels: dict[int, str], choices: Iterable[int]) -> list[str]:
    try:
        return [labels[index] for index in choices]
    except KeyError as error:
        raise ValueError(f"a ballot names option index {error.args[0]}, which the poll does not have") from None


def _safe_cell(cell: object) -> object:
    """Member text can never become a spreadsheet formula: a risky first character gets a leading
    apostrophe. NUL characters cannot be written to CSV and are dropped."""
    if not isinstance(cell, str):
        return cell
    cell = cell.replace("\x00", "")
    return "'" + cell if cell.startswith(CSV_FORMULA_STARTS) else cell
