"""Full-text search over transcripts, notes, tag names and lecture notes (summary pages) with
FTS5, safe for any user input."""

from __future__ import annotations

import re
import sqlite3

from player.core.library.models import SearchHit

DEFAULT_LIMIT = 50
# A snippet marks each matched word with these private-use characters, never [brackets],
# which a transcript holds as text ("[AUDIO OUT]"): split_marks finds them again.
MATCH_START, MATCH_END = "\ue000", "\ue001"
# SQLite's LIMIT is a signed 64-bit integer: a larger limit means "all", so it is clamped.
_MAX_LIMIT = 2**63 - 1
# Word characters, as FTS5's unicode61 tokenizer sees them (letters and digits).
_WORD = re.compile(r"\w+")


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: every word must appear, each as a prefix.

    Each word is wrapped in double quotes, so operators (AND, OR, NOT, NEAR), hyphens,
    colons, carets and unbalanced quotes are just text; words only contain \\w, so a
    quote can never end up inside one. None when there is nothing to search for.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


# One statement, four sources, best first across all. bm25 ranks from different tables are
# not strictly comparable but are on the same scale for short texts, which is good enough
# to interleave; each source is limited too, so no branch scans more than it returns.
_SEARCH_SQL = """
SELECT * FROM (
  SELECT 'transcript' AS kind, m.id AS lecture_id, m.path AS media_path,
         s.start_ms, s.end_ms, s.text,
         snippet(segments_fts, 0, :match_start, :match_end, '…', 12) AS snippet, NULL AS highlight_id,
         segments_fts.rank AS rank
  FROM segments_fts
  JOIN segments s ON s.id = segments_fts.rowid
  JOIN transcripts t ON t.id = s.transcript_id
  JOIN media m ON m.id = t.media_id
  WHERE segments_fts MATCH :query {lecture_filter}
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
         snippet(lecture_note_items_fts, -1, :match_start, :match_end, '…', 12), NULL, lecture_note_items_fts.rank
  FROM lecture_note_items_fts
  JOIN lecture_note_items i ON i.id = lecture_note_items_fts.rowid
  JOIN media m ON m.id = i.media_id
  WHERE lecture_note_items_fts MATCH :query {lecture_filter}
  ORDER BY rank LIMIT :limit
)
ORDER BY rank, media_path, start_ms
LIMIT :limit
"""


def search(conn: sqlite3.Connection, text: str, *, lecture_id: int | None = None,
           limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    query = fts_query(text)
    if query is None or limit <= 0:
        return []
    # Only fixed SQL fragments are formatted in; the user's text is always a parameter.
    sql = _SEARCH_SQL.format(
        lecture_filter="AND m.id = :lecture" if lecture_id is not None else "")
    rows = conn.execute(sql, {"query": query, "limit": min(int(limit), _MAX_LIMIT), "lecture": lecture_id,
                              "match_start": MATCH_START, "match_end": MATCH_END})
    return [SearchHit(kind=kind, lecture_id=lecture, media_path=path, start_ms=start,
                      end_ms=end, text=text_, snippet=snippet, highlight_id=highlight)
            for kind, lecture, path, start, end, text_, snippet, highlight, _rank in rows]


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
