"""Opening a library file: the connection settings every process must share, the
one-transaction-per-edit context manager, and the error a user can read."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

APP_NAME = "transcript-player"
LIBRARY_FILENAME = "library.sqlite"
ENV_VARIABLE = "TRANSCRIPT_PLAYER_LIBRARY"
# How long a writer waits for another process's transaction before giving up. Edits are
# tiny (milliseconds), so this only matters when another process holds a long import.
BUSY_TIMEOUT_MS = 10_000
# Marks the file as ours ("TPLB"), so a stranger's SQLite database is not migrated into one.
APPLICATION_ID = 0x54504C42


class LibraryError(Exception):
    """A library that cannot be used, naming the file and saying why in plain words."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NotALibrary(LibraryError):
    """The file exists but is not a library (not SQLite, or damaged): never overwritten
    unless the caller asks for it to be moved aside."""


def default_library_path() -> Path:
    """$TRANSCRIPT_PLAYER_LIBRARY, else library.sqlite in the platform's user data folder."""
    override = os.environ.get(ENV_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / LIBRARY_FILENAME


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the settings that make several processes and crashes safe."""
    if path.exists() and not path.is_file():
        raise LibraryError(path, "this is a folder, not a library file")
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryError(path, f"cannot create its folder: {error.strerror}") from None
    try:
        # isolation_level=None: the sqlite3 module must not open transactions behind our
        # back; every write is an explicit BEGIN IMMEDIATE ... COMMIT (see `write`).
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise LibraryError(path, f"cannot open it: {error}") from None
    try:
        _configure(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _explain(path, error) from None
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # The first read of the header: a file that is not SQLite fails here.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    _use_wal(conn)
    # WAL + NORMAL: a commit is in the WAL file once COMMIT returns, so it survives the app
    # being killed (what the durability test checks); only a power cut or OS crash can lose
    # the last few commits, never corrupt the file. FULL would fsync on every edit for that.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (it stays so): readers never block the writer, and a
    commit is one append to the -wal file."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    # Two processes creating a library at once: the switch needs an exclusive lock and
    # SQLite answers "database is locked" at once instead of calling the busy handler,
    # so wait for the other process here (found by test_two_writers_lose_nothing).
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    if mode.lower() != "wal":
        raise sqlite3.OperationalError(f"cannot use write-ahead logging here (journal mode {mode})")


def _explain(path: Path, error: sqlite3.Error) -> LibraryError:
    message = str(error)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return NotALibrary(path, "this is not a Transcript Player library, or it is damaged "
                                 f"({message}); it was left untouched")
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return LibraryError(path, f"cannot write to it ({message}): choose a library in a "
                                  "folder you can write to (--library FILE)")
    return LibraryError(path, message)


@contextmanager
def write(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One user action = one transaction, committed when the block ends.

    BEGIN IMMEDIATE takes the write lock up front, so a read-then-write (e.g. "find the
    tag, else create it") by two processes waits its turn instead of failing with
    SQLITE_BUSY half-way, as a deferred BEGIN would in WAL mode.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise _explain(path, error) from None
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise _explain(path, error) from None


def move_aside(path: Path) -> Path:
    """Rename a damaged library (and its WAL files) to `<name>.corrupt-<timestamp>`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(target.with_name(target.name + suffix))
    except OSError as error:
        raise LibraryError(path, f"cannot move it aside: {error.strerror}") from None
    return target
