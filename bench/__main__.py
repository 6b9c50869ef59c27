"""Run every benchmark, each in its own process so memory figures are not mixed,
and print one table with the targets beside the figures.

    python -m bench            (needs a display: `make bench` uses xvfb-run)
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBES = ["startup", "open_seed", "sync_tick", "memory", "parse", "open_large",
          "library_search", "library_import", "library_highlight", "highlight_keypress",
          "fingerprint", "playback_sync", "loops", "parse_bench"]
# Probes that are a module of their own, run as `python -m bench.<name>`.
MODULES = {"parse_bench"}


def run_probe(name: str) -> list[dict]:
    command = ["-m", f"bench.{name}"] if name in MODULES else ["-m", "bench.probes", name]
    result = subprocess.run([sys.executable, *command], capture_output=True, text=True, timeout=600)
    rows = [json.loads(line[len("ROW "):]) for line in result.stdout.splitlines() if line.startswith("ROW ")]
    if result.returncode != 0 or not rows:
        tail = result.stderr.strip().splitlines()[-5:]
        rows = [{"figure": f"{name}: failed", "value": "", "target": "", "note": " | ".join(tail)}]
    return rows


def main() -> int:
    rows = [row for name in PROBES for row in run_probe(name)]
    widths = [max(len(str(r[k])) for r in rows + [{"figure": "figure", "value": "value",
                                                   "target": "target", "note": "note"}])
              for k in ("figure", "value", "target", "note")]
    header = ("figure", "value", "target", "note")
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(row[k]).ljust(w) for k, w in zip(header, widths)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
