"""SQLite persistence: objects as JSON with indexed columns, idempotency records, and the
attempts to deliver events to a webhook receiver.

Each type of object has up to two indexed fields (``INDEXED``): the store fills the columns
``fk1`` and ``fk2`` from the object on every write, and lists filter on them by field name.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["INDEXED", "SQLITE_MAGIC", "IdempotencyRecord", "Store"]

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    created INTEGER NOT NULL,
    fk1 TEXT,
    fk2 TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_type ON objects (type, seq);
CREATE INDEX IF NOT EXISTS objects_fk1 ON objects (type, fk1, seq);
CREATE INDEX IF NOT EXISTS objects_fk2 ON objects (type, fk2, seq);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    body BLOB NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    created INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_attempts_event ON webhook_attempts (event, seq);
"""

INDEXED: dict[str, tuple[str, ...]] = {
    "customer": ("email",),
    "product": ("active",),
    "price": ("product", "active"),
    "payment_link": ("active",),
    "payment_method": ("customer",),
    "payment_intent": ("customer",),
    "charge": ("payment_intent", "customer"),
    "refund": ("payment_intent", "charge"),
    "event": ("type",),
}
"""Per type, the fields indexed in the columns ``fk1`` and ``fk2`` (a deleted object in none)."""
_COLUMNS = ("fk1", "fk2")

IdempotencyRecord = tuple[str, int, str, bytes]

Row = tuple[int, str]


