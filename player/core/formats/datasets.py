"""YouTube transcript datasets: timed chunks of many lectures in one table.

Public datasets of YouTube lecture transcripts share one shape: a row per chunk of speech
with `video_id`, `title`, `text`, start and end (as `HH:MM:SS`, as seconds, or start plus
duration) and a `watch?v=ID&t=Ns` url. They come as CSV or TSV, JSON, JSON Lines, or copied
out of a dataset viewer one field per line. One file holds many videos: the learner picks
one (`LoadOptions.video_id`) and that video's rows, in time order, become the transcript.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, TranscriptFormat, head_lines
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript

# The seek bar and the library keep times in 32-bit ints: anything later is a broken number.
LONGEST_MS = 2**31 - 1

# Column names as datasets spell them, compared as lowercase letters and digits only
# ("videoId", "video_id" and "Video ID" are one name). Times are listed best first:
# seconds can carry fractions and need no parsing, timestamps are rounded to the second.
_VIDEO_ID = ("videoid", "youtubeid", "ytid", "video", "id")
_TITLE = ("title", "videotitle")
_TEXT = ("text", "transcript", "caption", "sentence", "content")
_URL = ("url", "videourl", "link", "webpageurl")
_START = ("startsecond", "startseconds", "startsec", "starttimestamp", "start", "starttime",
          "offset", "begin")
_END = ("endsecond", "endseconds", "endsec", "endtimestamp", "end", "endtime", "stop")
_DURATION = ("duration", "durationseconds", "dur")

# Keys only a dataset row has: a Whisper segment list has start/end/text and an integer "id".
DATASET_ONLY_KEYS = frozenset(_VIDEO_ID[:-1] + _TITLE + _URL + _DURATION
                              + ("startsecond", "starttimestamp", "endsecond", "endtimestamp"))

# YouTube titles are at most 100 characters: a longer line in the title's place is the text.
_LONGEST_TITLE = 100


def column_key(name: object) -> str:
    """A column name reduced to lowercase letters and digits, for matching aliases."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


# ---------------------------------------------------------------------------------------------
# Values: times, text, the lecture's address


