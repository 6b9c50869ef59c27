"""`make install` puts the app on the user's desktop (launcher entry, icon, file types) under
$XDG_DATA_HOME, with the real desktop tools where they are; `make uninstall` leaves the
folder as it was."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "install-desktop.sh"
SIZES = ("16x16", "22x22", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256")

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
needs_validate = pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")


def make(target: str, data: Path) -> subprocess.CompletedProcess:
    # -o setup: the venv and the system packages are there already (the suite runs in them);
    # `make install` on its own makes them first.
    return subprocess.run(["make", "--no-print-directory", "-C", str(REPO), "-o", "setup", target],
                          env=dict(os.environ, XDG_DATA_HOME=str(data)), capture_output=True, text=True,
                          timeout=120)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder, by path inside `folder`."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def validate(path: Path) -> list[str]:
    """desktop-file-validate's errors and warnings (hints are advice)."""
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    return [line for line in (result.stdout + result.stderr).splitlines() if ": hint: " not in line]


def another_apps_files(data: Path) -> None:
    """What a desktop's data folder already holds: another app's entry, icon and MIME type,
    the caches the tools made for them, and this app's library."""
    apps = data / "applications"
    apps.mkdir(parents=True)
    (apps / "other.desktop").write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=true %f\n"
                                        "MimeType=text/x-other;\n", encoding="utf-8")
    icon = data / "icons" / "hicolor" / "48x48" / "apps"
    icon.mkdir(parents=True)
    shutil.copy(REPO / "resources" / "icons" / "hicolor" / "48x48" / "apps" / "transcript-player.png",
                icon / "other.png")
    packages = data / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / "other.xml").write_text(
        '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n'
        '<mime-type type="text/x-other"><glob pattern="*.other"/></mime-type>\n</mime-info>\n', encoding="utf-8")
    for tool, args in (("update-desktop-database", [str(apps)]), ("update-mime-database", [str(data / "mime")]),
                       ("gtk-update-icon-cache", ["-q", "-t", "-f", str(data / "icons" / "hicolor")])):
        if shutil.which(tool):
            subprocess.run([tool, *args], check=True, capture_output=True)
    (data / "transcript-player").mkdir()
    (data / "transcript-player" / "library.sqlite").write_bytes(b"the learner's library")


@needs_make
@pytest.mark.parametrize("start", ["empty", "in use"])
def test_make_install_then_uninstall_leaves_the_folder_as_it_was(tmp_path, start):
    data = tmp_path / "share"
    data.mkdir()
    if start == "in use":
        another_apps_files(data)
    before = snapshot(data)

    installed = make("install", data)
    assert installed.returncode == 0, installed.stderr
    entry = data / "applications" / "transcript-player.desktop"
    assert entry.is_file()
    for size in SIZES:
        assert (data / "icons" / "hicolor" / size / "apps" / "transcript-player.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "transcript-player.svg").is_file()
    assert (data / "mime" / "packages" / "transcript-player.xml").is_file()

    removed = make("uninstall", data)
    assert removed.returncode == 0, removed.stderr
    assert snapshot(data) == before


@needs_make
@needs_validate
def test_the_installed_entry_is_valid_and_runs_the_venvs_launcher(tmp_path):
    data = tmp_path / "share"
    assert make("install", data).returncode == 0
    entry_path = data / "applications" / "transcript-player.desktop"
    assert validate(entry_path) == []
    entry = desktop_entry(entry_path)
    launcher = REPO / ".venv" / "bin" / "transcript-player"
    assert entry["Exec"] == f"{launcher} %f" and entry["TryExec"] == str(launcher)
    # The venv the suite runs in: its launcher starts this checkout's app.
    assert os.path.samefile(launcher, Path(sys.executable).parent / "transcript-player")
    assert entry["Icon"] == "transcript-player" and entry["Categories"] == "AudioVideo;Education;"
    types = entry["MimeType"].split(";")
    for wanted in ("video/mp4", "video/x-matroska", "video/webm", "audio/mpeg", "audio/mp4", "audio/x-wav",
                   "audio/ogg", "application/x-subrip", "text/vtt", "text/x-sbv", "application/ttml+xml"):
        assert wanted in types
    assert validate(REPO / "resources" / "linux" / "transcript-player.desktop") == []


@pytest.mark.skipif(shutil.which("gio") is None, reason="gio is not installed (Debian: libglib2.0-bin)")
def test_open_with_runs_the_launcher_with_the_file_even_from_an_odd_folder(tmp_path):
    """A launcher under a folder with spaces, quotes, $ and a backslash: GLib (what GNOME's
    "Open with" uses) parses the Exec line back to that launcher and hands it the file;
    and the types the MIME database lacked (.sbv, .ttml) are known once installed."""
    launcher = tmp_path / 'my "venv" $HOME it\'s \\ `x`' / "bin" / "transcript-player"
    launcher.parent.mkdir(parents=True)
    got = tmp_path / "arguments.txt"
    launcher.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{got}"\n', encoding="utf-8")
    launcher.chmod(0o755)
    data = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    subprocess.run(["sh", str(SCRIPT), "install", str(launcher)], env=env, check=True, capture_output=True)
    lecture = tmp_path / "a lecture.srt"
    lecture.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello.\n", encoding="utf-8")
    subprocess.run(["gio", "launch", str(data / "applications" / "transcript-player.desktop"), str(lecture)],
                   env=env, check=True, capture_output=True, timeout=30)
    # gio returns once the launcher has started; its arguments follow (a timeout only for a hang).
    deadline = time.monotonic() + 30
    while not got.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert got.read_text(encoding="utf-8") == f"{lecture}\n"

    if shutil.which("update-mime-database"):
        for name, expected in (("captions.sbv", "text/x-sbv"), ("captions.ttml", "application/ttml+xml")):
            source = REPO / "tests" / "data" / "formats" / "subtitles" / f"lecture{Path(name).suffix}"
            shutil.copy(source, tmp_path / name)
            info = subprocess.run(["gio", "info", "-a", "standard::content-type", str(tmp_path / name)],
                                  env=env, capture_output=True, text=True, check=True).stdout
            assert f"standard::content-type: {expected}" in info
