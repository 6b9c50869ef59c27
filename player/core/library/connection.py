"""Opening a library file: the connection settings every process must share, the
one-transaction-per-edit context manager, and the error a user can read."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from player.core.library import schema
from player.core.safe_files import InputRefused, check_input

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


def now() -> str:
    """A timestamp as the library keeps them: ISO 8601 in UTC with microseconds (so two quick
    edits still order), which sorts as text and reads in any SQLite tool."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_library_path() -> Path:
    """$TRANSCRIPT_PLAYER_LIBRARY, else library.sqlite in the platform's user data folder."""
    override = os.environ.get(ENV_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / LIBRARY_FILENAME


def left_open(path: Path) -> bool:
    """Whether the library was left open: by a process that ended without closing it (a
    crash, a kill, a power cut) or by one still running. SQLite deletes the -wal file when
    the last connection closes, so a -wal (or a rollback -journal) beside the library before
    we open it means one of those. Read before `connect`, which makes a -wal of its own."""
    return any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal"))


def check_pages(path: Path) -> None:
    """Read every page (PRAGMA quick_check, which skips the index cross-checks); NotALibrary
    saying what is damaged. Through a read-only connection: closing the last read-write one
    checkpoints the -wal into the library, which a library being refused must not suffer."""
    try:
        check_input(path, limit=sys.maxsize)   # a pipe would block SQLite
    except InputRefused as refused:
        raise LibraryError(path, refused.reason) from None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise _explain(path, error) from None
    try:
        verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise NotALibrary(path, f"the library is damaged ({error}); it was left untouched") from None
    finally:
        conn.close()
    if verdict != "ok":
        # One line: SQLite's verdict comes as "*** in database main ***\nPage 87: ...".
        detail = " ".join(line for line in verdict.splitlines() if not line.startswith("***"))
        raise NotALibrary(path, f"the library is damaged ({detail or verdict.strip()}); it was left untouched")


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the settings that make several processes and crashes safe.

    A file that is not a library of ours, or one from a newer version, is refused after
    reading its header only: nothing is written to it (not even the switch to WAL).
    """
    if path.exists():
        try:
            # A pipe or a device is refused before SQLite opens (and could block on) it.
            check_input(path, limit=sys.maxsize)
        except InputRefused as refused:
            raise LibraryError(path, refused.reason) from None
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
        raise _explain(path, error) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_is_ours(conn, path)
        _configure(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _explain(path, error) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_is_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's database and a newer library; only reads the header."""
    # The first read of the header: a file that is not SQLite fails here.
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if has_tables and app_id != APPLICATION_ID:
        raise NotALibrary(path, "this SQLite database belongs to another program, not "
                                "Transcript Player; it was left untouched")
    version = schema.version(conn)
    if version > schema.LATEST:
        raise LibraryError(path, f"this library was written by a newer Transcript Player "
                                 f"(schema {version}, this one knows {schema.LATEST}); "
                                 "it was left untouched")


def _configure(conn: sqlite3.Connection) -> None:
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


def _explain(path: Path, error: sqlite3.Error, undone: str = "nothing was saved") -> LibraryError:
    """A SQLite error as a LibraryError a learner can act on; `undone` says what did not
    happen (the failed transaction was rolled back)."""
    message = str(error)
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if code == sqlite3.SQLITE_FULL or "disk is full" in message:
        return LibraryError(path, f"no space left on the disk; {undone}")
    if (code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
            or "not a database" in message or "malformed" in message or "corrupt" in message):
        return NotALibrary(path, "this is not a Transcript Player library, or it is damaged "
                                 f"({message}); it was left untouched")
    if (code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)
            or "readonly" in message or "read-only" in message or "unable to open" in message):
        return LibraryError(path, _unwritable_part(path) or f"cannot write to it ({message}); {undone}")
    return LibraryError(path, message)


def _unwritable_part(path: Path) -> str | None:
    """Which of the files SQLite writes for a library cannot be written, and what to do,
    or None if all look writable. os.access asks the kernel, so an immutable file or a
    read-only mount counts even for root."""
    try:
        if os.statvfs(path if path.exists() else path.parent).f_flag & os.ST_RDONLY:
            return "it is on a read-only disk: copy it to a disk you can write to"
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    if path.exists() and not os.access(path, os.W_OK):
        return "the library file is read-only: make it writable, or choose another library"
    if wal.exists() and not os.access(wal, os.W_OK):
        return (f"its write-ahead log {wal.name} is read-only: make it writable "
                "(do not delete it: it holds your latest changes)")
    if shm.exists() and not os.access(shm, os.W_OK):
        return (f"its shared-memory file {shm.name} is read-only (left by another user or "
                "program): close every program using the library, then delete that file "
                "(it holds none of your data)")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return (f"its folder {path.parent} is read-only, and SQLite keeps two files beside "
                "the library: choose a library in a folder you can write to")
    return None


@contextmanager
def write(conn: sqlite3.Connection, path: Path,
          undone: str = "nothing was saved") -> Iterator[sqlite3.Connection]:
    """One user action = one transaction, committed when the block ends.

    BEGIN IMMEDIATE takes the write lock up front, so a read-then-write (e.g. "find the
    tag, else create it") by two processes waits its turn instead of failing with
    SQLITE_BUSY half-way, as a deferred BEGIN would in WAL mode.

    Any SQLite failure (a read-only file, a full disk) rolls the whole action back and
    is raised as a LibraryError saying why and `undone`, what did not happen.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise _explain(path, error, undone) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        _roll_back(conn)
        raise _explain(path, error, undone) from None
    except BaseException:
        _roll_back(conn)
        raise


def _roll_back(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        # SQLite may have rolled back already (a full disk can do that); never mask the
        # error being raised with one from the rollback.
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


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
