"""Writing a file the learner asked for without ever losing one they own.

Every writer (exports, reels and their subtitles, transcript exports, transcripts saved
by transcription) goes through here:

- `check_output` refuses a path that is one of the learner's own files (the lecture's
  media, a transcript or notes file the library knows, the library and its -wal/-shm),
  and an existing file unless the caller was asked to replace it (`force`);
- `atomic_output` hands out a temporary file beside the target and renames it into place
  only when the work succeeded, so a failure or a cancel leaves the old file whole and no
  partial new one.

Reading input files safely (regular files only, with a size limit) is `read_input`.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping

# A transcript or notes file larger than this is refused before it is read: the largest
# real transcripts are a few tens of MB; /dev/zero or a 10 GB video given by mistake
# must not be read until memory runs out.
MAX_INPUT_BYTES = 512 * 1024 * 1024


class OutputRefused(Exception):
    """The output path cannot be written; str() is one line naming the file."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OutputIsProtected(OutputRefused):
    """The path is one of the learner's own files (media, transcript, notes, library)."""


class OutputExists(OutputRefused):
    """The path exists and the caller did not ask to replace it."""


class InputRefused(Exception):
    """An input file that is not a regular file, or too large; str() names the file."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def _identity(path: Path) -> tuple[str, object]:
    """What makes two names the same file: (device, inode) where it exists, else the
    resolved, case-normalised path."""
    try:
        info = path.stat()
        return ("inode", (info.st_dev, info.st_ino))
    except OSError:
        return ("path", os.path.normcase(str(path.expanduser().resolve())))


def same_file(a: str | Path, b: str | Path) -> bool:
    return _identity(Path(a)) == _identity(Path(b))


def check_output(path: str | Path, *, protected: Mapping[Path, str] | Iterable[Path] = (),
                 force: bool = False) -> Path:
    """The absolute path to write, or OutputRefused saying why not.

    `protected` maps each of the learner's files to what it is ("the lecture's media"),
    or is a plain iterable of paths. Nothing in it is ever written, even with `force`.
    """
    out = Path(path).expanduser().absolute()
    if out.is_dir():
        raise OutputRefused(out, "it is a folder")
    if not out.parent.is_dir():
        raise OutputRefused(out, f"no such folder {out.parent}")
    labels = protected if isinstance(protected, Mapping) else {Path(p): "one of your files" for p in protected}
    wanted = _identity(out)
    for owned, what in labels.items():
        if _identity(Path(owned)) == wanted:
            raise OutputIsProtected(out, f"this is {what}; it is never overwritten: choose another name")
    if out.exists() or out.is_symlink():
        if not force:
            raise OutputExists(out, "it exists already; nothing was written (ask to replace it)")
        if not out.is_file():
            raise OutputRefused(out, "it is not a regular file; only a file can be replaced")
    return out


def part_path(target: Path, token: str | None = None) -> Path:
    """The hidden temporary name beside `target`, keeping its extension (ffmpeg picks the
    container from it)."""
    token = token or os.urandom(4).hex()   # a name no one else picks (secrets would cost its hmac import)
    return target.with_name(f".{target.stem[:60]}.{token}.part{target.suffix}")


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a new, empty temporary file beside `path`; when the block ends without an
    exception it replaces `path` in one rename, otherwise it is removed.

    The temporary file is made with mode 0o666 so that the kernel applies the user's
    umask, as for any file they save (and as ffmpeg writing it over would keep): the
    process's umask is never changed.
    """
    target = Path(path).absolute()
    while True:
        temp = part_path(target)
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    os.close(descriptor)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write `data` to `path` through `atomic_output`, synced to disk before the rename."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    target = Path(path).absolute()
    with atomic_output(target) as temp:
        with open(temp, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
    return target


def check_input(path: str | Path, limit: int = MAX_INPUT_BYTES) -> int:
    """The size of an input file that is safe to read whole, or InputRefused: a FIFO or
    device (which could block forever or never end), a folder, or a file over `limit`."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputRefused(path, "no such file") from None
    except OSError as error:
        raise InputRefused(path, f"cannot read it ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputRefused(path, "this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputRefused(path, "this is not a regular file (a pipe or a device); only files are read")
    if info.st_size > limit:
        raise InputRefused(path, f"this file is {info.st_size / 1e6:,.0f} MB, more than the "
                                 f"{limit / 1e6:,.0f} MB a transcript or notes file can be")
    return info.st_size


def read_input(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file no larger than `limit` (see `check_input`). Reads at
    most limit + 1 bytes, so a file that grows while it is read is still refused."""
    check_input(path, limit)
    try:
        with open(path, "rb") as handle:
            # read(n) allocates n bytes at once: ask for what is there (and a little more,
            # to notice growth), then read on only if the file grew.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
    except OSError as error:
        raise InputRefused(path, f"cannot read it ({error.strerror or error})") from None
    if len(data) > limit:
        raise InputRefused(path, f"this file is larger than the {limit / 1e6:,.0f} MB a transcript "
                                 "or notes file can be")
    return data
