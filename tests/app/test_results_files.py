"""Results files: the PNG chart renders (many options, many rounds, awkward text) without warnings,
and the CSV export is exact, spreadsheet-safe and refuses to expose anonymous ballots."""

from __future__ import annotations

import csv
import gc
import io
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import results_files
from bot.domain.polls import Mode, OptionTotal, Result, Round
from bot.results_files import chart_file_name, csv_file_name, render_chart, results_csv
from tests.conftest import REPO
from tests.polls import make_poll

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BOM = "\ufeff"


def make_result(poll, votes, *, winners=None, rounds=()):
    ballots = sum(votes) if poll.mode is not Mode.APPROVAL else max(votes, default=0)
    totals = tuple(
        OptionTotal(o.index, o.label, v, round(100 * v / ballots, 1) if ballots else 0.0)
        for o, v in zip(poll.options, votes, strict=True)
    )
    if winners is None:
        top = max(votes, default=0)
        winners = tuple(i for i, v in enumerate(votes) if v == top and top)
    return Result(poll, ballots, totals, tuple(winners), tuple(rounds))


def runoff(votes):
    """Instant-runoff rounds by hand: drop the last place each round until one option remains."""
    rounds, alive, number = [], dict(enumerate(votes)), 1
    while len(alive) > 1:
        low = min(alive.values())
        out = tuple(i for i, v in alive.items() if v == low)[:1]
        rounds.append(Round(number, dict(alive), out, exhausted=number - 1))
        alive = {i: v + (low if k == 0 else 0) for k, (i, v) in enumerate(x for x in alive.items() if x[0] not in out)}
        number += 1
    rounds.append(Round(number, dict(alive), (), exhausted=number - 1))
    return rounds


def decode_png(data: bytes):
    from matplotlib.image import imread

    assert data.startswith(PNG_MAGIC)
    return imread(io.BytesIO(data), format="png")


def rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))


# --- chart -------------------------------------------------------------------------------------


def test_chart_is_a_png_of_a_size_discord_shows_well(recwarn):
    poll = make_poll(["Honorable mention · Steins;Gate", "Honorable mention · Clannad ★", "#3 · Anohana"])
    data = render_chart(make_result(poll, [5, 9, 1]))
    pixels = decode_png(data)
    height, width = pixels.shape[:2]
    assert (width, height) == (1000, 600)
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]


def test_chart_has_no_timestamp_so_the_same_result_gives_the_same_bytes():
    result = make_result(make_poll(["a", "b"]), [1, 2])
    assert render_chart(result) == render_chart(result)


def test_twenty_five_options_grow_the_chart_and_render_without_warnings():
    labels = [f"Honorable mention · {'Very long show title ' * 3}{n} ★;" for n in range(25)]
    poll = make_poll(labels, mode=Mode.APPROVAL)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pixels = decode_png(render_chart(make_result(poll, list(range(25)))))
    assert caught == []
    height, width = pixels.shape[:2]
    assert width == 1000 and height >= 25 * 30  # about 36 px per row keeps 10 pt labels legible


def test_six_round_ranked_result_renders_every_round():
    poll = make_poll([f"#{n} · Show {n}" for n in range(1, 8)], mode=Mode.RANKED)
    rounds = runoff([9, 8, 7, 6, 5, 4, 3])
    assert len(rounds) == 7
    result = make_result(poll, [9, 8, 7, 6, 5, 4, 3], winners=tuple(rounds[-1].votes), rounds=rounds)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pixels = decode_png(render_chart(result))
    assert caught == []
    assert pixels.shape[1] >= 1000 and pixels.shape[0] >= 600


