"""Nominations on a real database (SQLite and PostgreSQL): submitting, duplicates, limits, seconds under
concurrency, moderation, merging, edits and the list pages members browse."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.nomination_changes import LIVE, NominationNotOpen
from bot.domain.nominations import (
    AlreadyNominated,
    Format,
    NominationChanged,
    NominationRefused,
    Status,
    check_rules,
    make_draft,
)
from bot.storage.guild_settings import GuildSettingsStore
from bot.storage.nominations import NominationStore
from tests.stored import has_seconded, last_reason

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 1001, 2002
ALICE, BOB, CAROL, DAVE = 11, 22, 33, 44
MOD = 99
FREE = GuildSettings(GUILD, max_open_nominations=25, cooldown_seconds=0)  # each test meets only its own rule


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
async def noms(database):
    return NominationStore(database)


@pytest.fixture
def submit(noms, top_list):
    """Submits a nomination through make_draft and check_rules, as the form does."""

    async def submit(author, moment, *, show="Clannad After Story", guild=GUILD, now=T0, fmt=Format.TV, **kw):
        settings = kw.get("settings", FREE)
        draft = make_draft(show, moment, "Episode 3", kw.get("what", "What happens."), kw.get("why", "Why."), fmt)
        checked = check_rules(draft, top_list, settings)
        return await noms.add_nomination(guild, top_list.id, author, checked, settings, now)

    return submit


def edit_draft(moment, what="Edited text.", why="Edited why."):
    return make_draft("Clannad After Story", moment, "Episode 4", what, why, Format.TV)


async def count(noms, table="nominations"):
    return await noms.store.fetch_value(f"SELECT count(*) FROM {table}")


async def seconders(noms, nomination_id):
    rows = await noms.store.fetch_all("SELECT user_id FROM seconds WHERE nomination_id = ?", nomination_id)
    return sorted(r[0] for r in rows)


async def test_numbers_count_up_per_guild_independently(submit):
    here = [await submit(ALICE, f"Moment {m}", now=at(m)) for m in (1, 2, 3)]
    there = [await submit(ALICE, "Moment 1", guild=OTHER_GUILD), await submit(BOB, "Moment 2", guild=OTHER_GUILD)]
    assert [n.number for n in here] == [1, 2, 3]
    assert [n.number for n in there] == [1, 2]
    assert {n.guild_id for n in there} == {OTHER_GUILD}


async def test_hostile_text_is_stored_and_read_back_verbatim(noms, submit):
    markdown = ("sad **_~||" * 100)[:1000]
    made = await submit(ALICE, "||x|| @everyone", what=markdown, why="`code` <@123> @here", show="Steins;Gate")
    again = await noms.by_number(GUILD, made.number)
    assert again.moment.reveal() == "||x|| @everyone"
    assert again.what_happens.reveal() == markdown
    assert again.why.reveal() == "`code` <@123> @here"
    assert again.show == "Steins;Gate" and again.represented_by == "steins-gate"
    assert again.status is Status.PENDING and again.seconds == 0 and again.created_at == T0
    with pytest.raises(NominationRefused):  # 4000 characters never reach the store
        await submit(BOB, "Moment", what=("sad **_~||" * 400), now=at(1))
    assert await count(noms) == 1


async def test_submission_records_a_pending_event_by_the_author(noms, submit):
    made = await submit(ALICE, "Moment")
    rows = await noms.store.fetch_all(
        "SELECT status, actor_id, at FROM nomination_events WHERE nomination_id = ?", made.id
    )
    assert [tuple(r) for r in rows] == [("pending", ALICE, "2025-03-01T12:00:00.000000+00:00")]


@pytest.mark.parametrize("again", ["Mamis Death!", "MAMI'S DEATH", "Mami's deeth"])
async def test_same_moment_again_is_refused_naming_the_first(noms, submit, again):
    first = await submit(ALICE, "Mami's death")
    with pytest.raises(AlreadyNominated) as refused:
        await submit(BOB, again, show="clannad: after story", now=at(5))
    assert refused.value.existing == first
    assert again in refused.value.typed
    assert await count(noms) == 1


async def test_a_withdrawn_moment_may_be_nominated_again(noms, submit):
    first = await submit(ALICE, "Mami's death")
    await noms.change_status(first.id, Status.WITHDRAWN, ALICE, at(1))
    second = await submit(BOB, "Mami's death", now=at(2))
    assert second.number == 2 and second.status is Status.PENDING


async def test_a_rejected_moment_cannot_be_nominated_again_word_for_word(noms, submit):
    first = await submit(ALICE, "Mami's death")
    await noms.change_status(first.id, Status.REJECTED, MOD, at(1), reason="Not contained")
    with pytest.raises(AlreadyNominated) as refused:
        await submit(BOB, "Mami's death", now=at(2))
    assert refused.value.existing.id == first.id
    assert await count(noms) == 1


async def test_open_nomination_limit_is_enforced_on_submit(noms, submit):
    one = GuildSettings(GUILD, max_open_nominations=1, cooldown_seconds=0)
    first = await submit(ALICE, "First", settings=one)
    with pytest.raises(NominationRefused, match="limit here is 1"):
        await submit(ALICE, "Second", settings=one, now=at(1))
    await submit(BOB, "Someone else's", settings=one, now=at(1))
    await noms.change_status(first.id, Status.APPROVED, MOD, at(2))
    assert (await submit(ALICE, "Second", settings=one, now=at(3))).number == 3


async def test_cooldown_is_enforced_on_submit(noms, submit):
    slow = GuildSettings(GUILD, max_open_nominations=25, cooldown_seconds=60)
    await submit(ALICE, "First", settings=slow)
    with pytest.raises(NominationRefused, match="wait 50 s"):
        await submit(ALICE, "Second", settings=slow, now=at(10))
    await submit(BOB, "Other member, no wait", settings=slow, now=at(10))
    assert (await submit(ALICE, "Second", settings=slow, now=at(61))).number == 3


@pytest.mark.parametrize("second_author", [ALICE, BOB])
async def test_the_same_moment_submitted_twice_at_once_is_stored_once(noms, submit, second_author):
    results = await asyncio.gather(
        submit(ALICE, "Mami's death"), submit(second_author, "Mami's death"), return_exceptions=True
    )
    stored = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, AlreadyNominated)]
    assert len(stored) == 1 and len(refused) == 1
    assert refused[0].existing == stored[0]
    assert await count(noms) == 1


async def test_twenty_members_seconding_at_once_all_count(noms, submit):
    made = await submit(ALICE, "Moment")
    results = await asyncio.gather(*(noms.toggle_second(made.id, 1000 + i, at(1)) for i in range(20)))
    assert all(seconded for seconded, _ in results)
    assert (await noms.by_id(made.id)).seconds == 20
    assert len(await seconders(noms, made.id)) == 20


async def test_a_double_click_on_second_leaves_a_consistent_count(noms, submit):
    made = await submit(ALICE, "Moment")
    await asyncio.gather(noms.toggle_second(made.id, BOB, at(1)), noms.toggle_second(made.id, BOB, at(1)))
    rows = await seconders(noms, made.id)
    assert rows.count(BOB) <= 1
    assert (await noms.by_id(made.id)).seconds == len(rows)


async def test_second_then_take_it_back(noms, submit):
    made = await submit(ALICE, "Moment")
    seconded, after = await noms.toggle_second(made.id, BOB, at(1))
    assert seconded and after.seconds == 1 and await has_seconded(noms.store, made.id, BOB)
    seconded, after = await noms.toggle_second(made.id, BOB, at(2))
    assert not seconded and after.seconds == 0 and not await has_seconded(noms.store, made.id, BOB)


async def test_the_author_cannot_second_their_own_nomination(noms, submit):
    made = await submit(ALICE, "Moment")
    with pytest.raises(UserFacingError, match="your own"):
        await noms.toggle_second(made.id, ALICE, at(1))
    assert (await noms.by_id(made.id)).seconds == 0


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WITHDRAWN])
async def test_closed_nominations_cannot_be_seconded(noms, submit, status):
    made = await submit(ALICE, "Moment")
    await noms.change_status(made.id, status, MOD, at(1))
    with pytest.raises(NominationNotOpen, match=status.value):
        await noms.toggle_second(made.id, BOB, at(2))
    assert await seconders(noms, made.id) == []


async def test_refusing_a_second_keeps_a_hidden_show_title_hidden(noms, submit):
    await GuildSettingsStore(noms.store).update(GUILD, T0, show_titles_are_spoilers=True)
    made = await submit(ALICE, "Moment", show="Made in Abyss")
    await noms.change_status(made.id, Status.WITHDRAWN, ALICE, at(1))
    with pytest.raises(NominationNotOpen) as refused:
        await noms.toggle_second(made.id, BOB, at(2))
    assert "Nomination #1" in refused.value.message and "Abyss" not in refused.value.message


async def test_approve_once_and_a_stale_second_approval_is_refused(noms, submit):
    made = await submit(ALICE, "Moment")
    approved = await noms.change_status(made.id, Status.APPROVED, MOD, at(1), reason="Lovely")
    assert approved.status is Status.APPROVED
    with pytest.raises(NominationNotOpen, match="approved"):
        await noms.change_status(made.id, Status.APPROVED, MOD, at(2), reason="again")
    assert await last_reason(noms.store, made.id) == "Lovely"


@pytest.mark.parametrize("first", [None, Status.APPROVED])
async def test_withdraw_from_pending_or_approved_keeps_the_reason(noms, submit, first):
    made = await submit(ALICE, "Moment")
    if first:
        await noms.change_status(made.id, first, MOD, at(1))
    withdrawn = await noms.change_status(
        made.id, Status.WITHDRAWN, ALICE, at(2), reason="Changed my mind", allowed_from=LIVE
    )
    assert withdrawn.status is Status.WITHDRAWN
    assert await last_reason(noms.store, made.id) == "Changed my mind"
    with pytest.raises(NominationNotOpen):
        await noms.change_status(made.id, Status.WITHDRAWN, ALICE, at(3), allowed_from=LIVE)


async def test_merge_moves_supporters_once_each(noms, submit):
    target = await submit(ALICE, "Mami's death")
    source = await submit(BOB, "Mami loses her head", now=at(1))
    for user in (CAROL, DAVE):
        await noms.toggle_second(source.id, user, at(2))
    await noms.toggle_second(target.id, CAROL, at(2))
    merged = await noms.merge(source.id, target.id, MOD, at(3))
    assert merged.id == target.id and merged.seconds == 3
    assert await seconders(noms, target.id) == [BOB, CAROL, DAVE]
    gone = await noms.by_id(source.id)
    assert gone.status is Status.MERGED and gone.merged_into == target.id and gone.seconds == 0
    assert await seconders(noms, source.id) == []
    assert await last_reason(noms.store, source.id) == "merged into #1"


async def test_merge_never_makes_the_target_author_a_seconder(noms, submit):
    target = await submit(ALICE, "Mami's death")
    source = await submit(ALICE, "Mami loses her head", now=at(1))
    await noms.toggle_second(source.id, BOB, at(2))
    merged = await noms.merge(source.id, target.id, MOD, at(3))
    assert await seconders(noms, target.id) == [BOB] and merged.seconds == 1


async def test_merging_into_itself_or_across_servers_is_refused(noms, submit):
    here = await submit(ALICE, "Moment")
    there = await submit(BOB, "Moment", guild=OTHER_GUILD)
    for source, target in ((here, here), (here, there), (there, here)):
        with pytest.raises(UserFacingError, match="different nomination"):
            await noms.merge(source.id, target.id, MOD, at(1))
    assert {(await noms.by_id(n.id)).status for n in (here, there)} == {Status.PENDING}


async def test_edit_keeps_the_earlier_text(noms, submit):
    made = await submit(ALICE, "Moment", what="Original text.")
    edited = await noms.edit_nomination(made.id, ALICE, edit_draft("Better moment name"), at(1))
    assert edited.moment.reveal() == "Better moment name" and edited.episode == "4"
    assert (made.revision, edited.revision) == (1, 2)
    again = await noms.edit_nomination(made.id, ALICE, edit_draft("Best moment name"), at(2))
    assert await noms.edit_count(made.id) == 2 and again.revision == 3
    history = await noms.store.fetch_all("SELECT moment, what_happens FROM nomination_edits ORDER BY id")
    assert [tuple(r) for r in history] == [("Moment", "Original text."), ("Better moment name", "Edited text.")]


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
async def test_only_pending_nominations_can_be_edited(noms, submit, status):
    made = await submit(ALICE, "Moment")
    await noms.change_status(made.id, status, MOD, at(1))
    with pytest.raises(NominationNotOpen, match="edited"):
        await noms.edit_nomination(made.id, ALICE, edit_draft("Other"), at(2))
    assert await noms.edit_count(made.id) == 0
    assert (await noms.by_id(made.id)).moment.reveal() == "Moment"


@pytest.mark.parametrize("moment", ["Mamis Death!", "Mami's deaht"], ids=["same-moment", "near-spelling"])
async def test_editing_into_another_nominations_moment_is_refused(noms, submit, moment):
    taken = await submit(ALICE, "Mami's death")
    mine = await submit(BOB, "Something else", now=at(1))
    with pytest.raises(AlreadyNominated) as refused:
        await noms.edit_nomination(mine.id, BOB, edit_draft(moment), at(2))
    assert refused.value.existing.id == taken.id
    assert (await noms.by_id(mine.id)).moment.reveal() == "Something else"
    assert await noms.edit_count(mine.id) == 0
    fixed = await noms.edit_nomination(taken.id, ALICE, edit_draft("Mami's death", what="Now with detail."), at(3))
    assert fixed.what_happens.reveal() == "Now with detail."  # its own name is no duplicate of itself


async def merged_then_renominated(noms, submit):
    """#1 "Mami loses her head"; #2 "Mami's death" merged into #1; #3 "Mami's death" again."""
    first = await submit(ALICE, "Mami loses her head")
    merged = await submit(BOB, "Mami's death", now=at(1))
    await noms.merge(merged.id, first.id, MOD, at(2))
    return await submit(CAROL, "Mami's death", now=at(3))


