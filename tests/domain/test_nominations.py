"""Nomination rules a member meets before anything is stored: what a draft may contain, the list's
rules, per-member limits, near-duplicate moments and the spoiler-free handle. Pure: no database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import (
    EPISODE_MAX,
    MOMENT_MAX,
    SHOW_MAX,
    WHAT_HAPPENS_MAX,
    WHY_MAX,
    AlreadyNominated,
    Format,
    Nomination,
    NominationChanged,
    NominationRefused,
    Status,
    check_member_limits,
    check_revision,
    check_rules,
    confirm_show_title,
    episode_label,
    list_place,
    make_draft,
    near_duplicate,
    parse_episode,
    public_handle,
    show_digest,
    show_is_hidden,
)
from bot.domain.spoilers import Spoiler, clean

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
GUILD = 1001
FIELDS = {
    "show": "Madoka Magica",
    "moment": "Mami's death",
    "episode": "Episode 3",
    "what_happens": "||Mami|| loses her head @everyone **bold** `code`",
    "why": "Nobody saw it coming. _Nobody._",
}


def draft(fmt: Format = Format.TV, **fields):
    values = {**FIELDS, **fields}
    return make_draft(values["show"], values["moment"], values["episode"], values["what_happens"], values["why"], fmt)


def nomination(number=1, moment="Mami's death", status=Status.PENDING, show="Madoka Magica") -> Nomination:
    return Nomination(
        id=number,
        guild_id=GUILD,
        number=number,
        list_id="top10-sad-anime-moments",
        author_id=500 + number,
        show=show,
        moment=Spoiler(moment),
        episode=None,
        what_happens=Spoiler("What happens."),
        why=Spoiler("Why."),
        format=Format.TV,
        represented_by=None,
        status=status,
        merged_into=None,
        seconds=0,
        channel_id=None,
        message_id=None,
        created_at=T0,
    )


# -- make_draft ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["show", "moment", "what_happens", "why"])
@pytest.mark.parametrize("blank", ["", "   \n\t  ", "\x00\u202e\x07", "!!! ?? — ...", "___ ***"])
def test_blank_or_symbols_only_field_is_refused_and_everything_typed_is_echoed(field, blank):
    with pytest.raises(NominationRefused, match="can't be empty") as refused:
        draft(**{field: blank})
    others = [value for name, value in FIELDS.items() if name != field]
    for text in others:
        assert text in refused.value.typed, f"lost {text!r}"
    if blank.strip(" \n\t\x00\u202e\x07"):
        assert blank.strip() in refused.value.typed


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("show", SHOW_MAX),
        ("moment", MOMENT_MAX),
        ("what_happens", WHAT_HAPPENS_MAX),
        ("why", WHY_MAX),
    ],
)
def test_over_long_field_is_refused_with_the_text_kept_but_the_limit_itself_is_fine(field, limit):
    assert getattr(draft(**{field: "a" * limit}), field) == "a" * limit
    too_long = "a" * (limit + 1)
    with pytest.raises(NominationRefused, match=str(limit)) as refused:
        draft(**{field: too_long})
    assert too_long in refused.value.typed
    assert FIELDS["what_happens" if field != "what_happens" else "why"] in refused.value.typed


def test_invisible_controls_never_reach_the_screen_and_the_rest_is_kept_verbatim():
    hostile = "||x|| **b** __u__ ~~s~~ `c` @everyone @here zero\u200bwidth join\u200der <@123>"
    made = draft(
        show="Madoka\u202e Magica\x07",
        moment="  Mami\u202e's\x00 death\x1b  ",
        what_happens=hostile,
        why="line one\r\nline two\rthree\u2066",
        episode="   ",
    )
    assert clean(made.moment) == "Mami's death"
    assert made.moment_key == draft(moment="Mami's death").moment_key
    assert made.what_happens == hostile
    assert clean(made.why) == "line one\nline two\nthree"
    assert made.episode is None
    assert public_handle(replace(nomination(1), public_show=made.show)) == "Nomination #1 · Madoka Magica"


def test_draft_keys_ignore_case_and_punctuation():
    assert draft(moment="Mami's death").moment_key == draft(moment="MAMIS   DEATH!").moment_key
    assert draft(show="Steins;Gate").show_key == draft(show="steins gate").show_key


# -- check_rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [Format.MOVIE, Format.OVA, Format.SPECIAL])
def test_movies_one_off_ovas_and_specials_are_refused_quoting_the_series_only_rule(top_list, fmt):
    with pytest.raises(NominationRefused) as refused:
        check_rules(draft(fmt, show="Some Film Nobody Listed"), top_list, GuildSettings(GUILD))
    assert top_list.rules.series_only in refused.value.message
    assert FIELDS["what_happens"] in refused.value.typed


@pytest.mark.parametrize("fmt", [Format.TV, Format.ONA, Format.UNKNOWN])
def test_series_formats_and_not_sure_are_accepted(top_list, fmt):
    checked = check_rules(draft(fmt, show="Clannad After Story"), top_list, GuildSettings(GUILD))
    assert checked.draft.show == "Clannad After Story"
    assert checked.represented_by is None


LISTED = [
    ("anohana: the flower we saw that day", "anohana"),
    ("STEINS GATE", "steins-gate"),
    ("Puella Magi Madoka Magica", "madoka-magica"),
    ("robotics notes", "robotics-notes"),
    ("Black Rock Shooter!", "black-rock-shooter"),
]


@pytest.mark.parametrize(("show", "key"), LISTED)
def test_listed_show_by_any_title_is_refused_where_the_server_takes_only_new_shows(top_list, show, key):
    entry = top_list.entry(key)
    with pytest.raises(NominationRefused) as refused:
        check_rules(draft(show=show), top_list, GuildSettings(GUILD, allow_listed_shows=False))
    assert top_list.rules.one_per_show in refused.value.message
    assert entry.handle in refused.value.message
    assert show in refused.value.typed


@pytest.mark.parametrize(("show", "key"), LISTED)
def test_listed_show_is_accepted_by_default_and_linked_to_its_entry(top_list, show, key):
    checked = check_rules(draft(show=show), top_list, GuildSettings(GUILD))
    assert checked.represented_by == key


def test_a_partial_title_is_not_taken_for_a_listed_show(top_list):
    checked = check_rules(draft(show="Magi Madoka"), top_list, GuildSettings(GUILD, allow_listed_shows=False))
    assert checked.represented_by is None


# -- check_member_limits ------------------------------------------------------------------------


def test_reaching_the_open_nomination_limit_is_refused():
    settings = GuildSettings(GUILD, max_open_nominations=3)
    check_member_limits(2, None, settings, T0)
    with pytest.raises(NominationRefused, match="limit here is 3") as refused:
        check_member_limits(3, None, settings, T0, draft())
    assert FIELDS["why"] in refused.value.typed


@pytest.mark.parametrize(("elapsed", "remaining"), [(10, 50), (0, 60), (59, 1), (59.9, 1)])
def test_cooldown_refuses_with_the_seconds_left(elapsed, remaining):
    settings = GuildSettings(GUILD, cooldown_seconds=60)
    with pytest.raises(NominationRefused) as refused:
        check_member_limits(0, T0, settings, T0 + timedelta(seconds=elapsed), draft())
    assert f"wait {remaining} s" in refused.value.message
    assert FIELDS["moment"] in refused.value.typed


@pytest.mark.parametrize("elapsed", [60, 61, 3600])
def test_cooldown_is_over_exactly_at_the_boundary(elapsed):
    settings = GuildSettings(GUILD, cooldown_seconds=60)
    check_member_limits(0, T0, settings, T0 + timedelta(seconds=elapsed), draft())


# -- near_duplicate -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Mamis Death!", "mami's death", "Mami's deeth", "Mami's deaht"])
def test_same_or_nearly_same_moment_name_is_found(typed):
    existing = nomination(1, "Mami's death")
    assert near_duplicate(draft(moment=typed), [existing]) is existing


@pytest.mark.parametrize("typed", ["Kyubay", "Kyubye", "Kyube", "Kyubeey"])
def test_one_typo_in_a_short_name_is_still_found(typed):
    existing = nomination(1, "Kyubey")
    assert near_duplicate(draft(moment=typed), [existing]) is existing


def test_one_letter_apart_in_a_very_short_name_is_another_name():
    assert near_duplicate(draft(moment="Mimi"), [nomination(1, "Mami")]) is None


def test_a_different_moment_of_the_same_show_is_not_a_duplicate():
    assert near_duplicate(draft(moment="Sayaka becomes a witch"), [nomination(1, "Mami's death")]) is None


def test_the_closest_moment_wins_among_several():
    close, exact = nomination(1, "Mami's deaht"), nomination(2, "Mami's death")
    assert near_duplicate(draft(moment="Mamis Death!"), [close, exact]) is exact


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.MERGED])
def test_withdrawn_or_merged_nominations_are_ignored(status):
    assert near_duplicate(draft(moment="Mami's death"), [nomination(1, "Mami's death", status)]) is None


def test_approved_nominations_still_count_as_duplicates():
    approved = nomination(1, "Mami's death", Status.APPROVED)
    assert near_duplicate(draft(moment="Mamis death"), [approved]) is approved


# -- handle -------------------------------------------------------------------------------------


def test_handle_names_the_number_and_only_a_known_title():
    typed = nomination(7, "Mami's death", show="Madoka - Mami gets beheaded by Charlotte")
    assert public_handle(typed) == "Nomination #7"
    assert show_is_hidden(typed)
    known = replace(typed, public_show="Madoka Magica")
    assert public_handle(known) == "Nomination #7 · Madoka Magica"
    assert not show_is_hidden(known)


def test_handle_hides_even_a_known_show_when_titles_are_spoilers():
    known = replace(nomination(7), public_show="Madoka Magica")
    assert public_handle(known, hide_shows=True) == "Nomination #7"
    assert show_is_hidden(known, hide_shows=True)


def test_a_show_on_the_list_gets_the_lists_title_by_any_of_its_titles(top_list):
    checked = check_rules(draft(show="puella magi madoka magica"), top_list, GuildSettings(GUILD))
    assert (checked.represented_by, checked.known_show) == ("madoka-magica", "Madoka Magica")
    unknown = check_rules(draft(show="Madoka - Mami gets beheaded"), top_list, GuildSettings(GUILD))
    assert (unknown.represented_by, unknown.known_show) == (None, None)


def test_the_list_place_leaves_the_title_out_when_titles_are_spoilers(top_list):
    madoka = top_list.entry("madoka-magica")
    assert list_place(madoka) == "#10 · Madoka Magica"
    assert list_place(madoka, hide_shows=True) == "#10"
    assert list_place(top_list.entry("anohana"), hide_shows=True) == "Honorable mention"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("3", "3", "Episode 3"),
        ("Episode 12", "12", "Episode 12"),
        ("ep. 7", "7", "Episode 7"),
        ("#24", "24", "Episode 24"),
        ("2x05", "2x05", "Season 2, episode 5"),
        ("2 x 5", "2x05", "Season 2, episode 5"),
        ("S2E5", "2x05", "Season 2, episode 5"),
        ("season 3 episode 12", "3x12", "Season 3, episode 12"),
        ("S01 E10", "1x10", "Season 1, episode 10"),
    ],
)
def test_an_episode_is_a_number_or_a_season_and_episode_shown_one_way(typed, stored, shown):
    made = draft(episode=typed)
    assert made.episode == stored
    assert episode_label(made.episode) == shown


@pytest.mark.parametrize(
    "typed", ["Ep 3: Mami dies", "the one where Mami dies", "0", "3²", "٣", "12345", "3-4", "2x", "x5", "100x1"]
)
def test_any_other_episode_is_refused_with_everything_typed_given_back(typed):
    with pytest.raises(NominationRefused, match="must be a number") as refused:
        draft(episode=typed)
    assert typed.strip() in refused.value.typed
    assert FIELDS["what_happens"] in refused.value.typed and FIELDS["moment"] in refused.value.typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "12"),
        ("Ep 12", "12"),
        ("episode  7", "7"),
        ("#3", "3"),
        ("e4", "4"),
        ("9999", "9999"),
        ("2x5", "2x05"),
        ("S2E5", "2x05"),
        ("Season 2 Episode 5", "2x05"),
        ("s1, ep. 12", "1x12"),
        ("99x9999", "99x9999"),
        ("2×05", "2x05"),
    ],
)
def test_episodes_are_read_as_numbers_or_season_and_episode(typed, stored):
    assert parse_episode(typed) == stored


@pytest.mark.parametrize("typed", ["0", "10000", "0x05", "100x1", "2x0", "2x10000", "²", "Ep 3: Mami dies", "x5"])
def test_anything_else_is_not_an_episode(typed):
    assert parse_episode(typed) is None


def test_free_text_episodes_from_before_the_check_have_no_label():
    assert episode_label("Ep 3: Mami dies") is None


@pytest.mark.parametrize(
    ("typed", "confirmed"),
    [
        ("  Madoka Magica ", "Madoka Magica"),
        ("**Madoka** ||Magica||", "Madoka Magica"),
        ("Madoka @everyone\nMagica", "Madoka @\u200beveryone Magica"),
        ("`Madoka` <@123>", "Madoka @123"),
    ],
)
def test_a_confirmed_title_is_made_inert(typed, confirmed):
    assert confirm_show_title(typed) == confirmed


@pytest.mark.parametrize("typed", ["", "   ", "||||", "** __ ~~", "a" * (SHOW_MAX + 1)])
def test_an_empty_or_over_long_confirmed_title_is_refused(typed):
    with pytest.raises(UserFacingError):
        confirm_show_title(typed)


def test_refused_titles_say_why_and_give_the_text_back():
    with pytest.raises(UserFacingError) as empty:
        confirm_show_title("** __")
    assert empty.value.message == "The public show title can't be empty or only symbols."
    assert empty.value.typed == ("** __",)
    with pytest.raises(UserFacingError) as blank:
        confirm_show_title("   ")
    assert blank.value.typed == ()  # nothing worth giving back
    with pytest.raises(UserFacingError) as long:
        confirm_show_title("a" * (SHOW_MAX + 1))
    assert long.value.message == (
        f"The public show title is {SHOW_MAX + 1} characters; please keep it under {SHOW_MAX}."
    )
    assert long.value.typed == ("a" * (SHOW_MAX + 1),)
    assert confirm_show_title("a" * SHOW_MAX) == "a" * SHOW_MAX  # the limit itself is fine


def test_a_decision_on_an_older_revision_is_refused_with_the_current_version():
    edited = replace(nomination(4), revision=3)
    check_revision(edited, 3)
    check_revision(edited, None)
    with pytest.raises(NominationChanged) as changed:
        check_revision(edited, 2)
    assert changed.value.current is edited
    assert changed.value.message == (
        "**Nomination #4** was edited by its author after you opened it, so I did nothing. "
        "Here is the new version: please decide again."
    )


def test_a_show_digest_is_short_stable_and_tells_long_titles_apart():
    long_title = "anohimitahananonamaeobokutachiwamadashiranai"
    assert show_digest(long_title) == show_digest(long_title)
    assert len(show_digest(long_title)) == 16 and show_digest(long_title) != show_digest(long_title[:40])


@pytest.mark.parametrize(
    "show",
    [
        "**Madoka** ||Magica||",
        "`Madoka` _Magica_ ~~x~~",
        "Madoka @everyone\nMagica",
        "> Madoka\n# Magica @HERE",
        "Madoka\r\n```Magica```\\",
        "||||Madoka|| <@123> @Everyone",
    ],
)
def test_a_hostile_known_title_is_inert_in_the_handle(show):
    handle = public_handle(replace(nomination(3), public_show=show))
    assert handle.startswith("Nomination #3 · ")
    for forbidden in ("|", "*", "`", "\n", "\r", "_", "~", "\\"):
        assert forbidden not in handle, (forbidden, handle)
    assert "@everyone" not in handle.lower() and "@here" not in handle.lower()
    if "@everyone" in show.lower():
        assert "@\u200b" in handle
    assert "Madoka" in handle


# -- near_duplicate: the search goes on past nominations that can't be duplicates ------------------


@pytest.mark.parametrize(
    "skipped",
    [
        nomination(1, "Mami's death", Status.WITHDRAWN),
        nomination(1, "Mami's death", Status.REJECTED),
        nomination(1, "Mami's death", Status.MERGED),
        nomination(1, "Mami's death 2"),  # another part's moment
    ],
    ids=["withdrawn", "rejected", "merged", "another part"],
)
def test_a_real_duplicate_after_one_that_cannot_be_a_duplicate_is_still_found(skipped):
    real = nomination(2, "Mami's death")
    assert near_duplicate(draft(moment="Mami's death"), [skipped, real]) is real


def test_of_two_equally_close_duplicates_the_first_is_named():
    first, second = nomination(1, "Mami's deaht"), nomination(2, "Mami's daeth")
    assert near_duplicate(draft(moment="Mami's death"), [first, second]) is first


def test_a_similarity_of_exactly_the_threshold_is_a_duplicate():
    # 11 letters inside 14: a similarity of 2 × 11 / 25 = 88, three edits apart (not one typo).
    existing = nomination(1, "Kaminas dies now")
    assert near_duplicate(draft(moment="Kaminas dies"), [existing]) is existing
    assert near_duplicate(draft(moment="Kamina dies"), [existing]) is None


def test_numbers_must_agree_for_a_duplicate():
    assert near_duplicate(draft(moment="Part 1 finale"), [nomination(1, "Part 2 finale")]) is None
    assert near_duplicate(draft(moment="Part 2 finale"), [nomination(1, "Part 2 finale")]) is not None


# -- the words members read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "label"),
    [("show", "The show"), ("moment", "The moment"), ("what_happens", "What happens"), ("why", "Why it moved you")],
)
def test_an_empty_field_is_named_in_the_refusal(field, label):
    with pytest.raises(NominationRefused) as refused:
        draft(**{field: "  "})
    assert refused.value.message == f"Please fill in *{label}*: it can't be empty or only symbols."


def test_an_over_long_field_is_named_with_its_length_and_limit():
    with pytest.raises(NominationRefused) as refused:
        draft(why="w" * (WHY_MAX + 5))
    assert refused.value.message == f"*Why it moved you* is {WHY_MAX + 5} characters; please keep it under {WHY_MAX}."
    with pytest.raises(NominationRefused) as refused:
        draft(episode="e" * (EPISODE_MAX + 1))
    assert refused.value.message.startswith("*Episode* must be a number like `12`")  # never a number that long


@pytest.mark.parametrize("episode", [None, "", "  "])
def test_no_episode_is_stored_as_none(episode):
    assert draft(episode=episode).episode is None


def test_a_refusal_without_a_draft_echoes_nothing():
    refused = NominationRefused("No.")
    assert (refused.message, refused.typed, refused.draft) == ("No.", (), None)
    made = draft()
    assert NominationRefused("No.", made).draft is made


def test_already_nominated_points_to_the_existing_nomination_in_members_words():
    existing, made = replace(nomination(4), public_show="Madoka Magica"), draft()
    refused = AlreadyNominated(existing, made)
    assert refused.message == (
        "**Nomination #4 · Madoka Magica** already nominates that moment. You can second it instead."
    )
    unconfirmed = AlreadyNominated(nomination(4), made)  # the member's own show text stays out
    assert unconfirmed.message == "**Nomination #4** already nominates that moment. You can second it instead."
    assert refused.existing is existing and refused.draft is made and FIELDS["why"] in refused.typed


def test_the_open_nomination_limit_and_cooldown_in_members_words():
    settings = GuildSettings(GUILD, max_open_nominations=2, cooldown_seconds=30)
    with pytest.raises(NominationRefused) as refused:
        check_member_limits(2, None, settings, T0)
    assert refused.value.message == (
        "You already have 2 nominations waiting for review (the limit here is 2). "
        "Withdraw one, or wait until a moderator reviews them."
    )
    with pytest.raises(NominationRefused) as refused:
        check_member_limits(0, T0, settings, T0 + timedelta(seconds=10))
    assert refused.value.message == "Please wait 20 s before nominating again."


def test_a_handle_cuts_a_show_too_long_for_discord():
    handle = public_handle(replace(nomination(5), public_show="\U0001f622" * SHOW_MAX))
    assert handle == "Nomination #5 · " + "\U0001f622" * 49 + "…"
