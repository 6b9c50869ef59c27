"""Full-text search over transcripts, notes, tag names and lecture notes (summary pages) with
FTS5, safe for any user input, and quick whatever the words.

What a query means: every word must appear; a word with punctuation inside (`don't`,
`state-of-the-art`) and a "quoted phrase" must appear as those words in a row; only the
last word, the one being typed, matches as a prefix, and only from MIN_PREFIX characters
(so `c` finds the word "c", not every word starting with c). FTS5 syntax in the input
(NEAR, OR, *, ^, col:, unbalanced quotes) is just words.

Why it never stalls: bm25 ranks a match by how rare each of its words is, and FTS5 finds
that out by reading each word's whole list of lines, which for "the" in a million lines
takes longer than anything else the search does; and it ranks every match before keeping
the first page. So a transcript search first counts, for each word, its lines up to
COMMON_LINES (stopping there). A phrase with a rarer word than that ranks the matches
(no more lines than its rarest word is in) by bm25 over such phrases only: the common words
still have to match but no longer weigh in the order, which they barely did (see
docs/library-schema.md). A query made only of common words has more matches than are worth
ranking and no best one: its first page is the most recently added matching lines.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from player.core.library.models import SearchHit

DEFAULT_LIMIT = 50
# A snippet marks each matched word with these private-use characters, never [brackets],
# which a transcript holds as text ("[AUDIO OUT]"): split_marks finds them again.
MATCH_START, MATCH_END = "\ue000", "\ue001"
# SQLite's LIMIT is a signed 64-bit integer: a larger limit means "all", so it is clamped.
_MAX_LIMIT = 2**63 - 1
# The last word is a prefix from this many characters (the FTS5 prefix index holds
# prefixes of 3 and 4 characters, so the most common short prefixes are one list each).
MIN_PREFIX = 3
# A word in more transcript lines than this is common: it filters but is not ranked by.
# Ranking this many lines, and counting up to it, takes a few milliseconds.
COMMON_LINES = 5000
# Counting a word's lines is a query of its own; a pasted paragraph counts its longest
# (likeliest rare) words only, and the rest are taken as common.
_MOST_WORDS_COUNTED = 12
# Words as FTS5's unicode61 tokenizer sees them: letters and digits (not "_").
_WORD = re.compile(r"[^\W_]+")
# A "quoted phrase" (its closing quote may be missing: still being typed), or a run of
# anything else but spaces and quotes.
_PIECE = re.compile(r'"[^"]*"?|[^\s"]+')


@dataclass(frozen=True)
class Phrase:
    """Words that must appear in a row; `prefix`: the last one may go on (being typed)."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        # The words only hold letters and digits, so no quote can end the string early:
        # whatever was typed, it is one FTS5 string, never an operator.
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def terms(self) -> list[Phrase]:
        """Each word as a phrase of its own (the last one a prefix if this is)."""
        return [Phrase((word,), self.prefix and n == len(self.words) - 1) for n, word in enumerate(self.words)]


