"""Models: the shipped one, folders checked, the models folder listed and emptied, and
downloads from a local HTTP server that serves the shipped model's files in the Hugging
Face layout (never the internet)."""

from __future__ import annotations

import filecmp
import functools
import http.server
import threading
from pathlib import Path

import pytest

from player.core.transcription import (
    REGISTRY,
    ModelDownload,
    ModelError,
    ModelNotInstalled,
    TranscriptionCancelled,
    TranscriptionError,
    check_model_dir,
    installed_models,
    remove_model,
    resolve_model,
)
from player.core.transcription.models import (
    MODELS_ENV_VARIABLE,
    ResolvedModel,
    check_memory,
    models_dir,
)

MODEL_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")


def test_the_default_model_is_shipped_and_valid(shipped_model, tmp_path):
    model = resolve_model(None, folder=tmp_path)
    assert model == ResolvedModel("tiny.en", shipped_model.absolute())
    assert check_model_dir(shipped_model) == shipped_model
    [listed] = installed_models(tmp_path)
    assert (listed.name, listed.source, listed.removable) == ("tiny.en", "shipped", False)
    assert 70_000_000 < listed.size_bytes < 90_000_000


def test_the_registry_knows_the_usual_models_and_their_sizes():
    for name in ("tiny", "tiny.en", "base", "base.en", "small", "medium", "large-v3", "distil-large-v3"):
        info = REGISTRY[name]
        assert info.repo.count("/") == 1 and info.size_mb > 0 and info.ram_mb > 0
    assert REGISTRY["tiny.en"].english_only and REGISTRY["large-v3"].multilingual
    assert REGISTRY["tiny"].size_mb < REGISTRY["base"].size_mb < REGISTRY["small"].size_mb < REGISTRY["medium"].size_mb


def test_the_models_folder_is_in_user_data_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv(MODELS_ENV_VARIABLE, raising=False)
    assert models_dir().parts[-2:] == ("transcript-player", "models")
    monkeypatch.setenv(MODELS_ENV_VARIABLE, str(tmp_path))
    assert models_dir() == tmp_path


@pytest.mark.parametrize("setup, why", [
    (lambda folder: None, "not a Whisper model folder (missing model.bin, config.json, tokenizer.json, "
                          "vocabulary.txt or vocabulary.json)"),
    (lambda folder: [(folder / name).write_text("{}") for name in ("config.json", "tokenizer.json",
                                                                  "vocabulary.json", "model.bin")],
     "model.bin is not a CTranslate2 model (convert the model for faster-whisper)"),
])
def test_a_folder_that_is_not_a_model_says_what_is_wrong(tmp_path, setup, why):
    folder = tmp_path / "my notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a model")
    setup(folder)
    with pytest.raises(ModelError) as raised:
        resolve_model(folder)
    assert str(raised.value) == f"{folder}: {why}"
    assert raised.value.kind == "model"


def test_a_file_or_a_missing_folder_is_not_a_model(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="a model is a folder"):
        check_model_dir(tmp_path / "model.bin")
    with pytest.raises(ModelError, match="no such model folder"):
        resolve_model(str(tmp_path / "nowhere"))


def test_unknown_and_missing_models(tmp_path):
    with pytest.raises(ModelNotInstalled) as raised:
        resolve_model("large-v3", folder=tmp_path)
    assert (raised.value.name, raised.value.size_mb) == ("large-v3", 3090)
    with pytest.raises(ModelError, match="unknown model 'huge': give one of tiny.en, tiny,"):
        resolve_model("huge", folder=tmp_path)


def test_a_model_too_big_for_the_memory_left_is_refused():
    with pytest.raises(TranscriptionError) as raised:
        check_memory(ResolvedModel("large-v3", Path("/x")), available_mb=1000)
    assert raised.value.kind == "memory"
    assert "not enough memory for the model 'large-v3': it needs about 3800 MB and 1000 MB is available" in \
        str(raised.value)
    check_memory(ResolvedModel("tiny.en", Path("/x")), available_mb=1000)
    check_memory(ResolvedModel("large-v3", Path("/x")), available_mb=None)   # unknown: not refused


# ----- downloads from a local server ------------------------------------------------------


class Server:
    """http.server on 127.0.0.1 serving `root`; `break_after` cuts model.bin off mid-way."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.break_after: int | None = None
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if outer.break_after is not None and self.path.endswith("/model.bin"):
                    size = (outer.root / self.path.lstrip("/")).stat().st_size
                    self.send_response(200)
                    self.send_header("Content-Length", str(size))
                    self.end_headers()
                    self.wfile.write(b"\0" * outer.break_after)
                    self.close_connection = True
                    return
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _publish(shipped_model: Path, root: Path, repo: str, vocabulary: str = "vocabulary.txt") -> Path:
    """The shipped model's files (symlinked) where BASE/REPO/resolve/main/FILE finds them."""
    folder = root / repo / "resolve" / "main"
    folder.mkdir(parents=True)
    for name in ("config.json", "model.bin", "tokenizer.json"):
        (folder / name).symlink_to(shipped_model / name)
    (folder / vocabulary).symlink_to(shipped_model / "vocabulary.txt")
    return folder


