"""The README's first command, for real: `make demo` starts a working, signed-in-able demo, twice.

The demo runs on a throwaway SQLite file, in its own process group (make, the task worker and the
development server), which is killed whatever happens.
"""

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]

PROJECT = Path(__file__).resolve().parent.parent
# Seconds for `make demo` to answer on the sign-in page: migrating and loading the demo take about
# 100 s on a slow two-core machine while the rest of the suite runs on both cores.
START_TIMEOUT = 300
ADMIN_EMAIL = "admin@ministere.example"
ADMIN_NAME = "Samira Admin (fictive)"
DEMO_PASSWORD = "demo-pilotage-2025"
DEMO_EMAILS = [
    "admin@ministere.example",
    "officer@ministere.example",
    "comite@rectim.example",
    "directeur@ctpc.example",
    "staff@ctpc.example",
    "staff@cetiev.example",
    "federation@fmp.example",
    "manager@cid.example",
    "partner@capgemini.example",
    "auditeur@ministere.example",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Demo:
    def __init__(self, process: subprocess.Popen, base_url: str, stdout: Path, stderr: Path):
        self.process = process
        self.base_url = base_url
        self.stdout_path = stdout
        self.stderr_path = stderr

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def logs(self) -> str:
        stderr = self.stderr_path.read_text(errors="replace")
        return f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{stderr[-4000:]}"

    def wait_until_up(self) -> None:
        url = f"{self.base_url}/accounts/login/"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make demo exited with {self.process.returncode}\n{self.logs()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, http.client.HTTPException):  # not listening yet, or refusing
                pass
            time.sleep(0.5)
        pytest.fail(f"{url} did not answer 200 within {START_TIMEOUT} s\n{self.logs()}")


def stop(process: subprocess.Popen) -> None:
    """Terminate the whole process group (make, db_worker, runserver), then kill what remains."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    # A child that ignored SIGTERM would outlive make: nothing may be left behind.
    deadline = time.monotonic() + 10
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def make_demo(database: Path, logs: Path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "PORT"}}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / "stdout.txt", logs / "stderr.txt"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            ["make", "demo", f"PORT={port}"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group, killed as one
        )
    try:
        demo = Demo(process, f"http://127.0.0.1:{port}", stdout, stderr)
        demo.wait_until_up()
        yield demo
    finally:
        stop(process)


def sign_in(base_url: str, email: str, password: str) -> urllib.request.OpenerDirector:
    """Sign in through the real form (CSRF token and cookie included) with urllib alone."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base_url}/accounts/login/", timeout=10) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token[1], "username": email, "password": password, "next": "/"}
    ).encode()
    with opener.open(f"{base_url}/accounts/login/", data=data, timeout=10) as response:
        assert response.status == 200
        assert urllib.parse.urlsplit(response.url).path == "/", response.url
    return opener


def count_rows(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("core_organisation", "core_user")
        }


@dataclass(frozen=True)
class FirstRun:
    database: Path
    stdout: str
    base_url: str
    home: str  # the home page, signed in as the administrator
    rows: dict[str, int]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> FirstRun:
    """`make demo` on an empty database, as a newcomer runs it: what it printed and served, and
    the database it left. The other runs start from a copy: migrating takes most of a run."""
    work = tmp_path_factory.mktemp("demo")
    database = work / "demo.sqlite3"
    with make_demo(database, work / "first") as demo:
        opener = sign_in(demo.base_url, ADMIN_EMAIL, DEMO_PASSWORD)
        with opener.open(f"{demo.base_url}/", timeout=10) as response:
            assert response.status == 200
            home = response.read().decode()
        stdout, base_url = demo.stdout, demo.base_url
    return FirstRun(database, stdout, base_url, home, count_rows(database))


