"""Warnings go to a rotating log file in the log folder, not the terminal; errors go to both."""

import logging
import warnings

import pytest
from PySide6.QtCore import qWarning

from player import logs


@pytest.fixture
def log_folder(tmp_path):
    yield tmp_path / "log"
    logs.shutdown_logging()


def test_warnings_go_to_the_log_and_only_errors_to_the_terminal(log_folder, capfd):
    path = logs.setup_logging(log_folder)
    assert path == log_folder / "transcript-player.log" and logs.log_dir() == log_folder
    logging.getLogger("player.somewhere").warning("a logged warning")
    warnings.warn("a Python warning", UserWarning, stacklevel=1)
    qWarning("a Qt warning")
    logging.getLogger("player.somewhere").error("a logged error")
    text = path.read_text(encoding="utf-8")
    assert "WARNING player.somewhere: a logged warning" in text
    assert "UserWarning: a Python warning" in text
    assert "WARNING qt: a Qt warning" in text
    assert "ERROR player.somewhere: a logged error" in text
    terminal = capfd.readouterr().err
    assert "a logged error" in terminal
    for quiet in ("a logged warning", "a Python warning", "a Qt warning"):
        assert quiet not in terminal


def test_the_log_rotates_at_a_megabyte_keeping_three(log_folder):
    logs.setup_logging(log_folder)
    line = "x" * 1000
    for _ in range(4500):  # about 4.5 MB of warnings
        logging.getLogger("player.flood").warning(line)
    files = sorted(p.name for p in log_folder.iterdir())
    assert files == ["transcript-player.log", "transcript-player.log.1", "transcript-player.log.2",
                     "transcript-player.log.3"]
    assert all((log_folder / name).stat().st_size <= logs.LOG_MAX_BYTES for name in files)


def test_a_folder_that_cannot_be_written_leaves_warnings_on_the_terminal(tmp_path, capfd):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    try:
        assert logs.setup_logging(blocked / "log") is None
        logging.getLogger("player.somewhere").warning("still seen")
    finally:
        logs.shutdown_logging()
    terminal = capfd.readouterr().err
    assert f"{blocked / 'log'}: cannot write the log there" in terminal
    assert "still seen" in terminal
