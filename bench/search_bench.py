"""Library search on 1,000 lectures / 1M lines, the worst queries we could find, before and
after the search that never stalls (issue 15), measured in the same run on the same lines.

    python -m bench.search_bench [--keep DIR]

Builds the library the library probes build (bench.probes._build_library: Zipf-distributed
words, ~15 s on a quiet machine, ~170 MB); `--keep DIR` builds it there once and reuses it
on later runs. "Before" is the search as it was (old_search below, a copy kept here only
for this comparison) on a copy of the same library whose transcript index is as v5 made
it (no prefix index); being freshly rebuilt, that copy's index is a little more compact
than the one the imports built, which favours "before".

Prints a table per query and per class of query, and `ROW {json}` lines for
`python -m bench` (probe "library_search").
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.probes import _build_library, _file_mb, data, row  # noqa: E402

LECTURES, LINES = 1000, 1000
RUNS = 5          # timed runs of each query after its first (the first is printed apart)
OLD_RUNS = 3      # the old search takes up to a second a query: fewer runs

# The worst queries we could find, by class: what costs FTS5 the most is a word in most
# lines (its whole list read to weigh it, every match ranked), a short prefix (the lists of
# every word it begins merged), several common words whose lines seldom coincide, and
# phrases of common words (positions compared line by line).
QUERIES: dict[str, list[str]] = {
    "very common word": ["the", "and", "a"],
    "1-2 letters typed": ["t", "s", "c", "th", "re", "tr"],
    "3-4 letter prefix": ["con", "pro", "ther", "lear"],
    "common words together": ["we can", "the of and to a is", "it is the so"],
    "common + rare": ["the dirichlet", "the of and kullback", "the zyzzyva"],
    "long phrase": ['"the model is the"', "state-of-the-art",
                    "so the model learns a representation of language from raw text and then",
                    '"so the model learns a representation of language from raw text and then"'],
    "punctuation-heavy": ["don't", """don't -- "it's" (NEAR) OR * col:umn ^x""", '"(((the)))" -- *** ^^ ""',
                          "it's-we're-let's-that's"],
    "matches nothing": ["zyzzyva", "zyzzyva quux"],
    "rare or realistic": ["kullback", "dirichlet", "network", "gradient descent", "neural network training",
                          "what is entropy", '"neural network"', "trade-off", "bayesian estimate", "Markov chain"],
}


# ----- BEFORE: the search as it was until issue 15 (player/core/library/search.py at ----
# ----- 2fa8bd0), kept here only to measure against. Not used by the app. -----------------

_OLD_WORD = re.compile(r"\w+")