async def test_editing_into_a_renominated_moment_names_the_live_nomination(noms, submit):
    live = await merged_then_renominated(noms, submit)
    mine = await submit(DAVE, "Something else", now=at(4))
    with pytest.raises(AlreadyNominated) as refused:
        await noms.edit_nomination(mine.id, DAVE, edit_draft("Mami's death"), at(5))
    assert refused.value.existing.id == live.id


async def test_resubmitting_a_rejected_renominated_moment_names_the_rejected_one(noms, submit):
    rejected = await merged_then_renominated(noms, submit)
    await noms.change_status(rejected.id, Status.REJECTED, MOD, at(4))
    with pytest.raises(AlreadyNominated) as refused:
        await submit(DAVE, "Mami's death", now=at(5))
    assert refused.value.existing.id == rejected.id


@pytest.fixture
async def four(noms, submit):
    """#1 Alice (1 second), #2 Bob (3), #3 Alice (3, Made in Abyss), #4 Carol (0, approved)."""
    made = [
        await submit(ALICE, "One"),
        await submit(BOB, "Two"),
        await submit(ALICE, "Three", show="Made in Abyss"),
        await submit(CAROL, "Four"),
    ]
    for nomination, fans in zip(made, (1, 3, 3, 0), strict=True):
        for fan in range(fans):
            await noms.toggle_second(nomination.id, 500 + fan, at(1))
    await noms.change_status(made[3].id, Status.APPROVED, MOD, at(2))
    await submit(DAVE, "Elsewhere", guild=OTHER_GUILD)
    return made


