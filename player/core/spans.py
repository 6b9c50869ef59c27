"""Stretches of time that overlap or touch, joined into one: the reel's cuts and the
"Play highlights" playlist both stand on this."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class MergedSpan(Generic[T]):
    """One stretch [start_ms, end_ms) and the items it was made of, in time order."""

    start_ms: int
    end_ms: int
    members: tuple[T, ...]


def merge_spans(items: Iterable[T], span: Callable[[T], tuple[int, int]]) -> list[MergedSpan[T]]:
    """Items whose spans (`span(item)` -> (start_ms, end_ms)) overlap or touch become one
    MergedSpan; the result is in time order. Items that start together keep the order they
    were given in (the sort is stable), so a caller can rely on it for ties."""
    timed = sorted(((*span(item), item) for item in items), key=lambda entry: (entry[0], entry[1]))
    merged: list[list] = []   # [start, end, members]
    for start, end, item in timed:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(item)
        else:
            merged.append([start, end, [item]])
    return [MergedSpan(start, end, tuple(members)) for start, end, members in merged]


def first_span_from(spans: Sequence[tuple[int, int]], position_ms: int) -> int | None:
    """Index of the span to play first from the playhead: the first (in time order) that
    has not ended by `position_ms` (one the playhead is inside counts, from its start),
    else the first span (wrapping round); None for no spans. `spans` are (start_ms,
    end_ms) in time order, as merge_spans gives them."""
    if not spans:
        return None
    index = bisect.bisect_right([end for _start, end in spans], position_ms)
    return index if index < len(spans) else 0


def playlist_from(spans: Sequence[tuple[int, int]], position_ms: int) -> list[tuple[int, int]]:
    """The spans in the order Play highlights plays them from the playhead: from
    first_span_from on, then round to the ones before it, each once."""
    first = first_span_from(spans, position_ms)
    return [] if first is None else [*spans[first:], *spans[:first]]
