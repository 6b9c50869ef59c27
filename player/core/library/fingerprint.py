"""Media fingerprints: the identity of a lecture that survives renames and moves."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024  # 1 MiB from each end: fast on multi-GB files, yet unique in practice


def fingerprint(path: str | Path) -> str:
    """sha256 of the size and the first and last MiB, as "v1:<hex>".

    Reading the ends only keeps this at two small reads whatever the size; the size is
    hashed too, so files that share a header and a tail but differ in length differ.
    The "v1:" prefix leaves room for a different scheme later without ambiguity.
    """
    path = Path(path)
    digest = hashlib.sha256()
    with path.open("rb") as media:
        size = media.seek(0, 2)
        digest.update(str(size).encode("ascii") + b"\0")
        media.seek(0)
        digest.update(media.read(CHUNK))
        if size > CHUNK:
            media.seek(max(CHUNK, size - CHUNK))
            digest.update(media.read(CHUNK))
    return "v1:" + digest.hexdigest()