async def page_numbers(noms, status=None, show_key=None, author_id=None, offset=0, limit=10):
    rows, total = await noms.page(
        GUILD,
        status=status,
        show_keys=[show_key] if show_key else None,
        author_id=author_id,
        offset=offset,
        limit=limit,
    )
    return [n.number for n in rows], total


async def test_page_puts_most_seconded_first_then_by_number(noms, four):
    assert await page_numbers(noms) == ([2, 3, 1, 4], 4)


async def test_page_filters_by_status_show_and_author(noms, four):
    assert await page_numbers(noms, status=Status.APPROVED) == ([4], 1)
    assert await page_numbers(noms, status=Status.PENDING) == ([2, 3, 1], 3)
    assert await page_numbers(noms, show_key="madeinabyss") == ([3], 1)
    assert await page_numbers(noms, author_id=ALICE) == ([3, 1], 2)
    assert await page_numbers(noms, author_id=ALICE, show_key="clannadafterstory") == ([1], 1)
    assert await page_numbers(noms, status=Status.REJECTED) == ([], 0)


async def test_page_offset_and_limit_walk_the_pages(noms, four):
    assert await page_numbers(noms, offset=0, limit=3) == ([2, 3, 1], 4)
    assert await page_numbers(noms, offset=3, limit=3) == ([4], 4)
    assert await page_numbers(noms, offset=6, limit=3) == ([], 4)


