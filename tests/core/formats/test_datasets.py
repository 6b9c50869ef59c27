"""YouTube transcript datasets: the seed's viewer dump, CSV/TSV, JSON, JSON Lines; choosing
a video."""

import csv
import json
from pathlib import Path

import pytest

from player.core.formats import (ChoiceNeeded, LoadOptions, TranscriptError, formats, load,
                                 parse_text)
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"
DUMP_SEED = SEEDS / "000_149b69cec48c81ff.txt"
RADFORD, ROUND_UP = "BnpB3GrpsfM", "1sJuWg5dULg"
RADFORD_TITLE = ("L11 Language Models -- guest instructor: Alec Radford (OpenAI) --- "
                 "Deep Unsupervised Learning SP20")
ROUND_UP_TITLE = ("L8 Round-up of Strengths and Weaknesses of Unsupervised Learning Methods -- "
                  "UC Berkeley SP20")


def detected(text: str) -> str:
    return next(f.name for f in formats() if f.sniff(text))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def video(path, video_id, **kwargs):
    return load(path, options=LoadOptions(video_id=video_id), **kwargs)


# --- the seed: a dataset viewer's dump, one field per line -------------------------------------


def test_the_seed_dump_holds_two_lectures_to_choose_from():
    assert detected(DUMP_SEED.read_text(encoding="utf-8")) == "dataset-viewer"
    with pytest.raises(ChoiceNeeded) as caught:
        load(DUMP_SEED)
    assert caught.value.kind == "video_id"
    assert caught.value.choices == [(RADFORD, RADFORD_TITLE), (ROUND_UP, ROUND_UP_TITLE)]
    assert f"{RADFORD}, {ROUND_UP}" in str(caught.value)


def test_the_seed_dump_reads_each_lecture_whole():
    radford = video(DUMP_SEED, RADFORD)
    assert len(radford) == 83 and radford.warnings == []
    assert radford.title == RADFORD_TITLE
    assert radford.source_url == f"https://www.youtube.com/watch?v={RADFORD}"
    assert (radford[0].start_ms, radford[0].end_ms) == (7_141_000, 7_169_000)
    assert (radford[-1].start_ms, radford[-1].end_ms) == (9_442_000, 9_470_000)
    assert radford[0].text.startswith("supervised learning might be picking up")

    round_up = video(DUMP_SEED, ROUND_UP)
    assert len(round_up) == 17 and round_up.title == ROUND_UP_TITLE
    assert (round_up[0].start_ms, round_up[-1].end_ms) == (0, 662_000)
    assert round_up[0].text.startswith("hello welcome to lecture 8")
    assert round_up.source_url == f"https://www.youtube.com/watch?v={ROUND_UP}"


def test_an_unknown_video_id_lists_the_known_ones():
    with pytest.raises(TranscriptError) as caught:
        video(DUMP_SEED, "dQw4w9WgXcQ")
    assert not isinstance(caught.value, ChoiceNeeded)
    message = str(caught.value)
    assert "dQw4w9WgXcQ" in message and RADFORD in message and ROUND_UP in message


def seed_header_and_rows():
    """The seed's 36 header lines, and its rows as lists of 9 fields."""
    lines = DUMP_SEED.read_text(encoding="utf-8").split("\n")
    return lines[:36], [lines[start:start + 9] for start in range(36, len(lines), 9)]


def dump(tmp_path, header, rows):
    return write(tmp_path, "dump.txt", "\n".join(header + [field for row in rows for field in row]))


def test_a_dump_with_missing_and_empty_fields_still_lines_up(tmp_path):
    header, rows = seed_header_and_rows()
    del rows[0][8]                      # row 1 without its thumbnail
    del rows[1][1]                      # row 2 without its title: its text in the title's place
    rows[2][5] = ""                     # row 3's start_second shown as an empty cell
    rows[3][1] = ""                     # row 4's title shown as an empty cell
    transcript = video(dump(tmp_path, header, rows), RADFORD)
    assert len(transcript) == 83 and transcript.warnings == []
    assert transcript[1].text.startswith("are not consistent or not robust")
    assert transcript[2].start_ms == 7_196_000  # from its start_timestamp, 01:59:56
    assert transcript.title == RADFORD_TITLE


