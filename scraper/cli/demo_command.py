"""``broadsheet demo``: the bundled demo news site, crawled into the archive, or with
``--serve`` only served (for trying ``crawl``, ``snapshot`` and ``watch`` against it).

``demo --serve`` runs until Ctrl-C or SIGTERM and then exits 0: stopping is how a server is
meant to end, and nothing is left half done (the 130/143 codes mean "cut short, run again").
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from scraper.config import Config
from scraper.errors import BroadsheetError

DEMO_PORT = 8642
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

Run = Callable[[Config, list[str], argparse.Namespace], int]


def demo(config: Config, args: argparse.Namespace, run: Run) -> int:
    """Serve the demo site and crawl it with ``run`` (or only serve it, ``--serve``).  The demo
    port is fixed so that the site's URLs, and so the archive's ids, are the same on every run;
    a free port is used if it is taken."""
    from scraper.demo.server import DemoServer  # only the demo command needs the demo site

    try:
        server = DemoServer(port=args.port).start()
    except BroadsheetError as exc:
        if args.serve:  # a server on another port than asked for is not what was asked
            raise
        print(f"broadsheet: {exc}; using a free port instead (the demo's URLs will differ from "
              "earlier runs)", file=sys.stderr)
        server = DemoServer(port=0).start()
    try:
        if args.serve:
            return serve_until_stopped(server.base_url)
        print(f"demo site serving at {server.base_url}/ ; archive: {config.archive.directory}",
              file=sys.stderr)
        return run(config, [server.base_url + "/"], args)
    finally:
        server.stop()


def serve_until_stopped(base_url: str) -> int:
    """Print the site's URL (stdout) and wait for Ctrl-C or SIGTERM; 0 when stopped."""
    stopped = threading.Event()
    received: list[int] = []

    def stop(number: int, frame: FrameType | None) -> None:
        received.append(number)
        stopped.set()

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        print(f"demo site serving at {base_url}/ (Ctrl-C to stop)", flush=True)
        while not stopped.wait(0.5):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    print(f"broadsheet: demo site stopped ({signal.Signals(received[0]).name})", file=sys.stderr)
    return 0
