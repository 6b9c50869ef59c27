"""The learner's library: lectures, transcripts, highlights, tags and notes in one SQLite
file (schema: docs/library-schema.md). No Qt here: the GUI and the CLI share it."""

from player.core.library.connection import (ENV_VARIABLE, LibraryError, NotALibrary,
                                            default_library_path)
from player.core.library.fingerprint import fingerprint
from player.core.library.library import MAX_TIME_MS, Library, NotTheSameMedia, migrate
from player.core.library.models import (Highlight, HighlightEdit, Lecture, LectureRemoval, LineWord,
                                        SearchHit, Tag, TagDeletion, TagEdit, TagMerge, TranscriptEdit,
                                        TranscriptionState, TranscriptLine)
from player.core.library.search import fts_query
from player.core.library.transcripts import NotTranscribing, StaleEdit, TranscriptExists

__all__ = [
    "ENV_VARIABLE", "MAX_TIME_MS", "Highlight", "HighlightEdit", "Lecture", "LectureRemoval", "Library",
    "LibraryError", "LineWord", "NotALibrary", "NotTheSameMedia", "NotTranscribing", "SearchHit", "StaleEdit",
    "Tag", "TagDeletion", "TagEdit", "TagMerge", "TranscriptEdit", "TranscriptExists", "TranscriptLine",
    "TranscriptionState", "default_library_path", "fingerprint", "fts_query", "migrate",
]