def test_a_dump_row_without_times_is_skipped_with_its_line(tmp_path):
    header, rows = seed_header_and_rows()
    for field in (3, 4, 5, 6):          # row 2 loses both timestamps and both seconds
        rows[1][field] = "?"
    transcript = video(dump(tmp_path, header, rows), RADFORD)
    assert len(transcript) == 82
    row_2 = 36 + 9 + 1
    assert transcript.warnings[0][0] in range(row_2, row_2 + 9)


def test_a_dump_with_a_broken_time_or_a_wrapped_text(tmp_path):
    header, rows = seed_header_and_rows()
    rows[0][3] = "01:5X:01"             # a broken start_timestamp: start_second still has it
    rows[1][2:3] = ["are not consistent", "or not robust"]   # a text cell shown on two lines
    transcript = video(dump(tmp_path, header, rows), RADFORD)
    assert transcript[0].start_ms == 7_141_000 and "5X" not in transcript[0].text
    assert transcript.warnings == [(36 + 4, "a line that fits no column: '01:5X:01'")]
    assert transcript[1].text == "are not consistent or not robust"


def test_a_dump_with_truncated_urls_keeps_the_lecture_address(tmp_path):
    text = DUMP_SEED.read_text(encoding="utf-8").replace(
        f"https://www.youtube.com/watch?v={ROUND_UP}&t=",
        "https://www.youtube.com/watch?v=1sJu\u2026&t=")
    transcript = video(write(tmp_path, "dump.txt", text), ROUND_UP)
    assert transcript.source_url == f"https://www.youtube.com/watch?v={ROUND_UP}"


# --- the same rows as CSV, TSV, JSON, JSON Lines -------------------------------------------------


