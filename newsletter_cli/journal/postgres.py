"""The journal on a PostgreSQL server, shared by a team: ``[delivery] journal = "postgresql://…"``.

Only the dialect lives here, as in :mod:`.sqlite`: how to connect (psycopg 3; the
password as libpq reads it, from ``PGPASSWORD`` or ``~/.pgpass``, never from the
project), how a writing transaction starts (one issue's claims serialised with
``pg_advisory_xact_lock``), which tables exist, and the per-send lock: a session
advisory lock, which the server releases the moment the holder's connection drops
(a crash, ``kill -9``, a laptop closed). Every query is in :mod:`.sql`.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsletter_cli.errors import DeliveryError, Refused
from newsletter_cli.extras import missing

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
except ImportError:  # the optional extra newsletter[team]
    raise missing("psycopg", "a shared journal (postgresql://)") from None
from newsletter_cli.journal.sql import SqlJournal
from newsletter_cli.journal.store import Person

#: Seconds to wait for the server before saying it cannot be reached.
CONNECT_TIMEOUT = 10
#: After queueing this many people at once, refresh the planner's statistics: with none
#: (a new table) PostgreSQL looks a batch up by scanning the other send's rows, not by
#: address; 60 ms per 400 addresses against 100,000 rows instead of 2 ms.
ANALYZE_AFTER = 1000
REACH_HINT = (
    "nothing was sent; check that the server is running and reachable, and the password "
    "(PGPASSWORD in the environment, or ~/.pgpass); then run the same command again"
)
_HOLDER = (
    "SELECT a.application_name FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND l.classid::bigint = ? AND l.objid::bigint = ?"
)


def lock_key(kind: str, name: str) -> int:
    """A stable signed 64-bit advisory lock key for one send (or one issue)."""
    digest = hashlib.blake2b(f"newsletter {kind} {name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _halves(key: int) -> tuple[int, int]:
    """How pg_locks shows a bigint key: classid (high 32 bits), objid (low 32 bits)."""
    return (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF


def first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split("\n")[0].split())
    return text.removeprefix("connection failed: ") or type(exc).__name__


class PostgresJournal(SqlJournal):
    """The journal in a PostgreSQL database; one connection, autocommit, explicit transactions."""

    param = "%s"
    text_type = 'TEXT COLLATE "C"'

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = self.where = url
        self._create = create
        self.empty = False  # opened with create=False and no journal there
        self._held: set[str] = set()
        self._open()

    @classmethod
    def open_existing(cls, url: str) -> PostgresJournal | None:
        """The journal in this database if there is one (no tables are created otherwise)."""
        journal = cls(url, create=False)
        if journal.empty:
            journal.close()
            return None
        return journal

    # -- the dialect -------------------------------------------------------------------

    def _connect(self) -> Any:
        params = conninfo_to_dict(self.url)
        params.setdefault("connect_timeout", CONNECT_TIMEOUT)
        here = f"newsletter on {socket.gethostname()}, process {os.getpid()}"
        params.setdefault("application_name", here)
        try:
            db = psycopg.connect(autocommit=True, **params)
            # a holder that vanishes without closing (a laptop closed, a network gone) is
            # noticed by the server within about two minutes, which then frees its send lock
            db.execute("SELECT set_config('tcp_keepalives_idle', '60', false),"
                       " set_config('tcp_keepalives_interval', '10', false),"
                       " set_config('tcp_keepalives_count', '6', false)")  # fmt: skip
            return db
        except psycopg.Error as exc:
            raise DeliveryError(
                f"the shared journal cannot be reached: {first_line(exc)}",
                path=self.where, hint=REACH_HINT,
            ) from None  # fmt: skip

    def _begin(self, cursor: Any, serialise: str | None) -> None:
        cursor.execute("BEGIN")
        if serialise is not None:  # wait for any other claim of the same issue to commit
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key("issue", serialise),))

    def _tables(self, cursor: Any) -> set[str]:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()"
        )
        return {name for (name,) in cursor.fetchall()}

    def _ensure_schema(self, cur: Any) -> None:
        # two machines opening a new database at once: one creates, the other waits
        cur.execute("SELECT pg_advisory_xact_lock(?)", (lock_key("schema", ""),))
        if not self._create and "sends" not in self._tables(cur.raw):
            self.empty = True
            return
        super()._ensure_schema(cur)

    @contextmanager
    def send_lock(self, send_id: str) -> Iterator[None]:
        key = lock_key("send", send_id)
        if send_id in self._held or not self._read("SELECT pg_try_advisory_lock(?)", (key,))[0][0]:
            raise Refused(
                f"send {send_id} is already running ({self._holder(key)})",
                hint="wait for it to finish; two runs of one send could deliver twice",
            )
        self._held.add(send_id)
        try:
            yield
        finally:
            self._held.discard(send_id)
            try:
                self._read("SELECT pg_advisory_unlock(?)", (key,))
            except DeliveryError:
                pass  # the connection is gone, and the server released the lock with it

    def running(self, send_id: str) -> bool:
        return bool(self._read(_HOLDER, _halves(lock_key("send", send_id))))

    def _holder(self, key: int) -> str:
        rows = self._read(_HOLDER, _halves(key))
        name = rows[0][0] if rows else None
        return name.removeprefix("newsletter ") if name else "on another machine"

    def enqueue(self, send_id: str, people: Iterable[Person]) -> int:
        added = super().enqueue(send_id, people)
        if added >= ANALYZE_AFTER:  # a table owner's privilege: others get a warning, no error
            with self._reachable():
                self._db.execute("ANALYZE recipients")
        return added

    # -- a dropped connection is one clear error, not a traceback ----------------------

    @contextmanager
    def _tx(self, serialise: str | None = None) -> Iterator[Any]:
        with self._reachable(), super()._tx(serialise) as cur:
            yield cur

    def _read(self, text: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._reachable():
            return super()._read(text, params)

    @contextmanager
    def _reachable(self) -> Iterator[None]:
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise DeliveryError(
                f"the shared journal refused this role: {first_line(exc)}",
                path=self.where,
                hint="the team shares one role that owns the database (or has CREATE on it "
                "and on its public schema); see 'Working as a team' in the manual",
            ) from None
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise DeliveryError(
                f"the shared journal stopped answering: {first_line(exc)}",
                path=self.where,
                hint="whoever was in flight is recorded as such; run the same command again "
                "when the server is back",
            ) from None

    def close(self) -> None:
        try:
            self._db.close()
        except psycopg.Error:
            pass