async def test_public_shows_are_known_titles_only_never_what_a_member_typed(noms, submit):
    await submit(ALICE, "One", show="madoka magica")  # on the list: its own title is kept
    await submit(BOB, "Two", show="Madoka - Mami gets beheaded by Charlotte")
    typed = await submit(CAROL, "Three", show="clannad: after story")
    await submit(DAVE, "Four", show="Haibane Renmei", guild=OTHER_GUILD)
    assert await noms.public_shows(GUILD) == ["Madoka Magica"]
    await noms.change_status(typed.id, Status.APPROVED, MOD, at(1), public_show="Clannad: After Story")
    assert await noms.public_shows(GUILD) == ["Clannad: After Story", "Madoka Magica"]
    assert await noms.public_shows(404) == []


async def test_a_decision_on_an_edited_nomination_is_refused_and_nothing_changes(noms, submit):
    made = await submit(ALICE, "Moment")
    await noms.edit_nomination(made.id, ALICE, edit_draft("Better moment name"), at(1))
    with pytest.raises(NominationChanged) as changed:
        await noms.change_status(made.id, Status.APPROVED, MOD, at(2), seen_revision=1, public_show="Clannad")
    assert changed.value.current.revision == 2
    twin = await submit(BOB, "Other moment")
    with pytest.raises(NominationChanged):
        await noms.merge(made.id, twin.id, MOD, at(2), seen_revision=1)
    current = await noms.by_id(made.id)
    assert (current.status, current.public_show) == (Status.PENDING, None)
    approved = await noms.change_status(made.id, Status.APPROVED, MOD, at(3), seen_revision=2, public_show="Clannad")
    assert (approved.status, approved.public_show) == (Status.APPROVED, "Clannad")