def copy_of(run: FirstRun, tmp_path: Path) -> Path:
    """A copy through SQLite's backup (the demo writes ahead in a WAL file, which a file copy
    could leave behind)."""
    copy = tmp_path / "demo.sqlite3"
    with sqlite3.connect(run.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


def test_make_demo_serves_a_working_demo_and_is_idempotent(first_run, tmp_path):
    stdout = first_run.stdout
    assert "Demo accounts (password for all: demo-pilotage-2025)" in stdout, stdout
    for email in DEMO_EMAILS:
        assert email in stdout, stdout
    assert f"Pilotage CTI: {first_run.base_url}/" in stdout
    assert ADMIN_NAME in first_run.home
    assert 'id="demo-banner"' in first_run.home
    assert 'id="account-menu"' in first_run.home
    assert first_run.rows == {"core_organisation": 22, "core_user": len(DEMO_EMAILS)}

    # The same command again on the same database: it starts, and adds nothing.
    database = copy_of(first_run, tmp_path)
    with make_demo(database, tmp_path / "second") as demo:
        assert "Demo accounts" in demo.stdout, demo.logs()
        with urllib.request.urlopen(f"{demo.base_url}/accounts/login/", timeout=10) as response:
            assert response.status == 200
        assert count_rows(database) == first_run.rows
        sign_in(demo.base_url, ADMIN_EMAIL, DEMO_PASSWORD)
    assert count_rows(database) == first_run.rows


def post_form(opener, url: str, fields: dict, files: dict | None = None):
    """POST with the CSRF token the session's cookie carries (multipart when files are sent)."""
    (jar,) = [
        h.cookiejar for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)
    ]
    cookies = {c.name: c.value for c in jar}
    fields = {"csrfmiddlewaretoken": cookies["csrftoken"], **fields}
    if not files:
        body, content_type = urllib.parse.urlencode(fields).encode(), None
    else:
        boundary = "pilotage-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        for name, (filename, data) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    if content_type:
        request.add_header("Content-Type", content_type)
    with opener.open(request, timeout=60) as response:
        return response.status, response.url, response.read().decode()


def test_the_demo_takes_concurrent_saves_while_the_worker_imports_and_shows_no_traceback(
    first_run, tmp_path
):
    """The embedded default (SQLite) with its worker: people save pages while a background
    import writes thousands of rows; not one "database is locked", not one server error."""
    from concurrent.futures import ThreadPoolExecutor

    from pilotage.prestations.demo import ice_for

    with make_demo(copy_of(first_run, tmp_path), tmp_path / "logs") as demo:
        base = demo.base_url
        staff = sign_in(base, "staff@ctpc.example", DEMO_PASSWORD)
        with staff.open(f"{base}/imports/new/?kind=companies", timeout=10) as response:
            form = response.read().decode()
        cti = re.search(r'<option value="(\d+)"', form)[1]
        rows = "".join(
            f"{ice_for(50_000 + n)};Entreprise test {n} SARL;PME;06\n" for n in range(20_000)
        )
        data = f"ICE;Raison sociale;Taille;Région\n{rows}".encode()
        status, job_url, _ = post_form(
            staff, f"{base}/imports/new/", {"kind": "companies", "cti": cti},
            files={"file": ("entreprises.csv", data)},
        )  # fmt: skip
        assert status == 200 and "/imports/" in job_url, demo.logs()

        def switch_languages(email: str) -> list[int]:
            opener = sign_in(base, email, DEMO_PASSWORD)
            codes = []
            for n in range(15):
                code, _, _ = post_form(
                    opener, f"{base}/language/", {"language": "ar" if n % 2 else "fr", "next": "/"}
                )
                codes.append(code)
            return codes

        people = [e for e in DEMO_EMAILS if e != "staff@ctpc.example"][:6]
        with ThreadPoolExecutor(len(people)) as pool:
            codes = [c for result in pool.map(switch_languages, people) for c in result]
        assert codes == [200] * len(codes), demo.logs()

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with staff.open(job_url, timeout=10) as response:
                page = response.read().decode()
            if 'data-status="done"' in page or 'data-status="failed"' in page:
                break
            time.sleep(0.5)
        assert 'data-status="done"' in page, page[-3000:]
        logs = demo.logs()
        assert "database is locked" not in logs and "Traceback" not in logs, logs

        # The deliveries template, downloaded and sent back as it is, imports on the demo.
        with staff.open(f"{base}/imports/template/deliveries/", timeout=10) as response:
            template = response.read()
        status, job_url, page = post_form(
            staff, f"{base}/imports/new/", {"kind": "deliveries", "cti": cti},
            files={"file": ("import-deliveries.xlsx", template)},
        )  # fmt: skip
        assert 'data-status="done"' in page, page[-3000:]

        with pytest.raises(urllib.error.HTTPError) as missing:
            staff.open(f"{base}/no-such-page/", timeout=10)
        page = missing.value.read().decode()
        assert missing.value.code == 404 and "DEBUG = True" not in page, page