class Store:
    """One connection, used from one thread (the server's loop)."""

    def __init__(self, path: str | None) -> None:
        self.path = path or ":memory:"
        if self.path != ":memory:":
            _create_private(self.path)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)
        self._in_tx = False

    def close(self) -> None:
        self.conn.close()

    # transactions ---------------------------------------------------------------
    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True

    def savepoint(self) -> None:
        self.conn.execute("SAVEPOINT req")

    def release(self) -> None:
        self.conn.execute("RELEASE req")

    def rollback_savepoint(self) -> None:
        self.conn.execute("ROLLBACK TO req")
        self.conn.execute("RELEASE req")

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self._in_tx = False

    def rollback(self) -> None:
        if self._in_tx:
            self.conn.execute("ROLLBACK")
            self._in_tx = False

    # objects --------------------------------------------------------------------
    def insert(self, obj: dict[str, Any]) -> None:
        fk1, fk2 = _index(obj)
        self.conn.execute(
            "INSERT INTO objects (id, type, created, fk1, fk2, data) VALUES (?, ?, ?, ?, ?, ?)",
            (obj["id"], obj["object"], obj["created"], fk1, fk2, json.dumps(obj)),
        )

    def update(self, obj: dict[str, Any]) -> None:
        fk1, fk2 = _index(obj)
        self.conn.execute(
            "UPDATE objects SET data = ?, fk1 = ?, fk2 = ? WHERE id = ?",
            (json.dumps(obj), fk1, fk2, obj["id"]),
        )

    def exists(self, ident: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM objects WHERE id = ?", (ident,)).fetchone()
        return row is not None

    def get(self, kind: str, ident: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM objects WHERE id = ? AND type = ?", (ident, kind)
        ).fetchone()
        if row is None:
            return None
        obj: dict[str, Any] = json.loads(row[0])
        return obj

    def get_any(self, ident: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM objects WHERE id = ?", (ident,)).fetchone()
        if row is None:
            return None
        obj: dict[str, Any] = json.loads(row[0])
        return obj

    def seq_of(self, kind: str, ident: str) -> int | None:
        row = self.conn.execute(
            "SELECT seq FROM objects WHERE id = ? AND type = ?", (ident, kind)
        ).fetchone()
        return None if row is None else int(row[0])

    def scan(
        self,
        kind: str,
        *,
        where: Mapping[str, Any] | None = None,
        before: int | None = None,
        after: int | None = None,
        created: dict[str, int] | None = None,
    ) -> Iterator[Row]:
        """Rows ``(seq, data)`` newest first, or oldest first when ``after`` is given.

        ``where``: indexed field -> value (None: any value).
        """
        sql = ["SELECT seq, data FROM objects WHERE type = ?"]
        args: list[Any] = [kind]
        for field, value in (where or {}).items():
            if value is not None:
                sql.append(f"AND {_COLUMNS[INDEXED[kind].index(field)]} = ?")
                args.append(_indexed(value))
        if before is not None:
            sql.append("AND seq < ?")
            args.append(before)
        if after is not None:
            sql.append("AND seq > ?")
            args.append(after)
        for op, value in (created or {}).items():
            sql.append(f"AND created {_OPS[op]} ?")
            args.append(value)
        sql.append("ORDER BY seq ASC" if after is not None else "ORDER BY seq DESC")
        return iter(self.conn.execute(" ".join(sql), args))

    def page(
        self,
        kind: str,
        limit: int,
        *,
        where: Mapping[str, Any] | None = None,
        before: int | None = None,
        after: int | None = None,
        created: dict[str, int] | None = None,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Up to ``limit`` objects newest first and whether there are more."""
        out: list[dict[str, Any]] = []
        more = False
        for _seq, data in self.scan(kind, where=where, before=before, after=after, created=created):
            obj: dict[str, Any] = json.loads(data)
            if keep is not None and not keep(obj):
                continue
            if len(out) == limit:
                more = True
                break
            out.append(obj)
        if after is not None:
            out.reverse()
        return out, more

    # idempotency ----------------------------------------------------------------
    def idempotency_get(self, key: str) -> IdempotencyRecord | None:
        row = self.conn.execute(
            "SELECT fingerprint, status, request_id, body FROM idempotency WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        return (str(row[0]), int(row[1]), str(row[2]), bytes(row[3]))

    def idempotency_put(
        self, key: str, fingerprint: str, status: int, request_id: str, body: bytes, now: int
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
            (key, fingerprint, status, request_id, body, now),
        )

    # webhook deliveries ---------------------------------------------------------
    def last_seq(self, kind: str) -> int:
        """The ``seq`` of the newest object of ``kind`` (0: none)."""
        row = self.conn.execute("SELECT MAX(seq) FROM objects WHERE type = ?", (kind,)).fetchone()
        return int(row[0] or 0)

    def events_after(self, seq: int, limit: int) -> list[tuple[int, str, str, str]]:
        """Up to ``limit`` events stored after ``seq``, oldest first: ``(seq, type, id, JSON)``."""
        rows = self.conn.execute(
            "SELECT seq, fk1, id, data FROM objects WHERE type = 'event' AND seq > ?"
            " ORDER BY seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    def attempt_put(
        self,
        event: str,
        url: str,
        attempt: int,
        status: int | None,
        error: str | None,
        created: int,
        duration_ms: int,
    ) -> None:
        """Record one attempt to deliver ``event`` (outside a request's transaction)."""
        self.conn.execute(
            "INSERT INTO webhook_attempts (event, url, attempt, status, error, created,"
            " duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (event, url, attempt, status, error, created, duration_ms),
        )

    def attempts(self, event: str) -> list[dict[str, Any]]:
        """The attempts to deliver ``event``, oldest first."""
        rows = self.conn.execute(
            "SELECT attempt, url, status, error, created, duration_ms FROM webhook_attempts"
            " WHERE event = ? ORDER BY seq",
            (event,),
        )
        names = ("attempt", "url", "status", "error", "created", "duration_ms")
        return [dict(zip(names, row, strict=True)) for row in rows]


_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _indexed(value: Any) -> Any:
    """A field's value as its column holds it (booleans as ``"1"`` and ``"0"``)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def _index(obj: dict[str, Any]) -> tuple[Any, Any]:
    """The values of the columns ``fk1`` and ``fk2`` for ``obj``."""
    fields = () if obj.get("deleted") else INDEXED.get(obj["object"], ())
    values = [_indexed(obj.get(field)) for field in fields] + [None] * (2 - len(fields))
    return values[0], values[1]


def _create_private(path: str) -> None:
    """Create the database file readable by its owner alone (SQLite gives its -wal and -shm
    files the same mode); an existing file is left as it is."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