def phrases(text: str) -> list[Phrase]:
    """What the learner typed, as the phrases that must all match."""
    found = []
    for piece in _PIECE.finditer(text):
        words = tuple(_WORD.findall(piece.group()))
        if words:
            found.append(Phrase(words))
    last = list(_WORD.finditer(text))
    # The last word is being typed if nothing comes after it (no space, no closing quote).
    if found and last and last[-1].end() == len(text) and len(last[-1].group()) >= MIN_PREFIX:
        found[-1] = Phrase(found[-1].words, prefix=True)
    return list(dict.fromkeys(found))   # "the the the" needs "the" once


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query (see phrases); None when there is nothing to
    search for."""
    return _join(phrases(text)) or None


def _join(found: list[Phrase]) -> str:
    return " ".join(phrase.fts() for phrase in found)


def search(conn: sqlite3.Connection, text: str, *, lecture_id: int | None = None,
           limit: int = DEFAULT_LIMIT, common_lines: int = COMMON_LINES) -> list[SearchHit]:
    """The first `limit` places that match, best first (see the module's docstring)."""
    found = phrases(text)
    if not found or limit <= 0:
        return []
    limit = min(int(limit), _MAX_LIMIT)
    params = {"query": _join(found), "limit": limit, "lecture": lecture_id,
              "match_start": MATCH_START, "match_end": MATCH_END}
    with _one_snapshot(conn):
        ranked = _transcript_hits(conn, found, params, common_lines) + _annotation_hits(conn, params)
    # Stable: equal ranks keep their order (the newest lines first, for common words alone).
    ranked.sort(key=lambda pair: pair[0])
    return [hit for _rank, hit in ranked[:limit]]


@contextmanager
def _one_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """The statements of one search read the same state of the file (a writer in another
    process may commit between them)."""
    conn.execute("SAVEPOINT search")
    try:
        yield
    finally:
        conn.execute("RELEASE search")


def _transcript_hits(conn: sqlite3.Connection, found: list[Phrase], params: dict,
                     common_lines: int) -> list[tuple[float, SearchHit]]:
    scope, params = _lecture_scope(conn, params)
    if scope is None:
        return []
    rarest = _rarest_word_lines(conn, found, common_lines)
    rare = [phrase for phrase in found if rarest[phrase] <= common_lines]
    if rare:
        # Every match holds the rare phrases' rarest word: at most common_lines to rank.
        also_common = ("" if len(rare) == len(found) else
                       "AND +rowid IN (SELECT rowid FROM segments_fts WHERE segments_fts MATCH :query)")
        sql = (f"SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH :rank_query {also_common} {scope} "
               "ORDER BY rank, rowid DESC LIMIT :limit")
        params = {**params, "rank_query": _join(rare)}
    else:
        # Common words only: the most recent lines, read in rowid order until the page is full.
        sql = (f"SELECT rowid, 0.0 FROM segments_fts WHERE segments_fts MATCH :query {scope} "
               "ORDER BY rowid DESC LIMIT :limit")
    # "+rowid" keeps SQLite from running the FTS5 query once per id of an IN list.
    ranks = dict(conn.execute(sql, params).fetchall())
    if not ranks:
        return []
    order = {rowid: n for n, rowid in enumerate(ranks)}
    page = sorted(_page(conn, list(ranks), params), key=lambda line: order[line[0]])
    return [(ranks[rowid], SearchHit(kind="transcript", lecture_id=lecture, media_path=path, start_ms=start,
                                     end_ms=end, text=text, snippet=snippet))
            for rowid, lecture, path, start, end, text, snippet in page]


def _page(conn: sqlite3.Connection, ids: list[int], params: dict) -> list[tuple]:
    """The page's lines with their lecture and snippet. The snippets come from a scratch
    FTS5 table holding the page's lines alone: marking them through the library's index
    would walk every word's list across the page's ids again (a common word's is long),
    while this costs the same for any query. Same tokenizer as segments_fts (the default)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_page USING fts5(text)")
    conn.execute("DELETE FROM temp.search_page")
    conn.execute("INSERT INTO temp.search_page (rowid, text) SELECT id, text FROM segments "
                 "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
    return conn.execute(_PAGE_SQL, params).fetchall()


_PAGE_SQL = """
SELECT page.rowid, m.id, m.path, s.start_ms, s.end_ms, s.text,
       snippet(search_page, 0, :match_start, :match_end, '…', 12)
FROM temp.search_page page
JOIN segments s ON s.id = page.rowid
JOIN transcripts t ON t.id = s.transcript_id
JOIN media m ON m.id = t.media_id
WHERE search_page MATCH :query
"""


def _lecture_scope(conn: sqlite3.Connection, params: dict) -> tuple[str | None, dict]:
    """The SQL that keeps one lecture's lines ("" for every lecture; None: it has none),
    with the parameters it needs. The range of the lecture's line ids lets FTS5 skip the
    rest of a common word's list; the list of ids is exact (a corrected lecture's new
    lines have ids beyond the others')."""
    if params["lecture"] is None:
        return "", params
    low, high = conn.execute("SELECT min(s.id), max(s.id) FROM segments s JOIN transcripts t "
                             "ON t.id = s.transcript_id WHERE t.media_id = :lecture", params).fetchone()
    if low is None:
        return None, params
    return ("AND rowid BETWEEN :first_line AND :last_line AND +rowid IN (SELECT s.id FROM segments s "
            "JOIN transcripts t ON t.id = s.transcript_id WHERE t.media_id = :lecture)",
            {**params, "first_line": low, "last_line": high})


def _rarest_word_lines(conn: sqlite3.Connection, found: list[Phrase], common_lines: int) -> dict[Phrase, int]:
    """For each phrase, the lines holding its rarest word, counted up to common_lines + 1:
    an upper bound of the phrase's own lines, found without reading a common word's
    whole list."""
    words = list(dict.fromkeys(term for phrase in found for term in phrase.terms()))
    words.sort(key=lambda term: len(term.words[0]), reverse=True)
    uncounted = common_lines + 1
    lines = {term: conn.execute("SELECT count(*) FROM (SELECT 1 FROM segments_fts WHERE segments_fts MATCH ? "
                                "LIMIT ?)", (term.fts(), uncounted)).fetchone()[0]
             for term in words[:_MOST_WORDS_COUNTED]}
    return {phrase: min(lines.get(term, uncounted) for term in phrase.terms()) for phrase in found}


# Notes, tags and lecture notes: what the learner wrote, a few thousand rows at most, so
# ranked whole. Each source is limited too, so no branch returns more than the page.
_ANNOTATIONS_SQL = """
SELECT * FROM (
  SELECT 'note' AS kind, m.id AS lecture_id, m.path AS media_path, h.start_ms, h.end_ms, n.text,
         snippet(notes_fts, 0, :match_start, :match_end, '…', 12) AS snippet, h.id AS highlight_id,
         notes_fts.rank AS rank
  FROM notes_fts
  JOIN notes n ON n.highlight_id = notes_fts.rowid
  JOIN highlights h ON h.id = n.highlight_id
  JOIN media m ON m.id = h.media_id
  WHERE notes_fts MATCH :query {lecture_filter}
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
  WHERE tags_fts MATCH :query {lecture_filter}
  ORDER BY rank LIMIT :limit
)
UNION ALL
SELECT * FROM (
  SELECT 'summary', m.id, m.path, coalesce(i.start_ms, 0), coalesce(i.start_ms, 0), i.text,
         snippet(lecture_note_items_fts, -1, :match_start, :match_end, '…', 12), NULL,
         lecture_note_items_fts.rank
  FROM lecture_note_items_fts
  JOIN lecture_note_items i ON i.id = lecture_note_items_fts.rowid
  JOIN media m ON m.id = i.media_id
  WHERE lecture_note_items_fts MATCH :query {lecture_filter}
  ORDER BY rank LIMIT :limit
)
"""


def _annotation_hits(conn: sqlite3.Connection, params: dict) -> list[tuple[float, SearchHit]]:
    # Only fixed SQL fragments are formatted in; the user's text is always a parameter.
    sql = _ANNOTATIONS_SQL.format(lecture_filter="AND m.id = :lecture" if params["lecture"] is not None else "")
    return [(rank, SearchHit(kind=kind, lecture_id=lecture, media_path=path, start_ms=start, end_ms=end,
                             text=text, snippet=snippet, highlight_id=highlight))
            for kind, lecture, path, start, end, text, snippet, highlight, rank in conn.execute(sql, params)]


def split_marks(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet's plain text and the (start, length) of each matched word in it."""
    text, spans, start = [], [], None
    length = 0
    for char in snippet:
        if char == MATCH_START:
            start = length
        elif char == MATCH_END:
            if start is not None and length > start:
                spans.append((start, length - start))
            start = None
        else:
            text.append(char)
            length += 1
    return "".join(text), spans
