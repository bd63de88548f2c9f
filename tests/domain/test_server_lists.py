"""A server's own lists: ids from names, places and limits, a closed poll's ranking, the entry a
nomination becomes, and files that the list checker accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain.errors import CatalogError
from bot.domain.list_files import check_list_text
from bot.domain.nominations import Format, Nomination, Status
from bot.domain.polls import Kind, Mode, Poll, PollOption, count_votes, instant_runoff
from bot.domain.server_lists import (
    MAX_ENTRIES,
    ImportProblems,
    ServerEntry,
    ServerList,
    ServerListRefused,
    check_name,
    default_header,
    entry_from_nomination,
    export_text,
    final_order,
    list_id_from_name,
    moved,
    published,
    read_import,
    with_entry,
    without_place,
)
from bot.domain.spoilers import Spoiler

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
GUILD = 7


def nomination(number: int, show: str = "Clannad", status: Status = Status.APPROVED, **changes) -> Nomination:
    fields = {
        "id": 100 + number, "guild_id": GUILD, "number": number, "list_id": "top10-sad-anime-moments",
        "author_id": 50 + number, "show": show.lower(), "moment": Spoiler(f"The moment {number}"), "episode": "2x05",
        "what_happens": Spoiler("Someone leaves for good."), "why": Spoiler("It felt real."), "format": Format.TV,
        "represented_by": None, "status": status, "merged_into": None, "seconds": 0, "channel_id": None,
        "message_id": None, "created_at": NOW, "public_show": show,
    }  # fmt: skip
    return replace(Nomination(**fields), **changes)  # type: ignore[arg-type]


def entry(number: int, show: str) -> ServerEntry:
    return entry_from_nomination(nomination(number, show), (), GUILD)


def server_list(*entries: ServerEntry, top: int = 10, top_list=None) -> ServerList:
    header = default_header("Our Ten", top_list) if top_list else None
    return ServerList(1, GUILD, "our-ten", "Our Ten", top, header, tuple(entries))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Our Saddest Ten!", "our-saddest-ten"),
        ("  Café — Tränen  ", "cafe-tranen"),
        ("A list whose name is much longer than thirty-two letters", "a-list-whose-name-is-much-longer"),
    ],
)
def test_a_list_id_comes_from_its_name(name, expected):
    assert list_id_from_name(name) == expected


def test_a_name_without_latin_letters_still_gets_a_stable_id():
    first = list_id_from_name("涙の十選")
    assert first == list_id_from_name("涙の十選") and first.startswith("list-")
    assert first != list_id_from_name("悲しい")


@pytest.mark.parametrize(("name", "words"), [("", "can't be empty"), ("***", "can't be empty"), ("x" * 61, "1 to 60")])
def test_a_name_is_one_to_sixty_characters(name, words):
    with pytest.raises(ServerListRefused, match=words):
        check_name(name)


def test_a_name_is_made_inert():
    assert check_name("**Our** @everyone list") == "Our @\u200beveryone list"
    assert check_name("x" * 60) == "x" * 60


def test_an_unapproved_nomination_is_refused_and_an_approved_one_is_credited():
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN, Status.MERGED):
        with pytest.raises(ServerListRefused, match="isn't approved"):
            entry_from_nomination(nomination(3, status=status), (), GUILD)
    made = entry_from_nomination(nomination(3), (8, 9), GUILD)
    assert (made.key, made.show, made.episode) == ("nomination-3", "Clannad", "Season 2, episode 5")
    assert (made.nominated_by, made.seconded_by, made.nomination_id) == (53, (8, 9), 103)


def test_another_servers_nomination_is_refused():
    with pytest.raises(ServerListRefused, match="doesn't exist in this server"):
        entry_from_nomination(nomination(3), (), GUILD + 1)


def test_a_show_title_too_long_for_a_list_entry_is_named_by_key():
    with pytest.raises(ServerListRefused, match="show: is 51 characters; the limit is 50"):
        entry_from_nomination(nomination(3, show="s" * 51), (), GUILD)


def test_hidden_show_titles_rename_nominated_entries_only(top_list):
    from_file = ServerEntry(key="nomination-9", show="Kanon", moment="M", summary="S.", why_it_hits="W.")
    listed = server_list(entry(7, "Toradora"), from_file, top_list=top_list)
    assert [e.handle for e in listed.top_list().entries] == ["#2 · Kanon", "#1 · Toradora"]
    hidden = listed.top_list(hide_nominated_shows=True)
    assert [e.handle for e in hidden.entries] == ["#2 · Kanon", "#1 · Nomination #7"]  # a file's key is no nomination
    assert hidden.entry("nomination-7").show == "Toradora"  # kept, for the spoiler bars


def test_places_add_move_and_remove():
    listed = server_list(entry(1, "Clannad"), entry(2, "Anohana"))
    added = with_entry(listed, entry(3, "Toradora"), 1)
    assert [e.show for e in added] == ["Toradora", "Clannad", "Anohana"]
    assert [e.show for e in with_entry(listed, entry(3, "Toradora"), None)] == ["Clannad", "Anohana", "Toradora"]
    three = server_list(*added)
    assert [e.show for e in moved(three, 1, 3)] == ["Clannad", "Anohana", "Toradora"]
    assert [e.show for e in without_place(three, 2)] == ["Toradora", "Anohana"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda s: with_entry(s, entry(3, "Toradora"), 4), "There is no place 4 on \\*\\*Our Ten\\*\\*: pick 1 to 3"),
        (lambda s: with_entry(s, entry(3, "Toradora"), 0), "pick 1 to 3"),
        (lambda s: without_place(s, 3), "pick 1 to 2"),
        (lambda s: moved(s, 1, 5), "pick 1 to 2"),
        (lambda s: with_entry(s, entry(1, "Toradora"), None), "That nomination is already on"),
        (lambda s: with_entry(s, entry(4, "clannad!"), None), "\\*\\*clannad!\\*\\* is already on"),
    ],
)
def test_out_of_range_places_and_duplicates_are_refused(change, words):
    with pytest.raises(ServerListRefused, match=words):
        change(server_list(entry(1, "Clannad"), entry(2, "Anohana")))


def test_a_full_list_takes_no_more():
    full = server_list(*(entry(n, f"Show {n}") for n in range(1, MAX_ENTRIES + 1)))
    with pytest.raises(ServerListRefused, match="already has 100 entries"):
        with_entry(full, entry(999, "One Too Many"), None)


def poll(mode: Mode, options: int, closed: bool = True) -> Poll:
    return Poll(
        id=4, guild_id=GUILD, channel_id=1, message_id=None, kind=Kind.NOMINATIONS, list_id=None, question="Q",
        options=tuple(PollOption(i, f"Nomination #{i}", str(100 + i)) for i in range(options)), mode=mode,
        max_choices=2, hide_results=False, anonymous=True, role_id=None, creator_id=1, created_at=NOW,
        closes_at=NOW, closed_at=NOW if closed else None,
    )  # fmt: skip


def test_single_choice_ranks_by_votes_and_ties_in_option_order():
    result = count_votes(poll(Mode.SINGLE, 4), {0: 1, 1: 3, 2: 1, 3: 5}, 10)
    assert final_order(result) == [3, 1, 0, 2]
    assert published(result) == [103, 101, 100, 102]


def test_approval_ranks_by_votes_each_ballot_counting_for_every_pick():
    result = count_votes(poll(Mode.APPROVAL, 3), {0: 2, 1: 3, 2: 3}, 4)  # four ballots, eight picks
    assert published(result) == [101, 102, 100]


def test_ranked_choice_ranks_by_the_final_instant_runoff_order_not_first_choices():
    # First choices A 5, B 4, C 3; C goes out and its ballots make B the winner, 7 to 5.
    result = instant_runoff(poll(Mode.RANKED, 3), {(0,): 5, (1,): 4, (2, 1): 3})
    assert result.winners == (1,)
    assert final_order(result) == [1, 0, 2]


def test_ranked_choice_eliminated_latest_ranks_higher_and_a_shared_win_keeps_option_order():
    # D is out first, C second; A and B tie all the way back and share the win.
    result = instant_runoff(poll(Mode.RANKED, 4), {(1,): 3, (0,): 3, (2,): 1})
    assert result.winners == (0, 1)
    assert final_order(result) == [0, 1, 2, 3]


def test_an_open_or_empty_poll_is_refused():
    with pytest.raises(ServerListRefused, match="still open"):
        published(count_votes(poll(Mode.SINGLE, 2, closed=False), {0: 1}, 1))
    with pytest.raises(ServerListRefused, match="without a single ballot"):
        published(count_votes(poll(Mode.SINGLE, 2), {}, 0))


def test_an_export_passes_the_list_checker_and_reads_back(top_list):
    entries = [entry(n, f"Show {n}") for n in range(1, 13)]
    listed = server_list(*entries, top_list=top_list)
    text = export_text(listed)
    checked = check_list_text("our-ten.yaml", text, "our-ten")
    assert [e.rank for e in checked.ranked] == list(range(10, 0, -1))
    assert [e.show for e in checked.honorable] == ["Show 11", "Show 12"]
    name, header, top, read = read_import("our-ten.yaml", text)
    assert (name, top, header) == ("Our Ten", 10, listed.header)
    assert [e.show for e in read] == [e.show for e in entries] and read[0].moment == "The moment 1"
    assert read[0].nominated_by is None  # a file carries no member ids


def test_an_imported_catalogue_key_survives_the_round_trip(top_list):
    listed = server_list(replace(entry(1, "Show 1"), catalogue="https://myanimelist.net/anime/9756"), top_list=top_list)
    _, _, _, read = read_import("our-ten.yaml", export_text(listed))
    assert read[0].catalogue == "https://myanimelist.net/anime/9756"


def test_an_empty_list_has_nothing_to_export(top_list):
    with pytest.raises(ServerListRefused, match="no entries yet"):
        export_text(server_list(top_list=top_list))


def test_an_import_names_every_problem_by_entry_and_key(top_list):
    text = export_text(server_list(entry(1, "Show 1"), entry(2, "Show 2"), top_list=top_list))
    broken = text.replace("why_it_hits:", "why_it_hurts:", 1).replace("moment: The moment 1", "moment: ''")
    with pytest.raises(ImportProblems) as refused:
        read_import("mine.yaml", broken)
    message = refused.value.message
    assert "ranked\\[0\\] (Show 2), key 'why\\_it\\_hurts': is not a known key" in message
    assert "ranked\\[0\\] (Show 2), key 'why\\_it\\_hits': is missing" in message
    assert "ranked\\[1\\] (Show 1), key 'moment': is empty" in message
    assert len(message) <= 2000


def test_an_import_with_hundreds_of_problems_still_fits_one_message():
    text = "title: T\nranked:\n" + "".join(f"  - rank: {n}\n    bogus: 1\n" for n in range(1, 100))
    with pytest.raises(ImportProblems) as refused:
        read_import("mine.yaml", text)
    assert len(refused.value.message) <= 2000 and "more." in refused.value.message


def test_a_file_the_checker_accepts_but_too_long_for_a_server_list_is_refused(top_list):
    entries = [entry(n, f"Show {n}") for n in range(1, MAX_ENTRIES + 2)]
    text = export_text(server_list(*entries, top_list=top_list))
    check_list_text("big.yaml", text, "big")  # 10 ranked and 91 honorable mentions: a valid list file
    with pytest.raises(ServerListRefused, match=r"has 101 entries \(10 ranked, 91 honorable mentions\)"):
        read_import("big.yaml", text)


def test_a_file_title_too_long_for_a_list_name_is_named_by_its_key(top_list):
    text = export_text(server_list(entry(1, "Show 1"), top_list=top_list))
    text = text.replace("title: Our Ten", "title: " + "T" * 70)  # a valid list file's title: up to 100
    with pytest.raises(ServerListRefused, match=r"mine.yaml, key 'title': A list's name is 1 to 60 characters \(that"):
        read_import("mine.yaml", text)


def test_unreadable_yaml_is_refused():
    with pytest.raises(ImportProblems, match="is not readable YAML"):
        read_import("mine.yaml", "title: [unclosed")
    with pytest.raises(CatalogError):
        check_list_text("mine.yaml", "- a list", "mine")
