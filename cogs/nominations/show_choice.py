"""Which catalogue entry a typed show is: the list's show, one catalogue entry for sure, a short
menu for the member to pick from when several could be meant, or none (free text, as without a
catalogue). Then the nomination form opens, knowing what the catalogue says about the show."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import discord

from bot.app import Interaction
from bot.components import Components
from bot.custom_ids import CustomId, ascii_int, text
from bot.domain import limits
from bot.domain.anime import Anime, known_format, one_off_problem
from bot.domain.catalog import TopList
from bot.domain.errors import UserFacingError
from bot.domain.guild_settings import GuildSettings
from bot.domain.nominations import Format, check_member_limits, list_entry_for
from bot.domain.spoilers import inert, shorten
from bot.domain.text import compact
from bot.funnel import payload_data
from bot.permissions import guild_id_of
from bot.ui import FunnelledItem
from cogs.nominations.forms import NominationForm

PICK_SECONDS = 15 * 60  # as long as the form it leads to stays open
MOST_PICKS = limits.SELECT_OPTIONS - 1  # one option is kept for "none of these"
NONE_OF_THESE = "none"
OPEN_PICKS_MAX = 5000  # a flood of /nominate can't grow memory without end
PICK_EXPIRED = "That menu has expired (it is over 15 minutes old, or Namida restarted): run `/nominate` again."


class PickExpired(UserFacingError):
    def __init__(self) -> None:
        super().__init__(PICK_EXPIRED)


@dataclass(frozen=True, slots=True)
class OpenPick:
    user_id: int
    list_id: str
    typed: str
    keys: tuple[str, ...]  # the catalogue entries offered, in menu order
    until: float  # time.monotonic() after which the menu is expired


class OpenPicks:
    """The menus shown and not yet expired, by the token in their custom_id. In memory, like open
    forms: a menu from before a restart answers that it expired."""

    def __init__(self) -> None:
        self._open: dict[str, OpenPick] = {}

    def add(self, pick: OpenPick) -> str:
        now = time.monotonic()
        self._open = {token: p for token, p in self._open.items() if p.until > now}
        while len(self._open) >= OPEN_PICKS_MAX:
            del self._open[next(iter(self._open))]
        token = secrets.token_hex(8)
        self._open[token] = pick
        return token

    def __len__(self) -> int:
        return len(self._open)

    def get(self, token: str, user_id: int) -> OpenPick:
        pick = self._open.get(token)
        if pick is None or pick.until <= time.monotonic() or pick.user_id != user_id:
            raise PickExpired()
        return pick


async def member_settings(interaction: Interaction) -> GuildSettings:
    """The server's settings, refusing a member over their open-nominations limit or cooldown."""
    store, guild_id = interaction.client.nominations, guild_id_of(interaction)
    settings = await interaction.client.guild_settings.get(guild_id)
    open_count, last = await store.member_activity(guild_id, interaction.user.id)
    check_member_limits(open_count, last, settings, discord.utils.utcnow())
    return settings


async def start_nomination(
    interaction: Interaction, top_list: TopList, typed: str, settings: GuildSettings, picks: OpenPicks
) -> None:
    catalogue = interaction.client.anime_catalogue
    on_list = top_list.show_entry(typed)
    if on_list is not None:  # the list's show, and its catalogue entry if the list names one
        anime = await catalogue.by_source(on_list.catalogue) if on_list.catalogue else None
        await open_form(interaction, top_list, typed, anime, settings)
        return
    matches = await catalogue.exact(typed)
    if matches is None or len(matches) == 1:  # None: no catalogue, or not ready yet (free text)
        await open_form(interaction, top_list, typed, matches[0] if matches else None, settings)
        return
    # Several entries share the name, or none has it but some come close: the member says which.
    candidates = matches or await catalogue.search(typed, MOST_PICKS) or []
    if not candidates:
        await open_form(interaction, top_list, typed, None, settings)
        return
    shown = tuple(candidates[:MOST_PICKS])
    until = time.monotonic() + PICK_SECONDS
    token = picks.add(OpenPick(interaction.user.id, top_list.id, typed, tuple(a.key for a in shown), until))
    view = Components()
    view.add_item(ShowPick(token, shown))
    what = "Several shows in the catalogue have that name." if matches else "That isn't a title in the catalogue."
    await interaction.response.send_message(
        f"{what} Which one do you mean? Pick it below, or keep what you typed.", view=view, ephemeral=True
    )


async def open_form(
    interaction: Interaction, top_list: TopList, show: str, anime: Anime | None, settings: GuildSettings
) -> None:
    """The nomination form for ``show``; ``anime``: its catalogue entry, when it is one for sure.
    The catalogue decides "multi-episode shows only" without asking, except for what it can't know."""
    if anime is not None and (problem := one_off_problem(anime)):
        raise UserFacingError(problem)
    known: Format | None
    if list_entry_for(top_list, show, anime) is not None:
        known = Format.TV
    elif anime is not None and (fmt := known_format(anime)) is not None:
        known = fmt
    else:
        known = await interaction.client.nominations.known_format(guild_id_of(interaction), compact(show))
    await NominationForm(top_list, settings, show, known, anime=anime).send_to(interaction)


class ShowPick(
    FunnelledItem,
    discord.ui.DynamicItem[discord.ui.Select],
    custom_id=CustomId("nompick:{token}", token=text("[0-9a-f]", 16, 16, "f")),
):
    """Picking opens the form; a second pick opens a new form that replaces the first (one open
    form per member), so a double click saves nothing twice."""

    private_message_only = True

    def __init__(self, token: str, shown: tuple[Anime, ...] = ()) -> None:
        options = [
            discord.SelectOption(
                label=shorten(inert(anime.label), limits.SELECT_OPTION_LABEL),
                value=str(place),
                description=_also_known_as(anime),
            )
            for place, anime in enumerate(shown)
        ]
        options.append(discord.SelectOption(label="None of these: keep what I typed", value=NONE_OF_THESE))
        super().__init__(
            discord.ui.Select(custom_id=self.ids(token=token), placeholder="Which show is it?", options=options)
        )
        self.token = token

    async def run(self, interaction: Interaction) -> None:
        picks = getattr(interaction.client.get_cog("Nominate"), "picks", None)
        if not isinstance(picks, OpenPicks):  # nominations are not loaded in this process
            raise PickExpired()
        pick = picks.get(self.token, interaction.user.id)
        chosen = str((payload_data(interaction).get("values") or [""])[0])
        top_list = interaction.client.catalog.find(pick.list_id) or interaction.client.catalog.default
        settings = await member_settings(interaction)
        if chosen == NONE_OF_THESE:
            await open_form(interaction, top_list, pick.typed, None, settings)
            return
        place = ascii_int(chosen)
        if place is None or place >= len(pick.keys):
            raise PickExpired()
        anime = await interaction.client.anime_catalogue.by_key(pick.keys[place])
        if anime is None:  # the catalogue is being replaced, or no longer has it
            raise PickExpired()
        await open_form(interaction, top_list, anime.short_title, anime, settings)


def _also_known_as(anime: Anime) -> str | None:
    """Its first other name, so two entries of one title can be told apart ("Your Lie in April")."""
    own = compact(anime.title)
    other = next((name for name in anime.synonyms if compact(name) not in own), None)
    return shorten(inert(f"Also: {other}"), limits.SELECT_OPTION_DESCRIPTION) if other else None


DYNAMIC_ITEMS = (ShowPick,)
