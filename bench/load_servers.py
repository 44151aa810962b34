"""The processes a load test runs against: gunicorn (4 sync workers) and its own PostgreSQL.

The PostgreSQL cluster is the test's own (not ``scripts/with-postgres``'s) because the outage
scenario stops and starts it with ``pg_ctl``. Both are found and run the way
``scripts/with-postgres`` does: Debian's newest PostgreSQL, as the postgres user under root.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str, every: float = 0.05):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def postgres_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


class PostgresCluster:
    """A throwaway cluster on loopback that can be stopped and started mid-run."""

    @staticmethod
    def missing() -> bool:
        return postgres_bindir() is None

    def __init__(self):
        self.bindir = postgres_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql")
        self.dir = Path(tempfile.mkdtemp(prefix="lms-load-pg-"))
        self.port = free_port()
        self.data = self.dir / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/lms"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create(self) -> PostgresCluster:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.dir}'\nmax_connections = 200\n"
                       "fsync = off\nfull_page_writes = off\n")
        self.start()
        subprocess.run([str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "-qc", "create database lms"], check=True)
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "start", "-w")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "stop", "-m", "fast", "-w")

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    """``gunicorn -w 4 wsgi:app`` on a free loopback port, its log kept for the report.
    ``app`` names another WSGI app (the throughput bench's hello world); it must answer
    ``/healthz``."""

    def __init__(self, url: str, instance: Path, workers: int = 4, app: str = "wsgi:app",
                 **settings: str):
        self.port = free_port()
        self.workers = workers
        self.app = app
        self.log = instance / "gunicorn.log"
        self.env = {**os.environ, "LMS_DATABASE_URL": url, "LMS_SECRET_KEY": "load-test",
                    "LMS_DEFAULT_LOCALE": "zh_CN", **settings}
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "--workers", str(self.workers), "--worker-class", "sync",
                 "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5",
                 "--preload", self.app],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: len(self.worker_pids()) == self.workers and self._healthy(), 30,
                 "gunicorn to answer")
        return self

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (gunicorn names no pid file by default)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if self.process and int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def kill_one_worker(self) -> int:
        """SIGKILL one worker as the OOM killer would; the master starts a new one."""
        victim = self.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in self.worker_pids()
                 and len(self.worker_pids()) == self.workers, 30, "a replacement worker")
        return victim

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT)  # quick: the clients have finished
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")
