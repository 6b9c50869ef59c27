"""ffmpeg ends with the process that started it: a real parent Python process, a real ffmpeg,
a real SIGKILL or SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import imageio_ffmpeg
import pytest

from player.core.processes import popen_child, run_child
from tests.core.test_reel import make_video

REPO = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
# ffmpeg encoding for as long as it is let: a child that never ends by itself.
ENDLESS = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-nostdin", "-re", "-f", "lavfi", "-i",
           "sine=frequency=440", "-f", "null", "-"]


def process_state(pid: int) -> str | None:
    """The kernel's state letter for pid, or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2]


def is_running(pid: int) -> bool:
    return process_state(pid) not in (None, "Z", "X")   # a zombie has died


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            if int(text[text.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_until(condition, attempts: int = 2000) -> bool:
    """Poll `condition` until it holds; the bound only stops a broken test from hanging."""
    for _ in range(attempts):
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def start_parent(code: str, *args: str, tmp: Path | None = None) -> subprocess.Popen:
    """A Python process running `code` with `args`; TMPDIR=tmp to see its temporary files."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if tmp is not None:
        tmp.mkdir(exist_ok=True)
        env["TMPDIR"] = str(tmp)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def the_ffmpeg_of(parent: subprocess.Popen) -> int:
    """Waits for the parent to say it has started ffmpeg, then finds ffmpeg's pid."""
    line = parent.stdout.readline()
    assert line.strip() == "started", parent.stderr.read()
    assert wait_until(lambda: children_of(parent.pid))
    (child,) = children_of(parent.pid)
    return child


REEL_PARENT = """
    import signal, sys
    from pathlib import Path
    from player.core.reel import Cut, ReelCancelled, ReelJob, ReelOptions

    media, out = Path(sys.argv[1]), Path(sys.argv[2])
    said = []
    def progress(fraction, left):
        if not said:
            said.append(True)
            print("started", flush=True)
    job = ReelJob(media, [Cut(0, 10_000, "all")], out, ReelOptions(preset="veryslow", crf=5, smart_cut=False),
                  on_progress=progress)
    signal.signal(signal.SIGTERM, lambda signum, frame: job.cancel())
    try:
        job.run()
    except ReelCancelled:
        print("cancelled", flush=True)
        sys.exit(3)
    print("finished", flush=True)
"""


@pytest.fixture(scope="module")
def slow_media(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("slow") / "big.mp4", seconds=10, size="640x360")


@linux_only
def test_a_reels_ffmpeg_dies_when_its_parent_is_killed(slow_media, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    parent = start_parent(REEL_PARENT, str(slow_media), str(out_dir / "reel.mp4"), tmp=tmp_path / "tmp")
    ffmpeg = the_ffmpeg_of(parent)
    assert is_running(ffmpeg) and os.getsid(ffmpeg) == ffmpeg   # in a session of its own
    parent.kill()
    parent.wait()
    assert wait_until(lambda: not is_running(ffmpeg)), "ffmpeg outlived the process that started it"


@linux_only
def test_sigterm_cancels_the_reel_and_removes_its_temporary_files(slow_media, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    parent = start_parent(REEL_PARENT, str(slow_media), str(out_dir / "reel.mp4"), tmp=tmp_path / "tmp")
    ffmpeg = the_ffmpeg_of(parent)
    assert [p.name for p in (tmp_path / "tmp").iterdir()][0].startswith("reel-")
    parent.send_signal(signal.SIGTERM)
    stdout, stderr = parent.communicate(timeout=60)
    assert (parent.returncode, stdout.strip()) == (3, "cancelled"), stderr
    assert not is_running(ffmpeg)
    assert list(out_dir.iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []


CHILD_PARENT = """
    import sys
    from player.core.processes import popen_child, run_child
    endless = sys.argv[2:]
    if sys.argv[1] == "popen":
        popen_child(endless)
        print("started", flush=True)
        input()   # wait to be killed
    else:
        print("started", flush=True)
        run_child(endless, capture_output=True)
"""


@linux_only
@pytest.mark.parametrize("how", ["popen", "run"])
def test_any_child_dies_when_its_parent_is_killed(tmp_path, how):
    parent = start_parent(CHILD_PARENT, how, *ENDLESS)
    ffmpeg = the_ffmpeg_of(parent)
    parent.kill()
    parent.wait()
    assert wait_until(lambda: not is_running(ffmpeg)), "ffmpeg outlived the process that started it"


def test_run_child_kills_its_child_on_timeout_and_returns_its_output():
    with pytest.raises(subprocess.TimeoutExpired):
        run_child(ENDLESS, timeout=0.5)
    done = run_child([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr)"],
                     capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "out\n", "err\n")


def test_popen_child_is_an_ordinary_popen():
    process = popen_child([sys.executable, "-c", "print(input()[::-1])"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
    assert process.communicate("abc\n", timeout=30) == ("cba\n", None)
