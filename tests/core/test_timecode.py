import pytest

from player.core.timecode import format_clock, format_timecode, parse_timecode


@pytest.mark.parametrize("text, ms", [
    ("00:00:05.480", 5480),
    ("01:02:03,004", 3723004),
    ("0:0:4.520", 4520),
    ("00:05.000", 5000),
    ("12:34", 754000),
    ("100:00:00.5", 360000500),
])
def test_parse_timecode(text, ms):
    assert parse_timecode(text) == ms


@pytest.mark.parametrize("text", ["", "5", "00:61:00.000", "aa:bb:cc", "00:00:05.4800", "1:2:3:4"])
def test_parse_timecode_refuses_garbage(text):
    with pytest.raises(ValueError):
        parse_timecode(text)


def test_format_round_trip():
    assert format_timecode(3723004, ",") == "01:02:03,004"
    assert parse_timecode(format_timecode(987654)) == 987654
    assert format_clock(65_000) == "1:05"
    assert format_clock(3_723_000) == "1:02:03"
    assert format_clock(-5) == "0:00"


def test_format_timecode_for_ass():
    assert format_timecode(3_723_456, fraction_digits=2, hour_digits=1) == "1:02:03.45"
    assert format_timecode(5_999, fraction_digits=2, hour_digits=1) == "0:00:05.99"
    assert format_timecode(36_000_000, fraction_digits=2, hour_digits=1) == "10:00:00.00"