@pytest.fixture
def hub(shipped_model, tmp_path):
    root = tmp_path / "hub"
    _publish(shipped_model, root, REGISTRY["tiny.en"].repo)
    with Server(root) as server:
        yield server


def _leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir()) if folder.exists() else []


def test_download_fetches_the_files_into_place_with_progress(hub, shipped_model, tmp_path):
    folder = tmp_path / "models"
    reports: list[tuple[int, int]] = []
    path = ModelDownload("tiny.en", folder=folder, base_url=hub.url, on_progress=lambda *r: reports.append(r)).run()
    assert path == folder / "tiny.en"
    for name in MODEL_FILES:
        assert filecmp.cmp(path / name, shipped_model / name, shallow=False), name
    assert _leftovers(folder) == ["tiny.en"]   # no hidden partial folder left
    done = [report[0] for report in reports]
    assert done == sorted(done) and len(reports) >= 2
    whole = sum((shipped_model / name).stat().st_size for name in MODEL_FILES)
    assert reports[-1] == (whole, whole)
    assert all(done_bytes <= expected for done_bytes, expected in reports)
    assert hub.requests[0] == "/Systran/faster-whisper-tiny.en/resolve/main/config.json"
    assert hub.requests[-1].endswith("/model.bin")

    # Now listed, preferred over the shipped copy, and removable.
    downloaded = [model for model in installed_models(folder) if model.source == "downloaded"]
    assert [(model.name, model.size_bytes, model.removable) for model in downloaded] == [("tiny.en", whole, True)]
    assert resolve_model("tiny.en", folder=folder).path == path.absolute()
    # A second download of a model already there fetches nothing.
    before = len(hub.requests)
    assert ModelDownload("tiny.en", folder=folder, base_url=hub.url).run() == path
    assert len(hub.requests) == before
    remove_model("tiny.en", folder=folder)
    assert _leftovers(folder) == []
    assert resolve_model("tiny.en", folder=folder).path == shipped_model.absolute()


def test_download_takes_vocabulary_json_when_the_repository_has_that(shipped_model, tmp_path):
    root = tmp_path / "hub"
    _publish(shipped_model, root, REGISTRY["large-v3"].repo, vocabulary="vocabulary.json")
    with Server(root) as server:
        path = ModelDownload("large-v3", folder=tmp_path / "models", base_url=server.url).run()
    assert sorted(entry.name for entry in path.iterdir()) == ["config.json", "model.bin", "tokenizer.json",
                                                               "vocabulary.json"]
    assert any(request.endswith("/vocabulary.txt") for request in server.requests)       # tried, 404
    assert any(request.endswith("/preprocessor_config.json") for request in server.requests)


def test_a_cancelled_download_leaves_nothing(hub, tmp_path, shipped_model):
    folder = tmp_path / "models"
    download = ModelDownload("tiny.en", folder=folder, base_url=hub.url,
                             on_progress=lambda done, expected: download.cancel() if done > 1_000_000 else None)
    with pytest.raises(TranscriptionCancelled, match="download of 'tiny.en' cancelled: nothing was kept"):
        download.run()
    assert _leftovers(folder) == []
    assert resolve_model("tiny.en", folder=folder).path == shipped_model.absolute()


def test_a_download_cut_off_mid_way_leaves_nothing(hub, tmp_path):
    folder = tmp_path / "models"
    hub.break_after = 1_000_000
    with pytest.raises(TranscriptionError) as raised:
        ModelDownload("tiny.en", folder=folder, base_url=hub.url).run()
    assert raised.value.kind == "download"
    assert "/model.bin: the download broke off" in str(raised.value)
    assert _leftovers(folder) == []


def test_a_repository_without_the_model_is_a_clear_error(hub, tmp_path):
    with pytest.raises(TranscriptionError) as raised:
        ModelDownload("small", folder=tmp_path / "models", base_url=hub.url).run()
    assert str(raised.value) == (f"{hub.url}/Systran/faster-whisper-small/resolve/main/config.json: "
                                 "the server answered 404 File not found")
    assert _leftovers(tmp_path / "models") == []


def test_a_download_killed_before_its_rename_is_never_listed_and_is_cleared_next_time(hub, tmp_path):
    folder = tmp_path / "models"
    stale = folder / ".tiny.en.download-dead"
    stale.mkdir(parents=True)
    (stale / "model.bin").write_bytes(b"half")
    assert [model.source for model in installed_models(folder)] == ["shipped"]
    ModelDownload("tiny.en", folder=folder, base_url=hub.url).run()
    assert _leftovers(folder) == ["tiny.en"]


def test_only_downloaded_models_can_be_removed(tmp_path):
    with pytest.raises(ModelError, match="comes with the app"):
        remove_model("tiny.en", folder=tmp_path)
    with pytest.raises(ModelError, match="'small' is not downloaded"):
        remove_model("small", folder=tmp_path)
    for bad in ("..", "../x", ".hidden", ""):
        with pytest.raises(ModelError, match="is not the name of a downloaded model"):
            remove_model(bad, folder=tmp_path)
