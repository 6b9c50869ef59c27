"""Downloading a model into the learner's models folder, never leaving half of one.

The files are fetched from `BASE/REPO/resolve/main/FILE` (the Hugging Face layout; BASE is
https://huggingface.co unless $TRANSCRIPT_PLAYER_MODEL_URL or the caller says otherwise)
into a hidden folder beside the target, checked as a model, then renamed into place. A
cancel, an error or a killed app leaves only the hidden folder, which is never listed and
is removed by the next download of that model.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Callable

from player.core.transcription.errors import ModelError, TranscriptionCancelled, TranscriptionError
from player.core.transcription.models import (
    OPTIONAL_FILES,
    REGISTRY,
    VOCABULARY_FILES,
    check_model_dir,
    models_dir,
)

BASE_URL_ENV_VARIABLE = "TRANSCRIPT_PLAYER_MODEL_URL"
DEFAULT_BASE_URL = "https://huggingface.co"
CHUNK_BYTES = 1024 * 1024
# A stalled connection fails after this long instead of hanging the download for ever.
TIMEOUT_S = 30

# on_progress(bytes done, bytes expected): the expected total is the registry's estimate
# until model.bin (nearly all of it) announces its length.
ProgressCallback = Callable[[int, int], None]


class _Missing(Exception):
    """The server has no such file (404): fine for optional ones."""


def default_base_url() -> str:
    return os.environ.get(BASE_URL_ENV_VARIABLE) or DEFAULT_BASE_URL


class ModelDownload:
    """Download one registry model. run() blocks (call it off the GUI thread) and returns
    the model's folder; cancel() from any thread stops it with TranscriptionCancelled."""

    def __init__(self, name: str, folder: Path | None = None, base_url: str | None = None,
                 on_progress: ProgressCallback | None = None) -> None:
        if name not in REGISTRY:
            raise ModelError(f"unknown model '{name}': give one of {', '.join(REGISTRY)}")
        self.info = REGISTRY[name]
        self.folder = models_dir() if folder is None else Path(folder)
        self.base_url = (base_url or default_base_url()).rstrip("/")
        self.on_progress = on_progress
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._response = None
        self._done = 0
        self._expected = self.info.size_mb * 1_000_000
        self._last_report = 0.0

    @property
    def target(self) -> Path:
        return self.folder / self.info.name

    def cancel(self) -> None:
        self._cancel.set()
        with self._lock:
            response = self._response
        if response is not None:
            try:
                response.close()   # wakes a read blocked on the network
            except Exception:  # noqa: BLE001 - the reading thread reports what matters
                pass

    def url(self, filename: str) -> str:
        return f"{self.base_url}/{self.info.repo}/resolve/main/{urllib.parse.quote(filename)}"

    def run(self) -> Path:
        name = self.info.name
        if self.target.is_dir():
            return check_model_dir(self.target)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TranscriptionError(f"{self.folder}: cannot create the models folder: {error.strerror}",
                                     "download") from None
        for stale in self.folder.glob(f".{name}.download-*"):
            shutil.rmtree(stale, ignore_errors=True)
        partial = self.folder / f".{name}.download-{uuid.uuid4().hex[:8]}"
        partial.mkdir()
        try:
            self._fetch_all(partial)
            check_model_dir(partial)
            self._check_cancel()
            try:
                partial.rename(self.target)
            except OSError:
                if not self.target.is_dir():
                    raise
                # Another download of the same model finished first: keep that one.
            return check_model_dir(self.target)
        except ModelError as error:
            raise TranscriptionError(f"the download of '{name}' is not a usable model: {error}",
                                     "download") from None
        except OSError as error:
            raise TranscriptionError(f"{self.target}: cannot store the model: {error.strerror or error}",
                                     "download") from None
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    # -- the files

    def _fetch_all(self, partial: Path) -> None:
        self._fetch("config.json", partial)
        for optional in OPTIONAL_FILES:
            try:
                self._fetch(optional, partial, required=False)
            except _Missing:
                pass
        self._fetch("tokenizer.json", partial)
        *others, last = VOCABULARY_FILES   # the first one the server has
        for vocabulary in others:
            try:
                self._fetch(vocabulary, partial, required=False)
                break
            except _Missing:
                pass
        else:
            self._fetch(last, partial)
        self._fetch("model.bin", partial, bulk=True)
        self._report(force=True)

    def _fetch(self, filename: str, partial: Path, bulk: bool = False, required: bool = True) -> None:
        # Here, not at the top: urllib.request brings http.client, ssl and email (~50 ms), and the
        # window imports this module at start-up.
        import urllib.error
        import urllib.request

        self._check_cancel()
        url = self.url(filename)
        request = urllib.request.Request(url, headers={"User-Agent": "transcript-player"})
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310 - http(s) only
        except urllib.error.HTTPError as error:
            if error.code == 404 and not required:
                raise _Missing(filename) from None
            raise TranscriptionError(f"{url}: the server answered {error.code} {error.reason}",
                                     "download") from None
        except (urllib.error.URLError, OSError) as error:
            self._check_cancel()
            reason = getattr(error, "reason", None) or error
            raise TranscriptionError(f"{url}: cannot download: {reason}", "download") from None
        with self._lock:
            self._response = response
        try:
            length = response.headers.get("Content-Length")
            length = int(length) if length and length.isdigit() else None
            if bulk and length is not None:
                self._expected = self._done + length
            received = 0
            with (partial / filename).open("wb") as out:
                while True:
                    self._check_cancel()
                    try:
                        chunk = response.read(CHUNK_BYTES)
                    except (OSError, ValueError, AttributeError) as error:
                        self._check_cancel()
                        raise TranscriptionError(f"{url}: the download broke off: {error}", "download") from None
                    if not chunk:
                        break
                    out.write(chunk)
                    received += len(chunk)
                    self._done += len(chunk)
                    self._expected = max(self._expected, self._done)
                    self._report()
            self._check_cancel()  # cancel() closing the response ends the loop like an end of file
            if length is not None and received != length:
                raise TranscriptionError(f"{url}: the download broke off ({received} of {length} bytes)",
                                         "download")
        finally:
            with self._lock:
                self._response = None
            response.close()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise TranscriptionCancelled(f"download of '{self.info.name}' cancelled: nothing was kept")

    def _report(self, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_report >= 0.1:
            self._last_report = now
            self.on_progress(self._done, self._expected)
