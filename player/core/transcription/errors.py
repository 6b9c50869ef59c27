"""What can go wrong while transcribing: one exception family, each str() one sentence."""

from __future__ import annotations


class TranscriptionError(Exception):
    """Transcription could not start or did not finish; str() names the file and says why.

    `kind` tells callers what to offer: "media" (not a media file ffmpeg can read),
    "no_audio", "model" (missing, not a model, cannot be loaded), "memory", "crashed"
    (the worker process died), "download", "cancelled" or "internal".
    """

    def __init__(self, message: str, kind: str = "internal") -> None:
        super().__init__(message)
        self.kind = kind


class ModelError(TranscriptionError):
    """A model that cannot be used: unknown name, not downloaded, or a folder that is not one."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "model")


class ModelNotInstalled(ModelError):
    """A model the registry knows but this machine does not have yet: offer to download it."""

    def __init__(self, name: str, size_mb: int) -> None:
        super().__init__(f"the model '{name}' is not downloaded yet (about {size_mb} MB)")
        self.name = name
        self.size_mb = size_mb


class TranscriptionCancelled(TranscriptionError):
    """cancel() was called. Segments already handed to on_segment stay valid."""

    def __init__(self, message: str = "transcription cancelled") -> None:
        super().__init__(message, "cancelled")
