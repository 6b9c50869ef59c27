from player.core.media import find_sibling_transcript, looks_audio_only


def test_sibling_transcript_found_by_stem(tmp_path):
    media = tmp_path / "talk.mp4"
    media.write_bytes(b"")
    assert find_sibling_transcript(media) is None
    (tmp_path / "talk.txt").write_text("x")
    assert find_sibling_transcript(media) == tmp_path / "talk.txt"
    (tmp_path / "talk.vtt").write_text("x")
    assert find_sibling_transcript(media) == tmp_path / "talk.vtt"
    (tmp_path / "talk.srt").write_text("x")
    assert find_sibling_transcript(media) == tmp_path / "talk.srt"


def test_audio_only_by_extension():
    for name in ("a.mp3", "a.M4A", "a.wav", "a.ogg", "a.flac", "a.opus"):
        assert looks_audio_only(name)
    assert not looks_audio_only("a.mp4")
