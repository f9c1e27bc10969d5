"""The SQLite database: connection settings, migrations, and the transaction discipline.

One connection is shared by all request threads behind a lock: SQLite has a single writer anyway,
and it keeps `--memory` (one private in-memory database) and file mode on the same code path.
Every write runs in `BEGIN IMMEDIATE ... COMMIT`, and WAL mode keeps committed data safe when the
process is killed.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platform_server.migrations import MIGRATIONS


class Database:
    """The platform's SQLite database, opened and migrated."""

    def __init__(self, path: Path | None) -> None:
        """Open (creating if needed) the database at `path`, or a private in-memory one for None."""
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(
            ":memory:" if path is None else str(path),
            isolation_level=None,
            check_same_thread=False,
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA foreign_keys = ON")
        self._connection.execute("PRAGMA busy_timeout = 10000")
        if path is not None:
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        """Apply the migrations this database has not seen yet, each atomically."""
        with self._lock:
            current = self._connection.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                self._connection.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one write transaction: committed at the end, rolled back on any error."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Run a block of reads against one consistent view of the database."""
        with self._lock:
            self._connection.execute("BEGIN")
            try:
                yield self._connection
            finally:
                self._connection.execute("COMMIT")

    def check_integrity(self) -> str:
        """Return SQLite's own verdict on the file ("ok" when intact)."""
        with self._lock:
            return str(self._connection.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self._lock:
            self._connection.close()
