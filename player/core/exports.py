"""Study exports of a lecture's highlights: Markdown notes, CSV and JSON tables, subtitles of
just the highlighted lines, and an Anki deck with an audio clip per card. No Qt here.

Every writer takes a `StudySet` (what `collect` read from the library) and returns text,
except the Anki deck, which is bytes; the caller puts either in place with
player.core.safe_files (check_output, write_atomic), so that a failed export leaves no
partial file and never replaces one of the learner's.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from player.core.formats.writers import escape_markdown, moment_link, one_line, to_srt, to_vtt
from player.core.library import MAX_TIME_MS, Highlight, Lecture
from player.core.processes import run_child
from player.core.selection import select_highlights
from player.core.timecode import format_clock
from player.core.transcript import Segment, Transcript

FORMATS = ("md", "csv", "json", "srt", "vtt", "apkg")
EXTENSIONS = {name: f".{name}" for name in FORMATS}
CSV_COLUMNS = ("id", "start", "end", "start_clock", "color", "tags", "note", "text", "media")
_WEB_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
# Markdown that only means something at the start of a line: "-", "+" and "=" (lists, setext
# underlines) and "1." / "1)" (ordered lists); escapeescape_markdown() handles the inline characters.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])(?=\s|$)")
# A clip longer than this is cut short: a card is for a moment, not a chapter.
MAX_CLIP_MS = 120_000


class ExportError(Exception):
    """An export that cannot be made, with a message for people (one line)."""


class NothingToExport(ExportError):
    pass


@dataclass(frozen=True)
class StudySet:
    """A lecture's highlights chosen for export, in time order, with what they point into."""

    lecture: Lecture
    highlights: list[Highlight]
    transcript: Transcript | None = None
    source_url: str | None = None       # where the lecture lives online, if known
    filters: tuple[str, ...] = field(default=())   # for messages: "tag exam", "colour 2"

    def __post_init__(self) -> None:
        # A time no lecture can reach ("277777777777:46:40", from a library made before the
        # library bounded them) is never written: every export reads the times from here.
        object.__setattr__(self, "highlights", [_within_bounds(h) for h in self.highlights])

    @property
    def web_url(self) -> str | None:
        """The source URL if it is a web address a reader may open (never javascript: etc.)."""
        url = (self.source_url or "").strip()
        return url if _WEB_URL.match(url) else None


def _within_bounds(highlight: Highlight) -> Highlight:
    start, end = (min(max(0, int(ms)), MAX_TIME_MS) for ms in (highlight.start_ms, highlight.end_ms))
    if (start, end) == (highlight.start_ms, highlight.end_ms):
        return highlight
    return replace(highlight, start_ms=start, end_ms=end)


def collect(library, lecture_id: int, *, tags: Iterable[str] = (), color: int | None = None,
            source_url: str | None = None) -> StudySet:
    """The highlights of a lecture carrying any of `tags` (all if none) and of `color` (any if
    None). Raises NothingToExport when none match."""
    lecture = library.lecture(lecture_id)
    tags = [tag for tag in tags if tag.strip()]
    highlights = select_highlights(library, lecture_id, tags=tags, color=color)
    transcript = library.transcript(lecture_id)
    filters = tuple([f"tag {t!r}" for t in tags] + ([f"colour {color}"] if color is not None else []))
    if not highlights:
        which = f" with {' or '.join(filters)}" if filters else ""
        raise NothingToExport(f"nothing to export: {lecture.title!r} has no highlights{which}")
    url = source_url or (transcript.source_url if transcript else None)
    return StudySet(lecture, highlights, transcript, url, filters)


# ----- Markdown notes ------------------------------------------------------------------


def _md_text(text: str) -> str:
    """One line of untrusted text as Markdown that renders as that text."""
    def escape(match: re.Match) -> str:
        return "\\" + match[1] if match[1] else match[2] + "\\" + match[3]
    return _LINE_START.sub(escape, escape_markdown(text.lstrip()))


def _md_url(url: str) -> str:
    # Characters that would end or break a link destination, percent-encoded.
    return (url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            .replace("<", "%3C").replace(">", "%3E"))


