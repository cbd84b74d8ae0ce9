"""`make run`: the web server, a task worker and the scheduler as one command.

Starts ``manage.py runserver ADDRESS``, ``manage.py db_worker`` and ``manage.py
scheduler`` side by side. Ctrl+C (SIGINT) or SIGTERM stops all three; if one of them
exits, the others are stopped too, so nothing is left running in the background.

    python scripts/run.py 127.0.0.1:8000
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    commands = {
        "web": [*MANAGE, "runserver", address],
        "worker": [*MANAGE, "db_worker", "--interval", "1"],
        "scheduler": [*MANAGE, "scheduler"],
    }
    # Each child in its own process group: the terminal's Ctrl+C reaches this script,
    # which stops the children in order (the web server's reloader child included).
    children = {name: subprocess.Popen(command, cwd=ROOT, start_new_session=True)  # noqa: S603
                for name, command in commands.items()}
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"{name} stopped (exit {child.returncode}); stopping the others.",
                          file=sys.stderr)
                    code = child.returncode or 1
                    stopping = True
                    break
            time.sleep(0.2)
    finally:
        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGINT)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
