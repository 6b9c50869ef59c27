"""Local transcription (faster-whisper in a worker process), Qt-free.

- `TranscriptionJob`: transcribe a media file, streaming segments; resumable from a time.
- `models`: the model registry, the shipped model, the learner's models folder.
- `ModelDownload`: fetch a registry model into that folder, with progress and cancel.
- `accuracy`: word error rate against a known text (tests and the benchmark).
"""

from player.core.transcription.download import ModelDownload
from player.core.transcription.errors import (
    ModelError,
    ModelNotInstalled,
    TranscriptionCancelled,
    TranscriptionError,
)
from player.core.transcription.job import (
    Progress,
    TranscribedSegment,
    TranscribedWord,
    TranscriptionJob,
    TranscriptionOptions,
    TranscriptionResult,
)
from player.core.transcription.models import (
    DEFAULT_MODEL,
    REGISTRY,
    InstalledModel,
    ModelInfo,
    ResolvedModel,
    check_model_dir,
    installed_models,
    models_dir,
    remove_model,
    resolve_model,
)

__all__ = [
    "DEFAULT_MODEL", "REGISTRY", "InstalledModel", "ModelDownload", "ModelError", "ModelInfo", "ModelNotInstalled",
    "Progress", "ResolvedModel", "TranscribedSegment", "TranscribedWord", "TranscriptionCancelled",
    "TranscriptionError", "TranscriptionJob", "TranscriptionOptions", "TranscriptionResult", "check_model_dir",
    "installed_models", "models_dir", "remove_model", "resolve_model",
]
