"""`transcript-player models list|download NAME|remove NAME`: the Whisper models this machine
has for transcription, and the ones it can download (player.core.transcription.models)."""

from __future__ import annotations

import sys
import time

from player.cli.common import PROG, OneLineParser, Progress, cancelled_by_signals, stopped

MODELS = f"{PROG} models"


def _parser() -> OneLineParser:
    parser = OneLineParser(prog=MODELS, description="The Whisper models used to transcribe: those on this "
                                                    "machine (one comes with the app) and those it can download. "
                                                    "Downloaded models live in the user data folder "
                                                    "($TRANSCRIPT_PLAYER_MODELS picks another).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="list|download|remove")
    commands.add_parser("list", help="the models on this machine, then those that can be downloaded")
    download = commands.add_parser("download", help="download a model (its size is shown first)")
    download.add_argument("name", help="a model name from 'models list'")
    download.add_argument("--quiet", action="store_true", help="no progress on stderr")
    remove = commands.add_parser("remove", help="delete a downloaded model")
    remove.add_argument("name")
    return parser


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.0f} MB"


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return {"list": _list, "download": _download, "remove": _remove}[args.command](args)


def _list(args) -> int:
    from player.core.transcription import REGISTRY, installed_models, models_dir

    installed = installed_models()
    where = {"shipped": "comes with the app", "downloaded": "downloaded"}
    for model in installed:
        print(f"{model.name:<18} {_megabytes(model.size_bytes):>8}  {where.get(model.source, model.source):<18}  "
              f"{model.path}")
    have = {model.name for model in installed}
    missing = [info for name, info in REGISTRY.items() if name not in have]
    if missing:
        print(f"\nto download ({PROG} models download NAME, into {models_dir()}):")
        for info in missing:
            print(f"{info.name:<18} {info.size_mb:>5} MB  needs about {info.ram_mb} MB of memory"
                  + ("" if info.multilingual else ", English only"))
    return 0


def _download(args) -> int:
    from player.core.transcription import (REGISTRY, ModelDownload, ModelError, TranscriptionCancelled,
                                           resolve_model)

    if args.name not in REGISTRY:
        raise ModelError(f"unknown model '{args.name}': give one of {', '.join(REGISTRY)}")
    info = REGISTRY[args.name]
    progress = None if args.quiet else Progress(sys.stderr, f"download {info.name}")
    started = time.monotonic()

    def show(done: int, expected: int) -> None:
        if progress is None or expected <= 0:
            return
        elapsed = time.monotonic() - started
        left = elapsed * (expected - done) / done if done and elapsed > 1 else None
        progress(done / expected, left, f"{_megabytes(done)} of {_megabytes(expected)}")

    download = ModelDownload(info.name, on_progress=show)
    if download.target.is_dir():
        print(f"{info.name} is downloaded already: {resolve_model(info.name).path}")
        return 0
    if not args.quiet:
        print(f"{MODELS}: downloading {info.name} (about {info.size_mb} MB) into {download.folder}", file=sys.stderr)
    with cancelled_by_signals(download) as received:
        try:
            path = download.run()
        except TranscriptionCancelled:
            return stopped(received, ": nothing was kept", MODELS)
        finally:
            if progress is not None:
                progress.done()
    print(f"downloaded {info.name} to {path}")
    return 0


def _remove(args) -> int:
    from player.core.transcription import installed_models, remove_model

    size = next((model.size_bytes for model in installed_models()
                 if model.name == args.name and model.removable), None)
    remove_model(args.name)
    print(f"removed {args.name}" + (f" ({_megabytes(size)} freed)" if size else ""))
    return 0
