"""How a click changes a member's ballot, and what each ballot adds to the tally."""

import pytest

from bot.domain.ballots import PollClosed, Replace, Toggle, TooManyChoices, counted, decode, encode, next_ballot
from bot.domain.errors import UserFacingError
from bot.domain.polls import Mode
from tests.polls import make_poll

LABELS = ["Kamina", "Mami", "Maes", "Nina"]
SINGLE = make_poll(LABELS)
APPROVAL = make_poll(LABELS, mode=Mode.APPROVAL, max_choices=2)
RANKED = make_poll(LABELS, mode=Mode.RANKED)


@pytest.mark.parametrize(
    ("old", "index", "new"),
    [
        ((), 1, (1,)),  # a first vote
        ((1,), 2, (2,)),  # switching to another option
        ((1,), 1, ()),  # clicking one's own choice takes the vote back
    ],
)
def test_a_single_choice_click_votes_switches_or_takes_back(old, index, new):
    assert next_ballot(SINGLE, old, Toggle(index)) == new


@pytest.mark.parametrize(
    ("old", "index", "new"),
    [
        ((), 3, (3,)),
        ((3,), 0, (0, 3)),  # choices are kept in option order whatever the click order
        ((0, 3), 3, (0,)),  # taking back one choice keeps the other
        ((0, 3), 0, (3,)),
        ((2,), 2, ()),
    ],
)
def test_an_approval_click_adds_or_takes_back_one_choice(old, index, new):
    assert next_ballot(APPROVAL, old, Toggle(index)) == new


def test_an_approval_ballot_at_its_limit_still_lets_a_member_take_one_back():
    assert next_ballot(APPROVAL, (1, 2), Toggle(2)) == (1,)


def test_an_approval_ballot_refuses_a_choice_over_the_limit_and_says_how_many():
    with pytest.raises(TooManyChoices) as refused:
        next_ballot(APPROVAL, (1, 2), Toggle(0))
    assert isinstance(refused.value, UserFacingError)
    assert refused.value.message == "You can pick at most 2 options in this poll: take one back first."


def test_an_approval_ballot_one_under_its_limit_takes_one_more():
    assert next_ballot(APPROVAL, (1,), Toggle(0)) == (0, 1)


@pytest.mark.parametrize("poll", [SINGLE, APPROVAL, RANKED], ids=["single", "approval", "ranked"])
@pytest.mark.parametrize("choices", [(2, 0, 1), ()], ids=["ballot", "cleared"])
def test_a_menu_or_ranked_ballot_replaces_the_whole_ballot(poll, choices):
    assert next_ballot(poll, (3,), Replace(choices)) == choices


def test_a_closed_poll_says_so_in_members_words():
    assert PollClosed().message == "This poll is closed, so votes can't change any more."


def test_a_ranked_ballot_counts_only_its_first_preference():
    assert counted(RANKED, (2, 0, 1)) == (2,)
    assert counted(RANKED, ()) == ()


@pytest.mark.parametrize("poll", [SINGLE, APPROVAL], ids=["single", "approval"])
def test_other_ballots_count_every_choice(poll):
    assert counted(poll, (0, 3)) == (0, 3)


@pytest.mark.parametrize(
    ("ballot", "text"),
    [((), ""), ((4,), "4"), ((2, 0, 11), "2,0,11")],
)
def test_a_ballot_is_stored_as_its_choices_joined_by_commas_and_read_back(ballot, text):
    assert encode(ballot) == text
    assert decode(text) == ballot