def seconds_to_ms(value: Any) -> int:
    """Milliseconds from seconds (7141, 12.5, "12.5") or a clock ("01:59:01", "1:02.5").

    Raises ValueError with a short reason for anything else.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        seconds = value
    elif isinstance(value, str):
        if ":" in value:
            return _in_range(parse_timecode(value))
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"not a time: {value.strip()[:40]!r}") from None
    else:
        raise ValueError(f"not a time: {str(value)[:40]!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a time: {value!r}")
    return _in_range(round(seconds * 1000))


def _in_range(ms: int) -> int:
    if ms > LONGEST_MS:
        raise ValueError("a time later than 596 hours")
    return ms


def spoken_ms(text: str) -> int:
    """How long a line takes to say (about 150 words a minute), for a line whose end the
    source does not give: at least a second, at most ten."""
    return min(10_000, max(1_000, 400 * len(text.split())))


def fill_missing_ends(timed: list[tuple[int, int | None, str]]) -> list[tuple[int, int, str]]:
    """Ends for (start, end or None, text) sorted by start: a line lasts until the next one
    starts later than it does; the last one for as long as it takes to say."""
    filled: list[tuple[int, int, str]] = []
    following = None
    previous_start = None
    for start, end, text in reversed(timed):
        if previous_start is not None and previous_start > start:
            following = previous_start
        if end is None:
            end = following if following is not None else start + spoken_ms(text)
        filled.append((start, end, text))
        previous_start = start
    filled.reverse()
    return filled




def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value)


_WATCH_URL = re.compile(
    r"^(https?://(?:www\.|m\.)?(?:youtube\.com/watch\?v=|youtu\.be/)[\w-]{11})(?![\w-])")
_YOUTUBE_ID = re.compile(r"^[\w-]{11}$")
_TIME_PARAMETER = re.compile(r"[?&#]t=[^&#]*")


def lecture_url(url: str, video_id: str) -> str | None:
    """The lecture's watch address without the "&t=Ns" jump, or None if there is none.

    Viewers truncate long cells with an ellipsis: such a url is rebuilt from the video id.
    """
    match = _WATCH_URL.match(url)
    if match:
        return match[1]
    if _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube.com/watch?v={video_id}"
    if url.startswith(("http://", "https://")) and "\u2026" not in url:
        return _TIME_PARAMETER.sub("", url)
    return None


# ---------------------------------------------------------------------------------------------
# Rows of any source -> one video's transcript


@dataclass(frozen=True)
class _Columns:
    """Where each kind of value sits in a row: indices into the header, best first."""

    video_id: int | None
    title: int | None
    text: int | None
    url: int | None
    start: tuple[int, ...]
    end: tuple[int, ...]
    duration: tuple[int, ...]
    # "id" names a video in some datasets and a row number in others.
    id_may_be_row_number: bool

    @classmethod
    def from_header(cls, header: list[str]) -> _Columns:
        keys = [column_key(name) for name in header]

        def where(aliases: tuple[str, ...]) -> tuple[int, ...]:
            return tuple(keys.index(alias) for alias in aliases if alias in keys)

        def first(aliases: tuple[str, ...]) -> int | None:
            found = where(aliases)
            return found[0] if found else None

        video_id = first(_VIDEO_ID)
        return cls(video_id=video_id, title=first(_TITLE), text=first(_TEXT), url=first(_URL),
                   start=where(_START), end=where(_END), duration=where(_DURATION),
                   id_may_be_row_number=video_id is not None and keys[video_id] == "id")

    def readable(self) -> bool:
        return self.text is not None and bool(self.start)


def _first_value(row: list, indices: tuple[int, ...]) -> Any:
    for index in indices:
        value = row[index]
        if value is not None and value != "":
            return value
    return None


def _video_id_column(columns: _Columns, first_row: list | None) -> int | None:
    """The column naming each row's video; "id" counts rows in some datasets, and then
    names no video."""
    if columns.video_id is None or not columns.id_may_be_row_number or first_row is None:
        return columns.video_id
    first_id = _clean(first_row[columns.video_id])
    return None if first_id == "" or first_id.isdigit() else columns.video_id


def _rows_by_video(rows: Iterable[tuple[int, list]], columns: _Columns, wanted: str | None,
                   problems: list[tuple[int, str]]
                   ) -> tuple[dict[str, str], list[tuple[int, list]]]:
    """Every video's (id: title) in file order, and the rows of the wanted one (or the first).

    Only the id and title of every row are read here: times and text are read for the kept
    video alone, which keeps a file of many videos quick to open.
    """
    rows = iter(rows)
    first = next(rows, None)
    id_at = _video_id_column(columns, first[1] if first else None)
    if first is not None:
        rows = itertools.chain([first], rows)
    title_at = columns.title
    keep = wanted if id_at is not None else None   # without ids, every row is the one video
    videos: dict[str, str] = {}
    kept: list[tuple[int, list]] = []
    for place, row in rows:
        video = ""
        if id_at is not None:
            video = row[id_at]
            video = video.strip() if type(video) is str else _clean(video)
            if not video:
                problems.append((place, "a row with no video id"))
                continue
        if not videos.get(video):
            videos[video] = "" if title_at is None else _clean(row[title_at])
        if keep is None:
            keep = video
        if video == keep:
            kept.append((place, row))
    return videos, kept


def _chosen_video(videos: dict[str, str], path: str, wanted: str | None) -> str:
    """The id of the video to read; a file of several asks the learner to choose."""
    if "" in videos:
        return ""                                   # no video ids: one video, no choice to make
    if wanted is None:
        if len(videos) > 1:
            choices = [(video, title or video) for video, title in videos.items()]
            raise ChoiceNeeded(path, "video_id", choices)
        return next(iter(videos), "")
    if wanted not in videos:
        known = ", ".join(videos) or "none"
        raise TranscriptError(path, None, f"no video {wanted!r} in this file; it holds: {known}")
    return wanted


def _row_times(row: list, columns: _Columns) -> tuple[int, int | None]:
    start_value = _first_value(row, columns.start)
    if start_value is None:
        raise ValueError("a row with no start time")
    start = seconds_to_ms(start_value)
    end_value = _first_value(row, columns.end)
    if end_value is not None:
        end = seconds_to_ms(end_value)
    else:
        duration = _first_value(row, columns.duration)
        end = None if duration is None else _in_range(start + seconds_to_ms(duration))
    if end is not None and end < start:
        raise ValueError("the row ends before it starts")
    return start, end


def _timed_rows(kept: list[tuple[int, list]], columns: _Columns,
                problems: list[tuple[int, str]]) -> list[tuple[int, int | None, str]]:
    timed = []
    text_at = columns.text
    for place, row in kept:
        text = _clean(row[text_at])
        if "\n" in text:
            text = " ".join(text.split())
        if not text:
            problems.append((place, "a row with no text"))
            continue
        try:
            start, end = _row_times(row, columns)
        except ValueError as error:
            problems.append((place, str(error)))
            continue
        timed.append((start, end, text))
    timed.sort(key=lambda item: item[0])
    return timed


def _transcript(header: list[str], rows: Iterable[tuple[int, list]], path: str,
                options: LoadOptions, problems: list[tuple[int, str]],
                line_of: Callable[[int], int]) -> Transcript:
    """One video's transcript from rows; `line_of` turns a row's place into its line."""
    columns = _Columns.from_header(header)
    if columns.text is None or not columns.start:
        missing = "text" if columns.text is None else "start time"
        raise TranscriptError(path, line_of(0) if header else None,
                              f"no {missing} column among: {', '.join(map(str, header))[:200]}")
    videos, kept = _rows_by_video(rows, columns, options.video_id, problems)
    video_id = _chosen_video(videos, path, options.video_id)
    timed = _timed_rows(kept, columns, problems)
    warnings = sorted((line_of(place), why) for place, why in problems)
    if not timed:
        line, reason = warnings[0] if warnings else (None, "no rows with a text and a time")
        raise TranscriptError(path, line, reason)
    segments = [Segment(start, end, text) for start, end, text in fill_missing_ends(timed)]
    return Transcript(segments, title=videos[video_id] or None,
                      source_url=_source_url(kept, columns, video_id), warnings=warnings)


def _source_url(kept: list[tuple[int, list]], columns: _Columns, video_id: str) -> str | None:
    if columns.url is not None:
        for _place, row in kept:
            url = _clean(row[columns.url])
            if url:
                return lecture_url(url, video_id)
    return lecture_url("", video_id)


def _object_rows(objects: list[tuple[int, dict]], header: list[str] | None = None
                 ) -> tuple[list[str], Iterable[tuple[int, list]]]:
    """Rows as lists from row objects, under the given header or every key (first seen first)."""
    if header is None:
        header = list(dict.fromkeys(itertools.chain.from_iterable(obj for _place, obj in objects)))
    return header, ((place, list(map(obj.get, header))) for place, obj in objects)


def _row_object(item: Any) -> dict | None:
    """A row object; the datasets-server API wraps each as {"row_idx": 0, "row": {...}}."""
    if isinstance(item, dict):
        inner = item.get("row")
        return inner if isinstance(inner, dict) else item
    return None


# ---------------------------------------------------------------------------------------------
# CSV and TSV


def _delimiter(header_line: str) -> str:
    return max(("\t", ",", ";", "|"), key=header_line.count)


def _first_line(text: str) -> str:
    for line in head_lines(text, 20):
        if line.strip():
            return line
    return ""


def _sniff_table(text: str) -> bool:
    line = _first_line(text)[:4000]
    if line.lstrip().startswith(("{", "[")):
        return False
    try:
        header = next(csv.reader([line], delimiter=_delimiter(line)), [])
    except csv.Error:
        return False
    return len(header) >= 2 and _Columns.from_header(header).readable()


def _table_rows(reader, width: int, problems: list[tuple[int, str]]):
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # A field over the csv module's size limit, say: skip it, read on from the next line.
            problems.append((previous + 1, f"a row that cannot be read: {error}"))
            previous = reader.line_num
            continue
        line = previous + 1
        previous = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width:
            row += [""] * (width - len(row))
        yield line, row


def _lines_with_ends(text: str):
    """The text's lines with their "\n", one at a time: io.StringIO would hold a second copy
    of a big file at four bytes a character, and splitlines() also splits at characters
    such as U+2028 that YouTube text can contain."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def parse_table(text: str, path: str, options: LoadOptions) -> Transcript:
    if "\r" in text:  # load() has done this already; text from elsewhere may not have
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(_lines_with_ends(text), delimiter=_delimiter(_first_line(text)))
    problems: list[tuple[int, str]] = []
    header: list[str] = []
    try:
        for header in reader:
            if any(field.strip() for field in header):
                break
    except csv.Error as error:
        raise TranscriptError(path, reader.line_num,
                              f"the header cannot be read: {error}") from None
    header_line = reader.line_num
    rows = _table_rows(reader, len(header), problems)
    return _transcript(header, rows, path, options, problems,
                       line_of=lambda place: place or header_line)


