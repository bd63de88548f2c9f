"""``python -m standin.launch API_BASE GATEWAY_URL [args…]``: the real ``python -m bot`` entry
point, with discord.py pointed at a stand-in (used to test signals and exit codes)."""

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.__main__ import main

if __name__ == "__main__":
    Route.BASE = sys.argv[1]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
    sys.exit(main(sys.argv[3:]))
