"""A throwaway PostgreSQL server for tests and benchmarks: Debian's postgresql, no service.

``initdb`` in a temporary directory, ``postgres`` on a free loopback port with
its unix socket in that directory, trust authentication for one local user,
fsync off (it is thrown away; a crashed server process still keeps what it committed). As root, initdb and postgres refuse to
run, so the server runs as the ``postgres`` system user (which Debian's package
creates) in a directory that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "dlpilot"
START_SECONDS = 30.0


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed here, or cannot be started; the message says why."""


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb): scripts/system-deps installs Debian's "
        "'postgresql' package"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One server: ``start()``, ``url(database)``, ``create_database(name)``, ``stop()``."""

    def __init__(self) -> None:
        self.bin = find_bin_dir()
        self.run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root and there is no 'postgres' user to run the server as "
                    "(Debian's postgresql package creates it)"
                ) from None
        self.root = Path(tempfile.mkdtemp(prefix="dlpilot-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        if self.run_as is not None:
            os.chown(self.root, self.run_as.pw_uid, self.run_as.pw_gid)
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ]
        )

    def _as_user(self) -> dict:
        if self.run_as is None:
            return {}
        return {
            "user": self.run_as.pw_uid,
            "group": self.run_as.pw_gid,
            "extra_groups": [],
            "env": {**os.environ, "HOME": str(self.root), "USER": "postgres"},
        }

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, timeout=120, **self._as_user()
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}"
            )

    def start(self) -> PostgresServer:
        log = open(self.root / "server.log", "ab")  # noqa: SIM115 (kept for the server's life)
        self.process = subprocess.Popen(
            [
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.root),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            **self._as_user(),
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        import psycopg2

        until = time.monotonic() + START_SECONDS
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise PostgresUnavailable(f"postgres exited: {self.log_tail()}")
            try:
                psycopg2.connect(
                    host="127.0.0.1", port=self.port, user=USER, dbname="postgres"
                ).close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > until:
                    raise PostgresUnavailable(
                        f"postgres did not accept connections in {START_SECONDS:.0f}s: "
                        f"{self.log_tail()}"
                    ) from None
                time.sleep(0.2)

    def log_tail(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-600:] if path.exists() else ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url(name)

    def stop(self, *, immediate: bool = False) -> None:
        """Fast shutdown (SIGINT); ``immediate`` (SIGQUIT) drops every connection at once."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT if immediate else signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