def _quoted(text: str) -> list[str]:
    """Text as a block quote, its lines and paragraph breaks kept."""
    lines = text.strip("\n").splitlines() or [""]
    # A trailing backslash makes Markdown keep the line break inside the paragraph.
    out = []
    for index, line in enumerate(lines):
        line = _md_text(line.rstrip())
        more = index + 1 < len(lines) and lines[index + 1].strip() and line
        out.append(f"> {line}\\" if more else (f"> {line}" if line else ">"))
    return out


def _span(study: StudySet, highlight: Highlight) -> str:
    span = f"{format_clock(highlight.start_ms)}–{format_clock(highlight.end_ms)}"
    url = study.web_url
    if url:
        link = moment_link(Transcript([], source_url=url), highlight.start_ms)
        return f"[{span}]({_md_url(link)})"
    return span


def to_markdown(study: StudySet) -> str:
    """Study notes: the lecture and its source, then per highlight its time (a link to that
    moment where the lecture is online), tags, note and the transcript words it covers."""
    title = one_line(study.lecture.title) or "Lecture"
    parts = [f"# {_md_text(title)}", ""]
    url = study.web_url
    if url:
        parts.append(f"Source: [{_md_text(url)}]({_md_url(url)})")
    else:
        parts.append(f"Source: {_md_text(study.lecture.path)}")
    count = len(study.highlights)
    parts += ["", f"{count} highlight{'s' if count != 1 else ''}"
                  + (f" ({', '.join(study.filters)})" if study.filters else "") + ".", ""]
    for highlight in study.highlights:
        parts += [f"## {_span(study, highlight)}", ""]
        if highlight.tags:
            parts += ["Tags: " + ", ".join(_md_text(one_line(tag)) for tag in highlight.tags), ""]
        if highlight.note and highlight.note.strip():
            parts += ["Note:", "", *_quoted(highlight.note), ""]
        text = one_line(highlight.text)
        if text:
            parts += ["Transcript:", "", *_quoted(text), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


# ----- CSV and JSON --------------------------------------------------------------------


def _seconds(ms: int) -> float:
    return ms / 1000


def _rows(study: StudySet) -> list[dict]:
    return [{"id": h.id, "start": _seconds(h.start_ms), "end": _seconds(h.end_ms),
             "start_clock": format_clock(h.start_ms), "color": h.color, "tags": list(h.tags),
             "note": h.note, "text": h.text, "media": h.media_path}
            for h in study.highlights]


# OWASP's "CSV Injection": a spreadsheet reads a cell starting with one of these as a formula
# (=HYPERLINK(...), +cmd|...). Such a cell gets a leading "'", which spreadsheets take as
# "text follows" and do not show; every text cell is quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(study: StudySet) -> str:
    """One row per highlight (CSV_COLUMNS); times in seconds, tags joined with "; ". Text
    cells are quoted, and neutralised where they would start a formula (csv_text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(CSV_COLUMNS)
    for row in _rows(study):
        row["tags"] = "; ".join(row["tags"])
        row["note"] = row["note"] or ""
        writer.writerow([csv_text(value) if isinstance(value, str) else value
                         for value in (row[column] for column in CSV_COLUMNS)])
    return out.getvalue()


def to_json(study: StudySet) -> str:
    """A list of objects with the CSV's fields, tags as a list, note null when none."""
    return json.dumps(_rows(study), ensure_ascii=False, indent=2) + "\n"


# ----- subtitles of the highlighted lines ----------------------------------------------


def highlighted_lines(study: StudySet) -> Transcript:
    """The transcript segments that overlap a highlight, each once, in time order; without a
    transcript, the highlight spans themselves with the words (or note) they hold."""
    segments: list[Segment] = []
    if study.transcript is not None and len(study.transcript):
        for segment in study.transcript.segments:
            if any(segment.start_ms < h.end_ms and segment.end_ms > h.start_ms for h in study.highlights):
                segments.append(segment)
    if not segments:
        segments = [Segment(h.start_ms, h.end_ms, h.text or h.note or ", ".join(h.tags) or "(highlight)")
                    for h in study.highlights]
    return Transcript(segments, title=study.lecture.title, source_url=study.source_url)


def to_highlight_srt(study: StudySet) -> str:
    return to_srt(highlighted_lines(study), speakers=True)


def to_highlight_vtt(study: StudySet) -> str:
    return to_vtt(highlighted_lines(study))


# ----- Anki ----------------------------------------------------------------------------


def _stable_id(*parts: str) -> int:
    """An Anki id from a hash: the same lecture gives the same deck on every export, so
    importing again updates its cards instead of adding copies."""
    digest = hashlib.sha256("\x1f".join(("transcript-player", *parts)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


MODEL_ID = _stable_id("model", "highlight", "v1")


def _anki_html(text: str) -> str:
    """Untrusted text as Anki field HTML: escaped, line breaks kept, and "[" as an entity so a
    note holding "[sound:...]" cannot make Anki play (or fetch) a file."""
    return html.escape(text.strip(), quote=True).replace("[", "&#91;").replace("\n", "<br>")


_WORD = re.compile(r"\w+", re.UNICODE)
_COMMON = frozenset("""about above after again against because before being below between
    could does doing during their there these those through under until where which while
    would should other again itself myself yourself we're they're that's what's going really
    just like this that with from have your will then than them they what when into some""".split())


def cloze_prompt(text: str) -> tuple[str, str] | None:
    """(text with its most telling word blanked, the word), or None if no word will do.
    The most telling word: the longest that is not a common one, the first of equals."""
    best = None
    for match in _WORD.finditer(text):
        word = match[0]
        if len(word) < 4 or word.isdigit() or word.casefold() in _COMMON:
            continue
        if best is None or len(word) > len(best[0]):
            best = (word, match.start(), match.end())
    if best is None:
        return None
    word, start, end = best
    return text[:start] + "_" * max(5, min(len(word), 12)) + text[end:], word


def _front(study: StudySet, highlight: Highlight) -> str:
    if highlight.note and highlight.note.strip():
        return _anki_html(highlight.note)
    text = one_line(highlight.text)
    prompt = cloze_prompt(text) if text else None
    if prompt:
        return _anki_html(prompt[0])
    return html.escape(f"What is said at {format_clock(highlight.start_ms)} in "
                       f"“{one_line(study.lecture.title)}”?").replace("[", "&#91;")


def _anki_tag(tag: str) -> str:
    # Spaces separate Anki tags; a template may show {{Tags}} unescaped, so HTML is escaped.
    return html.escape("_".join(tag.split()), quote=True)


def _clip_name(study: StudySet, highlight: Highlight, end_ms: int) -> str:
    key = hashlib.sha256(study.lecture.fingerprint.encode()).hexdigest()[:12]
    return f"transcript-player-{key}-{highlight.id}-{highlight.start_ms}-{end_ms}.mp3"


def _no_audio_after_the_end(highlight: Highlight, duration_ms: int) -> str:
    return (f'<div class="no-audio">No audio clip: this highlight starts at {format_clock(highlight.start_ms)}, '
            f"after the end of the media ({format_clock(duration_ms)}).</div>")


def clip_arguments(ffmpeg: str, media: str | Path, start_ms: int, end_ms: int, out: str | Path) -> list[str]:
    """The ffmpeg command (a list: never a shell) cutting start..end of `media` as MP3."""
    duration_ms = min(max(1, end_ms - start_ms), MAX_CLIP_MS)
    return [ffmpeg, "-v", "error", "-nostdin", "-y", "-ss", f"{start_ms / 1000:.3f}",
            "-t", f"{duration_ms / 1000:.3f}", "-i", str(media), "-vn", "-c:a", "libmp3lame",
            "-q:a", "5", str(out)]


def _media_duration_ms(media: Path) -> int | None:
    """How long the media plays (None if ffmpeg cannot tell); ExportError without sound."""
    from player.core.reel import ReelError, probe

    try:
        info = probe(media)
    except ReelError as error:
        raise ExportError(f"cannot cut the audio of {media}: {str(error).splitlines()[0]}") from None
    if not info.has_audio:
        raise ExportError(f"cannot cut the audio of {media}: it has no sound (export without audio)")
    return info.duration_ms


def _cut_clip(media: Path, start_ms: int, end_ms: int, out: Path) -> None:
    import imageio_ffmpeg

    arguments = clip_arguments(imageio_ffmpeg.get_ffmpeg_exe(), media, start_ms, end_ms, out)
    try:
        done = run_child(arguments, capture_output=True, text=True, errors="replace", timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ExportError(f"cannot cut the audio of {media}: {error}") from None
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        why = (done.stderr.strip().splitlines() or ["no audio was written"])[-1]
        raise ExportError(f"cannot cut the audio of {media} at {format_clock(start_ms)}: {why}")


_CARD_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.text { margin: 0.6em 0; } .time { color: #777; font-size: 14px; } .no-audio { color: #777; font-style: italic; }"""


def _model():
    import genanki

    return genanki.Model(
        MODEL_ID, "Transcript Player highlight",
        fields=[{"name": "Front"}, {"name": "Text"}, {"name": "Audio"}, {"name": "Time"},
                {"name": "Lecture"}],
        templates=[{
            "name": "Highlight",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer"><div class="text">{{Text}}</div>{{Audio}}'
                    '<div class="time">{{Time}} · {{Lecture}}</div>',
        }],
        css=_CARD_CSS)


def to_apkg(study: StudySet, *, audio: bool = True) -> bytes:
    """An Anki package: one card per highlight, with an MP3 clip of the moment when `audio`.
    A clip stops at the end of the media; a highlight that starts after it gets a card that
    says so instead of a clip. Raises ExportError when the media cannot be read or cut."""
    import genanki

    media = Path(study.lecture.path)
    if audio and not media.is_file():
        raise ExportError(f"the media file is missing: {media} (relink it, or export without audio)")
    title = one_line(study.lecture.title) or "Lecture"
    deck = genanki.Deck(_stable_id("deck", study.lecture.fingerprint),
                        "Transcript Player::" + title.replace("::", ":"))
    model = _model()
    duration_ms = _media_duration_ms(media) if audio else None
    with tempfile.TemporaryDirectory(prefix="transcript-player-anki-") as folder:
        clips = []
        for highlight in study.highlights:
            sound = ""
            end_ms = min(highlight.end_ms, duration_ms) if duration_ms is not None else highlight.end_ms
            if audio and end_ms <= highlight.start_ms:
                sound = _no_audio_after_the_end(highlight, duration_ms)
            elif audio:
                clip = Path(folder) / _clip_name(study, highlight, end_ms)
                _cut_clip(media, highlight.start_ms, end_ms, clip)
                clips.append(str(clip))
                sound = f"[sound:{clip.name}]"
            time = f"{format_clock(highlight.start_ms)}–{format_clock(highlight.end_ms)}"
            if study.web_url:
                link = moment_link(Transcript([], source_url=study.web_url), highlight.start_ms)
                time = f'<a href="{html.escape(link, quote=True)}">{time}</a>'
            deck.add_note(genanki.Note(
                model=model,
                fields=[_front(study, highlight), _anki_html(one_line(highlight.text)), sound, time,
                        _anki_html(title)],
                tags=[_anki_tag(tag) for tag in highlight.tags if _anki_tag(tag)],
                guid=genanki.guid_for("transcript-player", study.lecture.fingerprint, highlight.id)))
        out = io.BytesIO()
        # The real time, not a fixed one: Anki updates a note on import only when the
        # incoming copy is newer; the guids and ids above make it the same note.
        genanki.Package(deck, media_files=clips).write_to_file(out)
    return out.getvalue()


# ----- dispatch --------------------------------------------------------------------------

TEXT_WRITERS = {"md": to_markdown, "csv": to_csv, "json": to_json, "srt": to_highlight_srt,
                "vtt": to_highlight_vtt}


def export(study: StudySet, format: str, *, audio: bool = True) -> bytes:
    """The export in `format` (one of FORMATS) as the bytes of the file."""
    if format == "apkg":
        return to_apkg(study, audio=audio)
    if format not in TEXT_WRITERS:
        raise ExportError(f"unknown export format {format!r} (one of {', '.join(FORMATS)})")
    text = TEXT_WRITERS[format](study)
    # CSV with a byte-order mark, which spreadsheet programs need to read UTF-8.
    return text.encode("utf-8-sig" if format == "csv" else "utf-8")