def test_more_rounds_than_the_cap_still_render_with_the_deciding_round():
    poll = make_poll(["#1 · A", "#2 · B", "#3 · C"], mode=Mode.RANKED)
    # Synthetic but shaped like a long count: tied rounds in which nobody drops out, then the decision.
    rounds = [Round(n, {0: 4, 1: 4, 2: 2}, (), 0) for n in range(1, 15)] + [Round(15, {0: 5, 1: 4}, (1,), 1)]
    result = make_result(poll, [4, 4, 2], winners=(0,), rounds=rounds)
    shown = results_files._visible_rounds(result.rounds)
    assert len(shown) == results_files.MAX_ROUNDS_SHOWN and shown[-1] is rounds[-1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decode_png(render_chart(result))
    assert caught == []


@pytest.mark.parametrize(
    "text",
    [
        "Costs $5 and $10",
        "Half $\\nope$ price",  # mathtext would fail on this
        "W" * 200,
        "Tears あ 😭 \u200d\u202e",
        "@everyone ||spoiler|| **bold**\nnext line",
        "=1+1",
        "",
    ],
)
def test_awkward_text_renders_without_warnings_or_mathtext(text):
    poll = make_poll([text or "x", "plain"], question=text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decode_png(render_chart(make_result(poll, [1, 1])))
    assert caught == []


def test_no_ballots_still_renders():
    decode_png(render_chart(make_result(make_poll(["a", "b"]), [0, 0])))


def test_labels_are_shortened_and_glyph_safe():
    label = results_files._chart_label(OptionTotal(0, "Honorable mention · " + "x" * 80 + " あ", 1, 1.0))
    assert label.startswith("1. Honorable mention · ") and label.endswith("…") and len(label) <= 40
    latin_only = results_files.charmap_of([results_files.FONT])
    assert results_files._glyph_safe("Steins;Gate ★ あ\u200b", latin_only) == "Steins;Gate ★ ?\u200b"


CJK_LABELS = ["涙のシーン", "眼泪", "눈물"]


def test_without_a_cjk_font_japanese_chinese_and_korean_become_question_marks():
    latin_only = results_files.charmap_of([results_files.FONT])
    assert [results_files._glyph_safe(label, latin_only) for label in CJK_LABELS] == ["?????", "??", "??"]
    assert results_files.font_families()[0] == results_files.FONT


@pytest.mark.skipif(
    len(results_files.font_families()) == 1, reason="no CJK font installed (e.g. Debian's fonts-noto-cjk)"
)
def test_with_a_cjk_font_installed_cjk_labels_are_drawn():
    assert results_files.font_families()[1] in results_files.CJK_FONTS
    assert [results_files._glyph_safe(label) for label in CJK_LABELS] == CJK_LABELS
    poll = make_poll(CJK_LABELS, question="どのシーンが一番泣ける？")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decode_png(render_chart(make_result(poll, [3, 2, 1])))
    assert caught == []  # matplotlib warns for every glyph no font has


def test_importing_the_module_does_not_import_matplotlib():
    code = "import bot.results_files, sys; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rendering_leaves_no_figure_behind():
    from matplotlib.figure import Figure

    def live_figures():
        gc.collect()
        return sum(isinstance(thing, Figure) for thing in gc.get_objects())

    before = live_figures()
    render_chart(make_result(make_poll(["a", "b"]), [1, 0]))
    assert live_figures() == before
    assert "matplotlib.pyplot" not in sys.modules  # never the pyplot registry, which keeps figures alive


def test_concurrent_renders_from_worker_threads_agree():
    result = make_result(make_poll(["a", "b ★"]), [2, 1])
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: render_chart(result), range(2))
    assert first == second


def test_file_names_carry_only_the_poll_id():
    poll = make_poll(["Secret moment name", "Other"], question="Spoiler question?", poll_id=12)
    assert chart_file_name(poll) == "poll-12-results.png"
    assert csv_file_name(poll) == "poll-12-results.csv"


# --- CSV ---------------------------------------------------------------------------------------


def test_single_choice_csv_is_exact():
    poll = make_poll(["Honorable mention · Steins;Gate", "#2 · Clannad", "#3 · Anohana"])
    data = results_csv(make_result(poll, [2, 1, 0]))
    assert data.decode("utf-8") == BOM + (
        "option,label,votes,percent\r\n"
        "1,Honorable mention · Steins;Gate,2,66.7\r\n"
        "2,#2 · Clannad,1,33.3\r\n"
        "3,#3 · Anohana,0,0.0\r\n"
        "\r\n"
        "ballots,3\r\n"
    )


def test_ranked_csv_lists_every_round_and_exhausted_ballots():
    poll = make_poll(["A", "B", "C"], mode=Mode.RANKED)
    rounds = (Round(1, {0: 3, 1: 2, 2: 1}, (2,), 0), Round(2, {0: 3, 1: 2}, (), 1))
    totals = (OptionTotal(0, "A", 3, 50.0), OptionTotal(1, "B", 2, 33.3), OptionTotal(2, "C", 1, 16.7))
    result = Result(poll, 6, totals, (0,), rounds)
    assert rows(results_csv(result)) == [
        ["option", "label", "votes", "percent"],
        ["1", "A", "3", "50.0"],
        ["2", "B", "2", "33.3"],
        ["3", "C", "1", "16.7"],
        [],
        ["ballots", "6"],
        [],
        ["round", "option", "label", "votes", "eliminated"],
        ["1", "1", "A", "3", "no"],
        ["1", "2", "B", "2", "no"],
        ["1", "3", "C", "1", "yes"],
        ["2", "1", "A", "3", "no"],
        ["2", "2", "B", "2", "no"],
        [],
        ["round", "exhausted"],
        ["1", "0"],
        ["2", "1"],
    ]


def test_ballots_are_exported_for_a_poll_that_is_not_anonymous():
    ranked = make_poll(["A", "B", "C"], mode=Mode.RANKED)
    data = results_csv(make_result(ranked, [1, 1, 0], winners=(0,)), [(111, (0, 1)), (222, (1, 2, 0)), (333, ())])
    assert rows(data)[-4:] == [["member_id", "choices"], ["111", "A > B"], ["222", "B > C > A"], ["333", ""]]
    approval = make_poll(["A", "B", "C"], mode=Mode.APPROVAL)
    data = results_csv(make_result(approval, [2, 1, 0]), [(111, (0, 1)), (222, (0,))])
    assert rows(data)[-3:] == [["member_id", "choices"], ["111", "A | B"], ["222", "A"]]


def test_anonymous_ballots_are_refused_even_when_empty():
    result = make_result(make_poll(["A", "B"], anonymous=True), [1, 0])
    with pytest.raises(ValueError, match="anonymous"):
        results_csv(result, [(111, (0,))])
    with pytest.raises(ValueError, match="anonymous"):
        results_csv(result, [])
    assert rows(results_csv(result))[-1] == ["ballots", "1"]


def test_a_ballot_naming_an_unknown_option_is_refused():
    with pytest.raises(ValueError, match="option index 7"):
        results_csv(make_result(make_poll(["A", "B"]), [1, 0]), [(111, (7,))])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(start):
    label = f'{start}HYPERLINK("http://x","y")'
    poll = make_poll([label, "B"], mode=Mode.RANKED)
    table = rows(
        results_csv(make_result(poll, [1, 0], winners=(0,), rounds=[Round(1, {0: 1, 1: 0}, (), 0)]), [(5, (0, 1))])
    )
    cells = [cell for row in table for cell in row]
    assert "'" + label in cells  # the option row and the round row
    assert f"'{label} > B" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_commas_quotes_and_newlines_round_trip():
    label = 'Ends, "really"\nhard; ★'
    table = rows(results_csv(make_result(make_poll([label, "B"]), [1, 0]), [(5, (0,))]))
    assert table[1] == ["1", label, "1", "100.0"]
    assert table[-1] == ["5", label]


def test_check_names_the_cjk_font_or_says_how_to_get_one():
    assert results_files.fonts_note(("DejaVu Sans", "Noto Sans CJK JP")) == (
        "labels in DejaVu Sans, Japanese, Chinese and Korean in Noto Sans CJK JP"
    )
    missing = results_files.fonts_note(("DejaVu Sans",))
    assert "no CJK font found" in missing and "show as `?`" in missing and "fonts-noto-cjk" in missing
