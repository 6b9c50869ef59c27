"""Lecture notes beside the transcript: a summary page (title, TL;DR, key insights,
questions and answers, takeaways) read into parts, each linked to the moment of
the transcript where it is said.

Linking is plain text similarity (TF-IDF over windows of lines): no network, no
model. A weak match links nothing, since a wrong moment costs a learner more than
no link.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from player.core.formats import TranscriptError, read_file
from player.core.transcript import Transcript


@dataclass(frozen=True, slots=True)
class NoteItem:
    kind: str                   # "insight", "answer" or "takeaway"
    text: str
    question: str | None = None  # for answers


@dataclass(slots=True)
class LectureNotes:
    title: str
    tldr: str | None = None
    items: list[NoteItem] = field(default_factory=list)
    source: str | None = None


# Section headings of summary pages, and the boilerplate lines around them.
_SECTIONS = {
    "tl;dr": "tldr",
    "transcript": "skip",
    "key insights": "insight",
    "questions & answers": "answer",
    "questions and answers": "answer",
    "summary & key takeaways": "takeaway",
    "summary and key takeaways": "takeaway",
    "key takeaways": "takeaway",
}
_BOILERPLATE = re.compile(
    r"^(install to summarize|explore (youtube|more summaries)|summarize youtube|try youtube|"
    r"read in other languages|share this summary|read more$)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-•*]\s*")


def _drop_leading_emoji(text: str) -> str:
    """Summary pages start each bullet with an emoji (and its variation selector)."""
    index = 0
    while index < len(text) and (unicodedata.category(text[index]) in ("So", "Sk", "Mn", "Cf")
                                 or text[index].isspace()):
        index += 1
    return text[index:]


def looks_like_notes(text: str) -> bool:
    lines = {line.strip().lower() for line in text.split("\n")[:400]}
    return "key insights" in lines or ("tl;dr" in lines and "questions & answers" in lines)


def read_notes(path: str | Path) -> LectureNotes:
    """Read a notes file (regular files only, size-limited, as transcripts are)."""
    return parse_notes(read_file(path), str(path))


def parse_notes(text: str, path: str) -> LectureNotes:
    lines = [line.strip() for line in text.split("\n")]
    title = next((line for line in lines if line), "")
    if not title or not looks_like_notes(text):
        raise TranscriptError(path, None, "not a lecture summary (no 'Key Insights' or 'TL;DR' section)")
    notes = LectureNotes(title=title, source=path)
    section = None
    question: str | None = None
    for line in lines[lines.index(title) + 1:]:
        if not line or _BOILERPLATE.match(line) or line.endswith("... Read More"):
            continue
        heading = _SECTIONS.get(line.lower())
        if heading:
            section, question = heading, None
            continue
        if section == "tldr":
            notes.tldr = f"{notes.tldr} {line}" if notes.tldr else line
        elif section == "answer" and line.startswith("Q:"):
            question = line[2:].strip()
        elif section in ("insight", "answer", "takeaway"):
            words = _drop_leading_emoji(_BULLET.sub("", line)).strip()
            if words:
                notes.items.append(NoteItem(section, words, question if section == "answer" else None))
    return notes


# --- linking ------------------------------------------------------------------------
# Words with their hyphenated compounds kept whole: "pre-training" is one idea, and
# splitting it would let every note about pre-training match every line about training.
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:'[a-z]+)?")
_STOPWORDS = frozenset("""a an the and or but if then so of to in on at by for with from as is are was were be
been being it its this that these those there here we you i he she they them our your their his her my me us do
does did doing have has had having can could will would should may might must not no yes just like um uh okay ok
what which who whom how why when where about into over than too very also more most some such only own same
other any each few all both up down out again further once kind sort really thing things going get got""".split())

WINDOW_LINES = 8     # about 20-40 s of a lecture
WINDOW_STEP = 2
# Measured on the CS224N seeds (notes 002 on lecture 003 link BERT, span corruption and
# BERT-for-generation where they are said; notes of another talk, 001, find next to
# nothing): true links score 0.34-0.6, stand out from the next best moment, and share
# at least one word with the point that is rare in the lecture and not the page's topic.
MIN_WINDOWS = 30         # fewer (a transcript of a minute or two): rarity means nothing
MIN_SCORE = 0.33         # cosine similarity of the best window
MIN_DISTINCTNESS = 1.25  # best score over the best one elsewhere in the lecture
MIN_SHARED_TERMS = 2
SPECIFIC_WINDOW_SHARE = 0.03  # a specific term is in at most this share of the windows...
TOPIC_ITEM_SHARE = 1 / 3      # ...and in at most this share of the notes' points
HUB_MIN_SCORE = 0.2           # a window this similar to more than half the points is an
HUB_ITEM_SHARE = 0.5          # overview of the lecture (its agenda), not where one is said


def _terms(text: str) -> list[str]:
    terms = []
    for word in _WORD.findall(text.lower()):
        word = word.split("'")[0].replace("-", "")
        if word in _STOPWORDS or len(word) < 3:
            continue
        # A light stemmer: "models", "modeling", "modeled" meet at "model".
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        terms.append(word)
    return terms


@dataclass(frozen=True, slots=True)
class NoteLink:
    item: NoteItem
    start_ms: int | None      # None: no moment matched well enough
    score: float


def link_notes(notes: LectureNotes, transcript: Transcript) -> list[NoteLink]:
    """Each item of the notes with the start of the transcript window that says it best,
    or no moment where none says it clearly (see the thresholds above)."""
    windows = []
    for first in range(0, max(1, len(transcript) - WINDOW_LINES + 1), WINDOW_STEP):
        lines = transcript.segments[first:first + WINDOW_LINES]
        windows.append((first, Counter(_terms(" ".join(s.text for s in lines)))))
    if len(windows) < MIN_WINDOWS:
        return [NoteLink(item, None, 0.0) for item in notes.items]
    document_frequency = Counter(term for _first, counts in windows for term in counts)
    count = len(windows)
    idf = {term: math.log((1 + count) / (1 + df)) + 1 for term, df in document_frequency.items()}

    def vector(counts: Counter) -> dict[str, float]:
        return {t: (1 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf}

    window_vectors = []
    for first, counts in windows:
        vec = vector(counts)
        window_vectors.append((first, vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0))

    item_terms = [Counter(_terms(f"{item.question or ''} {item.text}")) for item in notes.items]
    item_frequency = Counter(term for counts in item_terms for term in counts)
    topic_limit = max(1.0, TOPIC_ITEM_SHARE * len(notes.items))
    specific = {term for term, df in document_frequency.items()
                if df <= SPECIFIC_WINDOW_SHARE * count and item_frequency[term] <= topic_limit}

    scores = []  # per item: (score per window, terms shared per window)
    for counts in item_terms:
        query = vector(counts)
        query_norm = math.sqrt(sum(v * v for v in query.values())) or 1.0
        row, shared_row = [], []
        for _first, vec, norm in window_vectors:
            shared = query.keys() & vec.keys()
            row.append(sum(query[t] * vec[t] for t in shared) / (query_norm * norm))
            shared_row.append(shared)
        scores.append((row, shared_row))
    hubs = {index for index in range(count)
            if sum(row[index] >= HUB_MIN_SCORE for row, _ in scores) > HUB_ITEM_SHARE * len(scores)}

    links = []
    for item, (row, shared_row) in zip(notes.items, scores):
        candidates = [(row[i], i) for i in range(count)
                      if i not in hubs and len(shared_row[i]) >= MIN_SHARED_TERMS]
        if not candidates:
            links.append(NoteLink(item, None, 0.0))
            continue
        score, best = max(candidates)
        first = windows[best][0]
        elsewhere = max((s for s, i in candidates if abs(windows[i][0] - first) >= WINDOW_LINES), default=0.0)
        distinct = elsewhere == 0.0 or score / elsewhere >= MIN_DISTINCTNESS
        linked = score >= MIN_SCORE and distinct and shared_row[best] & specific
        links.append(NoteLink(item, _first_matching_line(transcript, first, shared_row[best])
                              if linked else None, score))
    return links


def _first_matching_line(transcript: Transcript, first: int, shared: set[str]) -> int:
    """Within the best window, start at the first line that shares a term, so the
    link lands where the idea begins rather than a few lines before."""
    for segment in transcript.segments[first:first + WINDOW_LINES]:
        if set(_terms(segment.text)) & shared:
            return segment.start_ms
    return transcript.segments[first].start_ms
