"""One job runner in a process of its own, for the concurrency test:

    python -m tests.workflow.runner_process URL ADDONS_PATH READY_FILE GO_FILE

opens the database, touches READY_FILE, waits for GO_FILE (so that both
runners start together), runs what is due once and prints how many jobs it ran.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core.modules.manager import open_database
from core.workflow.jobs import run_pending


def main(url: str, addons_path: str, ready: str, go: str) -> None:
    db = open_database(url, addons_path, upgrade=False)
    try:
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise SystemExit("never told to go")
            time.sleep(0.005)
        print(run_pending(db))
    finally:
        db.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