@pytest.mark.parametrize("name, format_name", [
    ("youtube_lectures.csv", "dataset-csv"),
    ("youtube_lectures.tsv", "dataset-csv"),
    ("youtube_lectures.json", "dataset-json"),
    ("youtube_lectures.jsonl", "dataset-jsonl"),
])
def test_every_file_shape_gives_the_same_lectures(name, format_name):
    path = DATA / name
    assert detected(path.read_text(encoding="utf-8").replace("\r\n", "\n")) == format_name
    with pytest.raises(ChoiceNeeded) as caught:
        load(path)
    assert [video_id for video_id, _title in caught.value.choices] == [RADFORD, ROUND_UP]
    radford = video(path, RADFORD)
    # The file holds Radford's rows 1-2, then Round-up's, then Radford's 3-4: time order wins.
    assert [s.start_ms // 1000 for s in radford] == [7141, 7169, 7196, 7220]
    assert radford.title == RADFORD_TITLE and radford.source_url.endswith(RADFORD)
    round_up = video(path, ROUND_UP)
    assert [(s.start_ms, s.end_ms) for s in round_up][0] == (0, 41_000) and len(round_up) == 4
    assert radford.warnings == round_up.warnings == []


def test_the_datasets_server_api_rows_wrapper():
    transcript = load(DATA / "datasets_server_rows.json")
    assert len(transcript) == 4 and transcript.title == ROUND_UP_TITLE


def test_youtube_transcript_api_rows_start_plus_duration():
    transcript = load(DATA / "youtube_transcript_api.json")
    assert [(s.start_ms, s.end_ms) for s in transcript][:2] == [(0, 3280), (3280, 8000)]
    assert transcript[0].text == "[Music]" and transcript[0].is_non_speech
    assert transcript[1].text == "hello welcome to lecture 8 of deep unsupervised learning"
    assert transcript.title is None and transcript.source_url is None


def test_aliases_quoting_and_missing_ends(tmp_path):
    rows = [["videoId", "Title", "Start", "Text"],
            ["abcdefghijk", "Intro, part 1", "0:00:00", 'She said "hi",\nthen left'],
            ["abcdefghijk", "", "4.5", "second"],
            ["abcdefghijk", "", "12", "last one here"]]
    path = tmp_path / "aliases.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    transcript = load(path)
    assert [(s.start_ms, s.end_ms) for s in transcript] == [
        (0, 4500), (4500, 12000), (12000, 13200)]
    assert transcript[0].text == 'She said "hi", then left'
    assert transcript.title == "Intro, part 1"
    assert transcript.source_url == "https://www.youtube.com/watch?v=abcdefghijk"


def test_an_id_column_that_counts_rows_names_no_video(tmp_path):
    text = "id,start,end,text\n0,0.0,2.0,first\n1,2.0,4.0,second\n"
    transcript = load(write(tmp_path, "rows.csv", text))
    assert [s.text for s in transcript] == ["first", "second"]


def test_broken_rows_are_skipped_with_their_lines(tmp_path):
    text = ("video_id,text,start_second,end_second\n"
            "abcdefghijk,good,1,2\n"
            "abcdefghijk,,3,4\n"
            "abcdefghijk,bad start,soon,4\n"
            "abcdefghijk,backwards,9,8\n"
            ",no id,5,6\n"
            "abcdefghijk,good again,10,11\n")
    transcript = load(write(tmp_path, "broken.csv", text))
    assert [s.text for s in transcript] == ["good", "good again"]
    assert [line for line, _why in transcript.warnings] == [3, 4, 5, 6]


def test_a_broken_json_line_is_skipped_with_its_line(tmp_path):
    rows = [json.dumps({"video_id": "abcdefghijk", "text": t, "start": s, "end": s + 1}) for t, s in
            [("one", 0), ("two", 1)]]
    text = rows[0] + "\n" + rows[1][:-5] + "\n" + rows[1] + "\n"
    transcript = load(write(tmp_path, "rows.jsonl", text))
    assert len(transcript) == 2 and transcript.warnings[0][0] == 2


def test_a_bad_row_in_a_json_array_is_named_by_its_line():
    text = (DATA / "youtube_lectures.json").read_text(encoding="utf-8")
    rows = json.loads(text)
    rows[1]["start_second"] = rows[1]["start_timestamp"] = "later"
    text = json.dumps(rows, indent=2)
    transcript = parse_text(text, "rows.json", options=LoadOptions(video_id=RADFORD))
    second_row_line = [i for i, line in enumerate(text.split("\n"), 1) if line.strip() == "{"][1]
    assert len(transcript) == 3
    assert [line for line, _why in transcript.warnings] == [second_row_line]


def test_files_with_nothing_readable_name_the_file_and_line(tmp_path):
    path = write(tmp_path, "no_times.csv", "video_id,text,start\nabcdefghijk,hello,whenever\n")
    with pytest.raises(TranscriptError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    path = write(tmp_path, "no_text.csv", "video_id,start,end\nabcdefghijk,1,2\n")
    with pytest.raises(TranscriptError, match="no text column") as caught:
        load(path, format="dataset-csv")
    assert caught.value.line == 1
    path = write(tmp_path, "cut.json", '[\n {"video_id": "abcdefghijk", "text": "hi",\n')
    with pytest.raises(TranscriptError) as caught:
        load(path, format="dataset-json")
    assert caught.value.line == 3


def test_a_single_video_needs_no_choice_but_a_wrong_one_is_an_error(tmp_path):
    path = write(tmp_path, "one.csv", "video_id,title,text,start_second,end_second\n"
                                      "abcdefghijk,One,hello,0,2\n")
    assert len(load(path)) == 1
    with pytest.raises(TranscriptError, match="abcdefghijk"):
        video(path, "zzzzzzzzzzz")


def test_prose_and_other_formats_are_not_taken_for_datasets():
    for text in ["Notes from the lecture, start to finish: text and more text.\n",
                 "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
                 '{"text": " Hi", "segments": [{"start": 0, "end": 1, "text": " Hi"}]}']:
        assert not any(f.sniff(text) for f in formats() if f.name.startswith("dataset-"))
