"""Study records of a lecture: dictation attempts and their scores, the speed last played.
Mixed into Library (library.py); tables in schema v7."""

from __future__ import annotations


class StudyMethods:
    """Dictation attempts and the lecture's speed (see docs/library-schema.md, v7)."""
