"""The stand-in as its own process, driven over a small control channel.

``python -m standin.serve --token TOKEN [--channels general,polls]`` starts a StandIn on
127.0.0.1, prints one JSON line (``api_base``, ``gateway_url``, ``guild_id``, ``channels``) and then
answers JSON-line requests on stdin, one JSON line each on stdout: ``{"op": "...", ...}`` →
``{"ok": result}`` or ``{"error": "..."}``. Load is generated inside this process (``ClickLoad``),
so a bot under test shares the machine only with the fake Discord, never with its driver.
Times are the stand-in's clock: ``time.monotonic()``, comparable across processes on Linux.

``StandInProcess`` is the client side (used by ``bench``)::

    async with StandInProcess(token) as discord:
        await discord.call("members", prefix="m", count=2000)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import signal
import sys
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from .load import Click, ClickLoad, kill_after_acks
from .models import FakeUser, make_guild
from .server import StandIn

Op = Callable[..., Awaitable[Any]]


class Control:
    """The operations a controlling process may ask for (each one a method ``op_<name>``)."""

    def __init__(self, standin: StandIn) -> None:
        self.standin = standin
        self.load = ClickLoad(standin, checks=True)
        self.users: dict[str, FakeUser] = {}
        self.batches: dict[str, list[Click]] = {}
        self.background: dict[str, list[asyncio.Task[dict[str, Any]]]] = {}
        self.ready_times: list[float] = []
        self._watcher = asyncio.create_task(self._watch_ready())

    async def _watch_ready(self) -> None:
        """Record the moment each connection becomes ready (READY and every GUILD_CREATE sent); a
        killed bot's connection may still be listed while its successor connects."""
        world, gateway = self.standin.world, self.standin.gateway
        seen: weakref.WeakSet = weakref.WeakSet()  # by identity; a closed connection drops out

        def newly_ready() -> list | None:
            fresh = [c for c in gateway.connections if c.ready and c not in seen]
            return fresh or None

        while True:
            for connection in await world.changed.wait_for(newly_ready, 1e9, "a connection"):
                seen.add(connection)
                self.ready_times.append(self.standin.clock.now())

    # --- people and state -----------------------------------------------------------------------
    async def op_clock(self) -> float:
        return self.standin.clock.now()

    async def op_checks(self, on: bool) -> bool:
        self.load.checks = bool(on)
        return self.load.checks

    async def op_member(self, name: str, permissions: Any = 0, roles: list[str] | None = None) -> int:
        self.users[name] = self.standin.member(name, permissions=permissions, roles=roles or ())
        return self.users[name].id

    async def op_members(self, prefix: str, count: int, start: int = 0) -> list[int]:
        ids = []
        for i in range(start, start + count):
            user = self.standin.member(f"{prefix}{i}")
            self.users[user.name] = user
            ids.append(user.id)
        return ids

    async def op_ready_times(self) -> list[float]:
        return self.ready_times

    async def op_wait_ready(self, after: float = 0.0, timeout: float = 30.0) -> float:  # noqa: ASYNC109
        """The first moment after ``after`` at which the gateway was ready."""

        def check() -> float | None:
            return next((t for t in self.ready_times if t >= after), None)

        return await self.standin.world.changed.wait_for(check, timeout, "the bot to be ready")

    async def op_connected(self) -> int:
        return len(self.standin.gateway.connections)

    async def op_violations(self) -> list[str]:
        return self.standin.violations

    async def op_sync_counts(self) -> dict[str, int]:
        return {str(k): v for k, v in self.standin.sync_counts.items()}

    async def op_message(self, id: int) -> dict[str, Any] | None:  # noqa: A002
        return self.standin.get_message(id)

    async def op_post_message(self, channel: str, body: dict[str, Any]) -> dict[str, Any]:
        """A message the bot never sent (e.g. a poll message for a database built offline)."""
        return self.standin.world.create_message(self.standin.guild.channel(channel).id, body, [])

    async def op_messages(self, channel: str) -> list[dict[str, Any]]:
        return self.standin.messages_in(self.standin.guild.channel(channel))

    async def op_requests(self, since: int = 0, method: str | None = None, path: str | None = None) -> list[dict]:
        import re

        pattern = re.compile(path) if path else None
        found = []
        for index, record in enumerate(self.standin.requests[since:], start=since):
            if (method is None or record.method == method) and (pattern is None or pattern.fullmatch(record.path)):
                found.append(
                    {"index": index, "method": record.method, "path": record.path, "time": record.time,
                     "status": record.status, "json": record.json}
                )  # fmt: skip
        return found

    async def op_request_count(self) -> int:
        return len(self.standin.requests)

    async def op_wait_request(self, method: str, path: str, start: int = 0, timeout: float = 10.0) -> dict:  # noqa: ASYNC109
        record = await self.standin.wait_for_request(method, path, timeout, start=start)
        return {"method": record.method, "path": record.path, "time": record.time, "status": record.status}

    # --- interactions ---------------------------------------------------------------------------
    async def op_slash(
        self,
        name: str,
        user: str,
        options: dict | None = None,
        channel: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        result = await self.standin.slash(name, options or {}, user=self.users[user], channel=channel, timeout=timeout)
        final = await result.final_message(timeout) if result.type == 5 else result.message
        return {"status": result.status, "type": result.type, "message": final}

    async def op_autocomplete(
        self, name: str, user: str, options: dict, timeout: float = 10.0  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        return await self.standin.autocomplete(name, options, user=self.users[user], timeout=timeout)

    async def op_slash_soon(self, key: str, requests: list[dict[str, Any]], spacing: float = 0.0) -> int:
        """Start slash commands in the background, ``spacing`` seconds apart, so that they run while
        later operations (a burst of clicks) do; ``slash_outcomes`` waits for them."""

        async def one(delay: float, request: dict[str, Any]) -> dict[str, Any]:
            await asyncio.sleep(delay)
            started = self.standin.clock.now()
            try:
                answer = await self.op_slash(**request, timeout=120.0)
            except Exception as error:  # noqa: BLE001 - reported with the outcomes
                return {"error": f"{type(error).__name__}: {error}"}
            message = answer["message"] or {}
            seconds = self.standin.clock.now() - started
            return {"status": answer["status"], "seconds": seconds, "attachments": len(message.get("attachments", []))}

        tasks = [asyncio.create_task(one(n * spacing, request)) for n, request in enumerate(requests)]
        self.background.setdefault(key, []).extend(tasks)
        return len(tasks)

    async def op_slash_outcomes(self, key: str) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*self.background.pop(key, [])))

    async def op_click(self, message_id: int, custom_id: str, user: str, timeout: float = 10.0) -> dict:  # noqa: ASYNC109
        result = await self.standin.click(message_id, custom_id, user=self.users[user], timeout=timeout)
        return {"status": result.status, "type": result.type, "content": result.content}

    async def op_prepare(self, batch: str, message_id: int, clicks: list[tuple[str, str]]) -> int:
        message = self.standin.get_message(message_id)
        if message is None:
            raise LookupError(f"no message {message_id}")
        self.batches[batch] = self.load.prepare(message, [(self.users[name], cid) for name, cid in clicks])
        return len(self.batches[batch])

    async def op_fire(
        self,
        batch: str,
        rate: float | None = None,
        wait: float = 30.0,
        kill_pid: int | None = None,
        kill_after: int | None = None,
        kill_delay: float = 0.0,
    ) -> dict[str, Any]:
        """Dispatch a prepared batch; optionally SIGKILL ``kill_pid`` ``kill_delay`` seconds after
        the ``kill_after``-th answer (or, without ``kill_after``, ``kill_delay`` seconds after the
        first dispatch). Waits up to ``wait`` seconds for every answer (or the kill)."""
        clicks = self.batches[batch]
        killed_at: list[float] = []
        loop = asyncio.get_running_loop()
        if kill_pid is not None and kill_after is not None:

            def kill() -> None:
                loop.call_later(kill_delay, _sigkill, kill_pid, killed_at, self.standin.clock.now)

            kill_after_acks(self.load, clicks, kill_after, kill)
        elif kill_pid is not None:
            loop.call_later(kill_delay, _sigkill, kill_pid, killed_at, self.standin.clock.now)
        # This process's heap grows with every recorded request; a full collection here would
        # delay dispatches and answers alike, so none runs while a load is measured.
        gc.collect()
        gc.disable()
        try:
            fired_at = self.standin.clock.now()
            await self.load.fire(clicks, rate=rate)
            sent_at = self.standin.clock.now()
            answered = await self._wait(clicks, wait, killed_at if kill_pid is not None else None)
        finally:
            gc.enable()
        return {"fired_at": fired_at, "sent_at": sent_at, "answered": answered, "killed_at": killed_at[:1]}

    async def _wait(self, clicks: list[Click], wait: float, killed_at: list[float] | None) -> bool:
        """Until every click is answered, or (with a kill planned) until the killed bot's
        connection is gone, plus a moment for answers already on the wire."""
        deadline = self.standin.clock.now() + wait
        while self.standin.clock.now() < deadline:
            answered = await self.load.wait_answered(0.02)
            if killed_at is None and answered:
                return True
            if killed_at and not self.standin.gateway.connections:
                await asyncio.sleep(0.3)
                self.load.forget_unanswered()
                break
        return all(c.acked_at is not None for c in clicks)

    async def op_results(self, batch: str) -> list[dict[str, Any]]:
        return [click.summary() for click in self.batches[batch]]

    async def op_drop(self, batch: str) -> None:
        self.batches.pop(batch, None)


