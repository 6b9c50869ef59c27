"""A lecture's second transcript (a translation, human captions beside automatic ones),
kept with the lecture. Mixed into Library (library.py); tables in schema v7."""

from __future__ import annotations


class SecondTranscriptMethods:
    """The second transcript of a lecture (see docs/library-schema.md, v7)."""