# ---------------------------------------------------------------------------------------------
# JSON (an array of rows, or {"rows": [...]} / {"data": [...]}) and JSON Lines

_SPACE = re.compile(r"[ \t\n\r]*")
_ROWS_KEY = re.compile(r'"(rows|data)"\s*:\s*\[')


def json_start(text: str) -> int:
    """Where a JSON document starts (text.lstrip() would copy a big file to find out)."""
    return _SPACE.match(text).end()


def first_json_item(text: str, pos: int) -> Any:
    """The first item of the JSON array whose "[" is at `pos`, or None; reads nothing more."""
    try:
        start = _SPACE.match(text, pos + 1).end()
        return json.JSONDecoder().raw_decode(text, start)[0]
    except (ValueError, IndexError, RecursionError):
        return None


def json_item_lines(text: str, key: str | None = None) -> list[int]:
    """The line each item of the document's array starts on: the top-level array, or the one
    under `key` in the top-level object. Only for naming the line of a bad row after
    json.loads has read the document; [] if the document is not that shape."""
    decoder = json.JSONDecoder()
    try:
        pos = _SPACE.match(text).end()
        if key is not None:
            pos = _member_at(text, pos, key, decoder)
        if pos < 0 or text[pos] != "[":
            return []
        return _item_lines(text, pos, decoder)
    except (ValueError, IndexError, RecursionError):
        return []


