"""First contact (DESIGN §9): `migrate` (with `createcachetable`) then `load_demo` on an empty
SQLite database, each in its own process as `make demo` runs them, in 30 s or less. The
step-by-step replay of the migrations (`migrate --replay-migrations`), which `migrate` skips on
an empty SQLite database, is timed beside it for reference."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 30


def _timed_command(database: Path, *arguments: str) -> float:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def run() -> dict:
    with tempfile.TemporaryDirectory() as work:
        demo, replayed = Path(work) / "demo.sqlite3", Path(work) / "replayed.sqlite3"
        migrate = _timed_command(demo, "migrate", "--noinput", "-v0")
        migrate += _timed_command(demo, "createcachetable")  # as `make demo` runs it
        load_demo = _timed_command(demo, "load_demo")
        replay = _timed_command(replayed, "migrate", "--noinput", "-v0", "--replay-migrations")
    return {
        "migrate_s": round(migrate, 2),
        "load_demo_s": round(load_demo, 2),
        "total_s": round(migrate + load_demo, 2),
        "replayed_migrate_s": round(replay, 2),
        "target_s": TARGET_S,
    }