async def test_known_format_is_the_latest_definite_one(noms, submit):
    await submit(ALICE, "One", fmt=Format.TV)
    await submit(BOB, "Two", fmt=Format.UNKNOWN)
    assert await noms.known_format(GUILD, "clannadafterstory") is Format.TV
    await submit(CAROL, "Three", fmt=Format.ONA)
    assert await noms.known_format(GUILD, "clannadafterstory") is Format.ONA
    assert await noms.known_format(OTHER_GUILD, "clannadafterstory") is None
    await submit(DAVE, "Four", show="Haibane Renmei", fmt=Format.UNKNOWN)
    assert await noms.known_format(GUILD, "haibanerenmei") is None


async def test_approved_lists_only_approved_most_seconded_first(noms, four):
    for nomination in four[:2]:
        await noms.change_status(nomination.id, Status.APPROVED, MOD, at(3))
    assert [n.number for n in await noms.approved(GUILD, 10)] == [2, 1, 4]
    assert [n.number for n in await noms.approved(GUILD, 2)] == [2, 1]
    assert await noms.approved(OTHER_GUILD, 10) == []


async def test_oldest_pending_is_the_lowest_waiting_number(noms, submit):
    assert await noms.oldest_pending(GUILD) is None
    first, second = await submit(ALICE, "One"), await submit(BOB, "Two")
    assert (await noms.oldest_pending(GUILD)).id == first.id
    await noms.change_status(first.id, Status.APPROVED, MOD, at(1))
    assert (await noms.oldest_pending(GUILD)).id == second.id
    await noms.change_status(second.id, Status.REJECTED, MOD, at(2))
    assert await noms.oldest_pending(GUILD) is None