def _skip_space(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()


def _member_at(text: str, pos: int, key: str, decoder: json.JSONDecoder) -> int:
    """Where the value of `key` starts in the object at `pos` (the last one, as json.loads)."""
    found = -1
    pos = _skip_space(text, pos + 1)
    while text[pos] != "}":
        name, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, _skip_space(text, pos) + 1)  # past ":"
        if name == key:
            found = pos
        _value, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return found


def _item_lines(text: str, pos: int, decoder: json.JSONDecoder) -> list[int]:
    lines: list[int] = []
    line, counted = 1, 0
    pos = _skip_space(text, pos + 1)
    while text[pos] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        _item, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return lines


def json_line_finder(text: str, key: str | None) -> Callable[[int], int]:
    """line_of(index) for the items of a JSON array, worked out only when first asked."""
    lines: list[int] = []

    def line_of(index: int) -> int:
        if not lines:
            lines.extend(json_item_lines(text, key) or [1])
        return lines[index] if 0 <= index < len(lines) else lines[-1]

    return line_of


def load_json(text: str, path: str) -> Any:
    """The JSON document, or a TranscriptError naming the line where it stops being JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptError(path, error.lineno, f"not valid JSON: {error.msg}") from None
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)[:80]
        raise TranscriptError(path, None, f"not valid JSON: {reason}") from None


def _readable_object(item: Any) -> bool:
    row = _row_object(item)
    return row is not None and _Columns.from_header(list(row)).readable()


def _sniff_json(text: str) -> bool:
    start = json_start(text)
    if text.startswith("[", start):
        return _readable_object(first_json_item(text, start))
    if text.startswith("{", start):
        match = _ROWS_KEY.search(text, start, start + 200_000)
        return bool(match) and _readable_object(first_json_item(text, match.end() - 1))
    return False


def parse_json(text: str, path: str, options: LoadOptions) -> Transcript:
    data = load_json(text, path)
    key = None
    if isinstance(data, dict):
        key = next((name for name in ("rows", "data") if isinstance(data.get(name), list)), None)
        if key is None:
            raise TranscriptError(path, 1, 'expected a list of rows, or {"rows": [...]}')
        data = data[key]
    if not isinstance(data, list):
        raise TranscriptError(path, 1, 'expected a list of rows, or {"rows": [...]}')
    problems: list[tuple[int, str]] = []
    objects = []
    for index, item in enumerate(data):
        row = _row_object(item)
        if row is None:
            problems.append((index, "a row that is not an object"))
        else:
            objects.append((index, row))
    header, rows = _object_rows(objects)
    return _transcript(header, rows, path, options, problems, line_of=json_line_finder(text, key))


def _sniff_json_lines(text: str) -> bool:
    line = _first_line(text).strip()
    # A one-line {"rows": [...]} is a whole JSON document: not worth parsing twice to find out.
    if not line.startswith("{") or _ROWS_KEY.search(line, 0, 200_000):
        return False
    try:
        first = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return _readable_object(first)


def parse_json_lines(text: str, path: str, options: LoadOptions) -> Transcript:
    problems: list[tuple[int, str]] = []
    objects = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = _row_object(json.loads(line))
        except (ValueError, RecursionError):
            row = None
        if row is None:
            problems.append((number, "not a JSON object on this line"))
        else:
            objects.append((number, row))
    header, rows = _object_rows(objects)
    first_line = objects[0][0] if objects else 1
    return _transcript(header, rows, path, options, problems,
                       line_of=lambda place: place or first_line)


# ---------------------------------------------------------------------------------------------
# A dataset viewer's dump: a header naming each column with its type and range of lengths,
# then one field per line, a row after another:
#
#     video_id            <- the header: name, type, shortest, longest
#     stringlengths
#     11
#     11
#     ...
#     BnpB3GrpsfM         <- row 1, in the header's column order
#     L11 Language Models -- guest instructor: Alec Radford (OpenAI) ...
#
# Viewers show an empty cell as an empty line or not at all, and cut long cells short with
# an ellipsis; so a row is found by the shape of its fields, not by counting lines.

_COLUMN_NAME = re.compile(r"^[A-Za-z_][\w .-]{0,63}$")
_COLUMN_TYPE = re.compile(r"^(?:large_)?(?:string|int|uint|float|double|decimal|bool|timestamp|"
                          r"date|time|duration|binary|sequence|list|dict|struct|null|image|audio)"
                          r"\w*(?:\[\w+\])?$")
_COLUMN_RANGE = re.compile(r"^(?:-?[\d.,]+\s*[kKMBG]?|\d+\s+(?:values?|classes?))$")

_ID_SHAPE = re.compile(r"^[\w-]+$")
_CLOCK_SHAPE = re.compile(r"^\d+:\d{1,2}(?::\d{1,2})?(?:[.,]\d+)?$")
_NUMBER_SHAPE = re.compile(r"^-?\d+(?:\.\d+)?$")
_TIME_SHAPE = re.compile(rf"{_CLOCK_SHAPE.pattern}|{_NUMBER_SHAPE.pattern}")
_WATCH_SHAPE = re.compile(r"^https?://\S*(?:youtube\.com/|youtu\.be/)")
_LINK_SHAPE = re.compile(r"^https?://\S")
_WORDS = re.compile(r"[^\W\d_]{2}")


@dataclass(frozen=True)
class _DumpColumn:
    name: str
    shape: re.Pattern | None            # what its values look like; None: any text
    lengths: tuple[int, int] | None     # shortest and longest value, for text columns

    def accepts(self, value: str) -> bool:
        if self.shape is None:
            return True
        if not self.shape.match(value):
            return False
        return self.lengths is None or self.lengths[0] <= len(value) <= self.lengths[1]


def _dump_column(name: str, type_name: str, ranges: list[str]) -> _DumpColumn:
    key = column_key(name)
    lengths = None
    if type_name.startswith(("string", "large_string")) and len(ranges) == 2:
        try:
            lengths = (int(ranges[0]), int(ranges[1]))
        except ValueError:
            lengths = None
    if key in _VIDEO_ID:
        return _DumpColumn(name, _ID_SHAPE, lengths)
    if key in _START + _END + _DURATION:
        if "timestamp" in key:
            shape = _CLOCK_SHAPE
        elif "sec" in key:
            shape = _NUMBER_SHAPE
        else:
            shape = _TIME_SHAPE
        return _DumpColumn(name, shape, None)
    if key in _URL:
        return _DumpColumn(name, _WATCH_SHAPE, None)
    if "thumbnail" in key:
        return _DumpColumn(name, _LINK_SHAPE, None)
    if type_name.startswith(("int", "uint", "float", "double", "decimal")):
        return _DumpColumn(name, _NUMBER_SHAPE, None)
    return _DumpColumn(name, None, lengths)


def _dump_header(lines: list[str]) -> tuple[list[_DumpColumn], int]:
    """The columns the header names, and the index of the line after the header."""
    columns: list[_DumpColumn] = []
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index + 1 < len(lines):
        name, type_name = lines[index].strip(), lines[index + 1].strip()
        if not (_COLUMN_NAME.match(name) and _COLUMN_TYPE.match(type_name)):
            break
        ranges: list[str] = []
        index += 2
        while index < len(lines) and len(ranges) < 2 and _COLUMN_RANGE.match(lines[index].strip()):
            ranges.append(lines[index].strip())
            index += 1
        columns.append(_dump_column(name, type_name, ranges))
    return columns, index


def _sniff_viewer_dump(text: str) -> bool:
    columns, _end = _dump_header(head_lines(text, 200))
    return len(columns) >= 2 and _Columns.from_header([c.name for c in columns]).readable()


def _column_for(value: str, columns: list[_DumpColumn], position: int) -> int | None:
    """The column a line belongs to: the next one it fits, skipping fields the row lacks.

    A text column takes the line unless a later column with a shape (a time, a url) fits it.
    """
    for index in range(position, len(columns)):
        column = columns[index]
        if column.shape is None:
            later_fits = (later.shape is not None and later.accepts(value)
                          for later in columns[index + 1:])
            if any(later_fits):
                continue
            return index
        if column.accepts(value):
            return index
    return None


class _DumpRows:
    """Gathers the lines of a dump into rows (field name -> value), one row after another."""

    def __init__(self, columns: list[_DumpColumn], problems: list[tuple[int, str]]) -> None:
        self.columns = columns
        self.problems = problems
        self.rows: list[tuple[int, dict]] = []
        self.row: dict | None = None
        self.position = 0            # the column the next line is expected in
        self.has_shaped_field = False  # past the id: a new id line now starts the next row
        self.open_text: str | None = None  # a text field a wrapped line continues

    def add(self, number: int, value: str) -> None:
        anchor = self.columns[0]
        starts_row = self.row is None or self.has_shaped_field or self.position >= len(self.columns)
        if value and starts_row and anchor.accepts(value):
            self.row = {anchor.name: value}
            self.rows.append((number, self.row))
            self.position, self.has_shaped_field, self.open_text = 1, False, None
        elif self.row is None:
            if value:
                self.problems.append((number, "a line before the first row"))
        elif not value:
            if self.position < len(self.columns):  # an empty cell keeps its place
                self.row.setdefault(self.columns[self.position].name, "")
                self.position += 1
        else:
            self._add_field(number, value)

    def _add_field(self, number: int, value: str) -> None:
        index = _column_for(value, self.columns, self.position)
        if index is None:
            # A text cell can wrap onto more lines; a broken time or link must not join it.
            if self.open_text is not None and _WORDS.search(value) and not _LINK_SHAPE.match(value):
                self.row[self.open_text] += " " + value
            else:
                self.problems.append((number, f"a line that fits no column: {value[:40]!r}"))
            return
        column = self.columns[index]
        self.row[column.name] = value
        self.position = index + 1
        self.open_text = column.name if column.shape is None else None
        self.has_shaped_field = self.has_shaped_field or column.shape is not None


def _title_that_is_text(rows: list[tuple[int, dict]], columns: list[_DumpColumn]) -> None:
    """A row whose title is missing shows its text in the title's place: move it back."""
    by_key = {column_key(column.name): column for column in columns}
    title = next((by_key[key] for key in _TITLE if key in by_key), None)
    text = next((by_key[key] for key in _TEXT if key in by_key), None)
    if title is None or text is None:
        return
    longest = title.lengths[1] if title.lengths else _LONGEST_TITLE
    for _number, row in rows:
        if not row.get(text.name) and len(row.get(title.name) or "") > longest:
            row[text.name] = row.pop(title.name)