def old_fts_query(text: str) -> str | None:
    """BEFORE: every word a prefix, each in double quotes."""
    words = _OLD_WORD.findall(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


_OLD_SEARCH_SQL = """
SELECT * FROM (
  SELECT 'transcript' AS kind, m.id AS lecture_id, m.path AS media_path,
         s.start_ms, s.end_ms, s.text,
         snippet(segments_fts, 0, :match_start, :match_end, '…', 12) AS snippet, NULL AS highlight_id,
         segments_fts.rank AS rank
  FROM segments_fts
  JOIN segments s ON s.id = segments_fts.rowid
  JOIN transcripts t ON t.id = s.transcript_id
  JOIN media m ON m.id = t.media_id
  WHERE segments_fts MATCH :query
  ORDER BY rank LIMIT :limit
)
UNION ALL
SELECT * FROM (
  SELECT 'note', m.id, m.path, h.start_ms, h.end_ms, n.text,
         snippet(notes_fts, 0, :match_start, :match_end, '…', 12), h.id, notes_fts.rank
  FROM notes_fts
  JOIN notes n ON n.highlight_id = notes_fts.rowid
  JOIN highlights h ON h.id = n.highlight_id
  JOIN media m ON m.id = h.media_id
  WHERE notes_fts MATCH :query
  ORDER BY rank LIMIT :limit
)
UNION ALL
SELECT * FROM (
  SELECT 'tag', m.id, m.path, h.start_ms, h.end_ms, tg.name,
         snippet(tags_fts, 0, :match_start, :match_end, '…', 12), h.id, tags_fts.rank
  FROM tags_fts
  JOIN tags tg ON tg.id = tags_fts.rowid
  JOIN highlight_tags ht ON ht.tag_id = tg.id
  JOIN highlights h ON h.id = ht.highlight_id
  JOIN media m ON m.id = h.media_id
  WHERE tags_fts MATCH :query
  ORDER BY rank LIMIT :limit
)
UNION ALL
SELECT * FROM (
  SELECT 'summary', m.id, m.path, coalesce(i.start_ms, 0), coalesce(i.start_ms, 0), i.text,
         snippet(lecture_note_items_fts, -1, :match_start, :match_end, '…', 12), NULL, lecture_note_items_fts.rank
  FROM lecture_note_items_fts
  JOIN lecture_note_items i ON i.id = lecture_note_items_fts.rowid
  JOIN media m ON m.id = i.media_id
  WHERE lecture_note_items_fts MATCH :query
  ORDER BY rank LIMIT :limit
)
ORDER BY rank, media_path, start_ms
LIMIT :limit
"""


def old_search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[tuple]:
    """BEFORE: one statement, every match of every source ranked before the LIMIT."""
    query = old_fts_query(text)
    if query is None:
        return []
    return conn.execute(_OLD_SEARCH_SQL, {"query": query, "limit": limit, "match_start": "\ue000",
                                          "match_end": "\ue001"}).fetchall()

# ----- end of BEFORE ------------------------------------------------------------------------


def _as_before(path: Path, copy: Path) -> None:
    """A copy of the library with the transcript index as v5 made it (no prefix index)."""
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("DROP TABLE segments_fts")
    conn.execute('CREATE VIRTUAL TABLE segments_fts USING FTS5 (text, content="segments")')
    conn.execute("INSERT INTO segments_fts (segments_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _used_mb(path: Path) -> float:
    """The pages in use (a dropped index leaves free pages in the file until a VACUUM)."""
    conn = sqlite3.connect(path)
    pages, free, size = (conn.execute(f"PRAGMA {name}").fetchone()[0]
                         for name in ("page_count", "freelist_count", "page_size"))
    conn.close()
    return (pages - free) * size / 1e6


def _timed(runs: int, work, *args) -> tuple[float, list[float], object]:
    """work(*args): the first run's milliseconds, the next `runs` runs' milliseconds, and
    the result."""
    times, result = [], None
    for _ in range(runs + 1):
        began = time.perf_counter()
        result = work(*args)
        times.append((time.perf_counter() - began) * 1000)
    return times[0], times[1:], result


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def _library(keep: Path | None, folder: Path) -> Path:
    home = keep or folder
    home.mkdir(parents=True, exist_ok=True)
    path = home / "library.sqlite"
    if path.exists():
        row("library: reused", str(path), "", f"{_file_mb(path):.0f} MB")
        return path
    began = time.perf_counter()
    library, _ids, generating, importing = _build_library(home, LECTURES, LINES)
    library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    row(f"library: build {LECTURES:,} lectures / {LECTURES * LINES:,} lines", f"{time.perf_counter() - began:.0f} s",
        "", f"{importing:.0f} s in import_lecture ({importing / LECTURES * 1000:.0f} ms a lecture), "
            f"{generating:.0f} s making the text")
    row("library: file size, 1M lines", f"{_file_mb(path):.0f} MB", "",
        "after a WAL checkpoint; text + FTS5 index with prefixes of 3 and 4 + time index")
    return path


def main(argv: list[str] | None = None) -> None:
    from player.core.library import Library
    from player.ui.library_search import _search as window_search

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the library in this folder once and reuse it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        scratch = Path(scratch)
        path = _library(args.keep, scratch)
        before_path = scratch / "before.sqlite"
        began = time.perf_counter()
        _as_before(path, before_path)
        row("library: v5 index rebuilt on a copy (for 'before')", f"{time.perf_counter() - began:.0f} s", "",
            f"pages in use: {_used_mb(before_path):.0f} MB, {_used_mb(path):.0f} MB with the prefix index")

        began = time.perf_counter()
        library = Library.open(path)
        row("library: open, 1M lines", f"{(time.perf_counter() - began) * 1000:.0f} ms", "",
            "Library.open (quick_check reads every page); OS cache warm")
        before = sqlite3.connect(before_path, isolation_level=None)
        results = {}
        print(f"{'query':<44} {'before: first  median':>22} {'after: first  median   p95':>28} "
              f"{'window p95':>11}  hits")
        for kind, queries in QUERIES.items():
            for query in queries:
                old_first, old_times, old_hits = _timed(OLD_RUNS, old_search, before, query)
                first, times, hits = _timed(RUNS, library.search, query)
                # As the search window does it: its own connection, the search, the titles.
                _window_first, window_times, _ = _timed(RUNS, window_search, path, query)
                results[query] = (kind, old_first, old_times, first, times, window_times)
                print(f"{query[:43]!s:<44} {old_first:9.1f} {statistics.median(old_times):9.1f} ms "
                      f"{first:9.1f} {statistics.median(times):7.1f} {_p95(times):6.1f} ms "
                      f"{_p95(window_times):8.1f} ms  {len(old_hits):2d}/{len(hits):2d}")
        # Where the window's time goes besides the search: it reads every lecture for the titles.
        _first, titles_times, _ = _timed(RUNS, library.lectures)
        library.close()
        before.close()

    everything = [t for *_, times, _w in results.values() for t in times]
    everything_before = [t for _k, _f, old_times, *_ in results.values() for t in old_times]
    print(f"\n{'class':<24} {'before median':>14} {'p95':>8} {'after median':>13} {'p95':>7} "
          f"{'first page, worst first run':>28} {'window p95':>11}")
    for kind in QUERIES:
        mine = [r for r in results.values() if r[0] == kind]
        old = [t for r in mine for t in r[2]]
        new = [t for r in mine for t in r[4]]
        window = [t for r in mine for t in r[5]]
        first = max(r[3] for r in mine)
        print(f"{kind:<24} {statistics.median(old):11.1f} ms {_p95(old):5.0f} ms {statistics.median(new):10.1f} ms "
              f"{_p95(new):4.1f} ms {first:25.1f} ms {_p95(window):8.1f} ms")
        row(f"library search, 1M lines, {kind}: median / p95", f"{statistics.median(new):.1f} / {_p95(new):.1f} ms",
            "p95 < 50 ms", f"before {statistics.median(old):.0f} / {_p95(old):.0f} ms; "
                           f"the window's first results p95 {_p95(window):.1f} ms")
    the = results["the"]
    row('library search, 1M lines, "the"', f"{statistics.median(the[4]):.1f} ms", "< 50 ms",
        f"before {statistics.median(the[2]):.0f} ms, same run")
    row(f"library search, 1M lines, all {len(results)} worst queries: p95", f"{_p95(everything):.1f} ms", "< 50 ms",
        f"before {_p95(everything_before):.0f} ms; median {statistics.median(everything):.1f} ms "
        f"(before {statistics.median(everything_before):.0f} ms)")
    window_all = [t for r in results.values() for t in r[5]]
    row("library search, 1M lines: first results in the window, p95", f"{_p95(window_all):.1f} ms", "< 20 ms",
        f"its own connection, the search, every lecture's title (player.ui.library_search._search); "
        f"Library.lectures() alone {statistics.median(titles_times):.0f} ms")
    slowest = sorted(results, key=lambda query: statistics.median(results[query][4]), reverse=True)[:3]
    data("search", queries={query: {"kind": kind, "first_ms": first, "times_ms": times, "before_first_ms": old_first,
                                    "before_times_ms": old_times, "window_times_ms": window_times}
                            for query, (kind, old_first, old_times, first, times, window_times) in results.items()})
    row("library search, 1M lines: slowest after", f"{statistics.median(results[slowest[0]][4]):.1f} ms", "",
        "; ".join(f"{query!r} {statistics.median(results[query][4]):.1f} ms" for query in slowest))


if __name__ == "__main__":
    main()
