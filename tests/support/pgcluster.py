"""A throwaway PostgreSQL cluster in a temporary folder, for the tests and the benchmarks.

Debian's ``postgresql`` package (``make postgres`` installs it) provides ``initdb`` and
``pg_ctl`` under ``/usr/lib/postgresql/<version>/bin``. The cluster listens on 127.0.0.1
on a free port (and on a unix socket in its folder), with fsync off for speed, and is
stopped and removed by :meth:`Cluster.stop`. ``initdb`` refuses to run as root: as root
(CI), the cluster runs as the ``postgres`` system user the package creates.

Roles: ``newsletter`` is the superuser and logs in from 127.0.0.1 without a password;
every other role must give its password (scram-sha-256), as on a real server.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

SUPERUSER = "newsletter"
SYSTEM_USER = "postgres"  # the account Debian's package creates


class ClusterError(RuntimeError):
    """PostgreSQL is missing or would not start."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))  # fmt: skip
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterError(
        "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): "
        "run `make postgres` (apt-get install postgresql)"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One running PostgreSQL server; :meth:`new_database` gives each test its own."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.as_root = os.geteuid() == 0
        # as root, somewhere the postgres user can reach whatever TMPDIR says
        self.folder = Path(tempfile.mkdtemp(prefix="newsletter-pg-",
                                            dir="/tmp" if self.as_root else None))  # fmt: skip
        self.data = self.folder / "data"
        self.port = 0
        if self.as_root:
            shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)

    def _run(self, *args: str, timeout: float = 120) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=self.folder)  # fmt: skip
        if done.returncode != 0:
            raise ClusterError(f"{' '.join(args[:2])} failed: {(done.stderr or done.stdout)[-800:]}")
        return done.stdout

    def start(self) -> Cluster:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync", "--auth-local=trust", "--auth-host=reject")  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            f"local all all trust\nhost all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        for attempt in range(3):
            self.port = free_port()
            options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                       " -c max_connections=200")  # fmt: skip
            try:
                self._run("pg_ctl", "start", "-D", str(self.data), "-w", "-t", "60",
                          "-l", str(self.folder / "server.log"), "-o", options)  # fmt: skip
                return self
            except ClusterError:
                if attempt == 2:
                    raise ClusterError(f"PostgreSQL would not start: {self.log()[-800:]}") from None
        return self

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (autocommit: CREATE DATABASE is allowed)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as db:
            db.execute(statement)

    def new_database(self) -> str:
        """A fresh, empty database; its URL. It sorts text as British English (ICU), as a
        real server's locale would, not byte by byte as SQLite does."""
        name = f"journal_{uuid.uuid4().hex[:12]}"
        try:
            self.sql(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu"
                     " ICU_LOCALE 'en-GB' LOCALE 'C.UTF-8'")  # fmt: skip
        except Exception:  # noqa: BLE001 - a server built without ICU: its default locale
            self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def stop(self) -> None:
        try:
            if self.port:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def use_shared_journal(project_dir: Path, url: str) -> None:
    """Point a project's newsletter.toml at a shared journal ([delivery] journal = URL)."""
    config = project_dir / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    assert "[delivery]\n" in text
    config.write_text(text.replace("[delivery]\n", f'[delivery]\njournal = "{url}"\n'),
                      encoding="utf-8")  # fmt: skip


def start_cluster() -> Cluster:
    """A started cluster (raises :class:`ClusterError` with the reason if it cannot start)."""
    cluster = Cluster()
    try:
        return cluster.start()
    except BaseException:
        shutil.rmtree(cluster.folder, ignore_errors=True)
        raise


if __name__ == "__main__":  # a quick look: python tests/support/pgcluster.py
    started = time.perf_counter()
    running = start_cluster()
    print(f"started on port {running.port} in {time.perf_counter() - started:.1f} s")
    print(running.new_database())
    running.stop()
