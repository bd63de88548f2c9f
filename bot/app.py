"""The Namida bot: holds settings, store and lists; loads the feature cogs; syncs commands."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
from discord.ext import commands

from bot import heap
from bot.anime_catalogue import AnimeCatalogue
from bot.answers import DirectAnswers
from bot.chart_files import KeptCharts, charts_folder
from bot.chart_worker import ChartWorker
from bot.charts import Charts
from bot.compat import silence_voice_warnings
from bot.components import ComponentRouter
from bot.domain.catalog import Catalog
from bot.domain.errors import StaleComponent
from bot.funnel import NamidaTree, payload_data, send_ephemeral, typed_text_reply
from bot.health import GatewayState, HealthServer
from bot.metrics import Metrics
from bot.refresher import MessageRefresher
from bot.settings import Settings
from bot.storage.engine import Database
from bot.storage.guild_settings import GuildSettingsStore
from bot.storage.nominations import NominationStore
from bot.storage.polls import PollStore
from bot.storage.server_lists import ServerListStore
from bot.sync import sync_commands_if_changed
from bot.ui import EXPIRED_FORM, NamidaModal, submitted_text

log = logging.getLogger(__name__)

# discord.py's default pool is unbounded: a burst of 2,000 clicks opened 2,000 connections to
# answer them. A bounded pool reuses warm connections; requests beyond it wait their turn.
HTTP_CONNECTIONS = 32

EXTENSIONS = ("cogs.entries", "cogs.about", "cogs.nominations", "cogs.polls", "cogs.lists")


class Namida(commands.Bot):
    settings: Settings
    store: Database
    guild_settings: GuildSettingsStore
    nominations: NominationStore
    polls: PollStore
    refresher: MessageRefresher
    catalog: Catalog
    anime_catalogue: AnimeCatalogue
    force_sync: bool
    settle_heap: bool
    started_at: datetime
    components: ComponentRouter
    answers: DirectAnswers
    gateway: GatewayState
    metrics: Metrics
    health: HealthServer

    def __init__(
        self,
        *,
        settings: Settings,
        store: Database,
        catalog: Catalog,
        force_sync: bool = False,
        settle_heap: bool = False,
        **client_options: Any,
    ) -> None:
        client_options.setdefault("connector", aiohttp.TCPConnector(limit=HTTP_CONNECTIONS))
        silence_voice_warnings()
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            # Slash commands need no privileged intent; guilds alone keeps the cache small.
            intents=discord.Intents(guilds=True),
            tree_cls=NamidaTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **client_options,
        )
        self.settings = settings
        self.store = store
        self.guild_settings = GuildSettingsStore(store)
        self.nominations = NominationStore(store)
        self.polls = PollStore(store)
        self.server_lists = ServerListStore(store)
        self.refresher = MessageRefresher()
        # Charts are drawn in a process of their own, and a closed poll's chart only once.
        self.charts = Charts(KeptCharts(charts_folder(settings.catalogue)), ChartWorker())
        self.catalog = catalog
        self.anime_catalogue = AnimeCatalogue(settings.catalogue)
        self.force_sync = force_sync
        self.settle_heap = settle_heap  # only the real process: see bot/heap.py
        self.started_at = datetime.now(UTC)
        self.components = ComponentRouter()
        self.answers = DirectAnswers(settings.answer_client)
        self.gateway = GatewayState(settings.shards.ids if settings.shards.sharded else ())
        if settings.shards.sharded:
            self.add_listener(self.gateway.on_shard_connected, "on_shard_connect")
            self.add_listener(self.gateway.on_shard_connected, "on_shard_resumed")
            self.add_listener(self.gateway.on_shard_disconnected, "on_shard_disconnect")
        else:
            self.add_listener(self.gateway.on_connected, "on_connect")
            self.add_listener(self.gateway.on_connected, "on_resumed")
            self.add_listener(self.gateway.on_disconnected, "on_disconnect")
        self.metrics = Metrics(lambda: self.latency)
        store.commit_observer = self.metrics.commit_seconds.observe
        self.polls.vote_observer = self.metrics.votes.inc
        self.health = HealthServer(self.gateway, self._database_answers, self.metrics, self._refresh_metrics)

    async def setup_hook(self) -> None:
        await self.answers.start()
        self.anime_catalogue.start()  # in the background: start-up never waits for it
        if self.settings.http_port is not None:
            await self.health.start(self.settings.http_host, self.settings.http_port)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.shards.syncs_commands:
            await sync_commands_if_changed(self.tree, self.store, self.settings.dev_guild, force=self.force_sync)
        else:
            log.info("Application commands are synced by the process that runs shard 0")
        if self.settle_heap:
            heap.settle()

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process runs the guild's background work: the process connecting its shard."""
        return self.settings.shards.owns_guild(guild_id)

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (id %s) to %d servers",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
        )

    async def _database_answers(self) -> None:
        await self.store.ping()

    async def _refresh_metrics(self) -> None:
        self.metrics.set_from_database(await self.polls.open_count(), await self.nominations.count_by_status())

    async def on_app_command_completion(self, interaction: discord.Interaction, _command: object) -> None:
        self.metrics.answer_seconds.labels(kind="application_command").observe(_age(interaction))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.metrics.interactions.labels(kind=interaction.type.name).inc()
        # Every Namida component is routed by ``components`` and every form is a NamidaModal: an id
        # neither knows is forged, outdated or from before a restart, and would go unanswered.
        data = payload_data(interaction)
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is discord.InteractionType.component:
            if not await self.components.dispatch(interaction, custom_id):
                log.info("Unknown component id on interaction %s", interaction.id)
                await send_ephemeral(interaction, StaleComponent().message)
            self.metrics.answer_seconds.labels(kind="component").observe(_age(interaction))
        elif interaction.type is discord.InteractionType.modal_submit and custom_id not in NamidaModal.live:
            log.info("Expired form on interaction %s", interaction.id)
            await send_ephemeral(interaction, EXPIRED_FORM, **typed_text_reply(submitted_text(data)))

    async def close(self) -> None:
        if not self.is_closed():
            await self.polls.writer.drain()  # votes already clicked are committed before exit
            await self.refresher.flush()
            await self.answers.close()
            await self.health.close()
            await self.anime_catalogue.close()
            await self.charts.close()
        NamidaModal.forget_all()  # open forms die with the process that showed them
        await super().close()
        await self.store.close()


# What every cog's callback receives: ``interaction.client`` is the Namida, with its stores typed.
Interaction = discord.Interaction[Namida]


class ShardedNamida(Namida, commands.AutoShardedBot):
    """Namida connecting only the shards NAMIDA_SHARDS names (out of NAMIDA_SHARD_COUNT)."""


def bot_class(settings: Settings) -> tuple[type[Namida], dict[str, Any]]:
    """The plain bot when sharding is unset (as always); else an AutoShardedBot and its options."""
    shards = settings.shards
    if shards.count is None:
        return Namida, {}
    return ShardedNamida, {"shard_count": shards.count, "shard_ids": list(shards.ids)}


def _age(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction (its snowflake's time)."""
    return max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())