def _sigkill(pid: int, killed_at: list[float], now: Callable[[], float]) -> None:
    killed_at.append(now())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


async def serve(token: str, channels: tuple[str, ...]) -> None:
    guild = make_guild(channels=channels, roles={"Moderator": ("manage_guild",)})
    async with StandIn(token=token, guilds=[guild]) as standin:
        control = Control(standin)
        _reply(
            {
                "api_base": standin.api_base,
                "gateway_url": standin.gateway_url,
                "guild_id": guild.id,
                "channels": {c.name: c.id for c in guild.channels},
                "pid": os.getpid(),
            }
        )
        reader = asyncio.StreamReader(limit=1 << 26)
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            request = json.loads(line)
            name = request.pop("op")
            if name == "stop":
                _reply({"ok": None})
                break
            handler: Op | None = getattr(control, f"op_{name}", None)
            try:
                if handler is None:
                    raise LookupError(f"unknown op {name!r}")
                _reply({"ok": await handler(**request)})
            except Exception as error:  # noqa: BLE001 - reported to the controlling process
                _reply({"error": f"{type(error).__name__}: {error}"})


def _reply(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=str) + "\n")
    sys.stdout.flush()


class StandInProcess:
    """Client side: spawns ``python -m standin.serve`` and calls its operations."""

    def __init__(self, token: str, channels: tuple[str, ...] = ("general", "polls"), *, cwd: str | None = None) -> None:
        self.token = token
        self.channels = channels
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None
        self.info: dict[str, Any] = {}
        self._lock = asyncio.Lock()

    async def start(self) -> StandInProcess:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "standin.serve", "--token", self.token, "--channels", ",".join(self.channels),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=self.cwd, limit=1 << 26,
        )  # fmt: skip
        self.info = json.loads(await self._readline())
        return self

    async def _readline(self) -> bytes:
        assert self.process is not None and self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("the stand-in process exited")
        return line

    async def call(self, op: str, **args: Any) -> Any:
        assert self.process is not None and self.process.stdin is not None
        async with self._lock:
            self.process.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
            await self.process.stdin.drain()
            reply = json.loads(await self._readline())
        if "error" in reply:
            raise RuntimeError(f"stand-in {op}: {reply['error']}")
        return reply["ok"]

    @property
    def api_base(self) -> str:
        return self.info["api_base"]

    @property
    def gateway_url(self) -> str:
        return self.info["gateway_url"]

    def channel_id(self, name: str) -> int:
        return int(self.info["channels"][name])

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        try:
            await asyncio.wait_for(self.call("stop"), 5)
            await asyncio.wait_for(self.process.wait(), 10)
        except (TimeoutError, RuntimeError, ConnectionError):
            self.process.kill()
            await self.process.wait()

    async def __aenter__(self) -> StandInProcess:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m standin.serve")
    parser.add_argument("--token", default="standin-token")
    parser.add_argument("--channels", default="general,polls")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.token, tuple(c for c in args.channels.split(",") if c)))


if __name__ == "__main__":
    main()