def parse_viewer_dump(text: str, path: str, options: LoadOptions) -> Transcript:
    lines = text.split("\n")
    columns, first_row = _dump_header(lines)
    if len(columns) < 2:
        raise TranscriptError(path, first_row + 1,
                              "no header naming the columns (name, type, lengths)")
    problems: list[tuple[int, str]] = []
    if columns[0].shape is None:
        rows = _rows_by_count(lines, first_row, columns)
    else:
        gather = _DumpRows(columns, problems)
        for index in range(first_row, len(lines)):
            gather.add(index + 1, lines[index].strip())
        rows = gather.rows
    _title_that_is_text(rows, columns)
    header, table = _object_rows(rows, [column.name for column in columns])
    return _transcript(header, table, path, options, problems,
                       line_of=lambda place: place or first_row + 1)


def _rows_by_count(lines: list[str], first_row: int,
                   columns: list[_DumpColumn]) -> list[tuple[int, dict]]:
    """Without a recognisable first column, rows can only be counted off, one line a field."""
    width = len(columns)
    names = [column.name for column in columns]
    return [(start + 1, dict(zip(names, (line.strip() for line in lines[start:start + width]))))
            for start in range(first_row, len(lines), width)]


# ---------------------------------------------------------------------------------------------

DATASET_TABLE = TranscriptFormat(
    name="dataset-csv",
    description="YouTube transcript dataset as CSV or TSV (video_id, title, text, start, end, url)",
    extensions=(".csv", ".tsv"),
    sniff=_sniff_table,
    parse=parse_table,
)

DATASET_JSON = TranscriptFormat(
    name="dataset-json",
    description="YouTube transcript dataset as JSON (a list of rows)",
    extensions=(".json",),
    sniff=_sniff_json,
    parse=parse_json,
)

DATASET_JSON_LINES = TranscriptFormat(
    name="dataset-jsonl",
    description="YouTube transcript dataset as JSON Lines (a row per line)",
    extensions=(".jsonl", ".ndjson"),
    sniff=_sniff_json_lines,
    parse=parse_json_lines,
)

DATASET_VIEWER_DUMP = TranscriptFormat(
    name="dataset-viewer",
    description="YouTube transcript dataset copied from a dataset viewer (a field per line)",
    extensions=(".txt",),
    sniff=_sniff_viewer_dump,
    parse=parse_viewer_dump,
)

FORMATS = [DATASET_TABLE, DATASET_JSON_LINES, DATASET_JSON, DATASET_VIEWER_DUMP]
