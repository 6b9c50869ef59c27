"""What the design promises about the code's shape, checked on every run:

- `player/core` is Qt-free and libVLC-free (it runs in the command line, in worker
  processes and in tests without a display), directly or through anything it imports;
- a module's private helpers (`_name`) stay in that module: no module of `player`
  imports another's, nor reaches for one through an imported module;
- nothing reads the project's sibling folders (`../shared`): a clone stands on its own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAYER = REPO / "player"
FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "vlc")


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_importing_all_of_core_loads_no_qt_and_no_vlc():
    """Every module under player/core imported in a fresh interpreter, as the command line
    would: none of them may pull in Qt or libVLC, however indirectly."""
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys
        import player.core
        names = [m.name for m in pkgutil.walk_packages(player.core.__path__, "player.core.")]
        for name in names:
            importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN_IN_CORE!r})
        print(len(names))
        print(" ".join(loaded))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count, loaded = (result.stdout.splitlines() + ["", ""])[:2]
    assert int(count) >= 30  # the walk really found the package's modules
    assert loaded == "", f"player/core loads {loaded}"


def test_no_core_module_imports_qt_or_vlc_even_inside_a_function():
    """The import above only sees module-level imports; this reads every import statement."""
    found = []
    for path in python_files(PLAYER / "core"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            found += [f"{path.relative_to(REPO)}:{node.lineno}: {name}" for name in names
                      if name.split(".")[0] in FORBIDDEN_IN_CORE]
    assert found == []


def _imported_player_names(path: Path, tree: ast.Module):
    """(line, module, name) for every `from <player module> import name` in the file,
    relative imports resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        if module == "player" or module.startswith("player."):
            for alias in node.names:
                yield node.lineno, module, alias.name, alias.asname or alias.name


def _is_module(dotted: str) -> bool:
    path = REPO.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_module_uses_another_modules_private_names():
    found = []
    for path in python_files(PLAYER):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(REPO)
        imported_modules = {}  # local name -> module, for `module._name` below
        for line, module, name, local in _imported_player_names(path, tree):
            if is_private(name) and module != module_name(path):
                found.append(f"{where}:{line}: from {module} import {name}")
            if _is_module(f"{module}.{name}"):
                imported_modules[local] = f"{module}.{name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("player.") and alias.asname:
                        imported_modules[alias.asname] = alias.name
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id in imported_modules and is_private(node.attr)):
                found.append(f"{where}:{node.lineno}: {imported_modules[node.value.id]}.{node.attr}")
    assert found == [], "private names used across modules:\n" + "\n".join(found)


def test_nothing_reads_the_folders_beside_the_repository():
    """Tests, benchmarks, scripts and the app use tests/data and resources only: a clone
    on a new machine has no ../shared."""
    found = []
    for folder in ("player", "tests", "bench", "scripts"):
        for path in python_files(REPO / folder):
            if path == Path(__file__).resolve():
                continue
            text = path.read_text(encoding="utf-8")
            for marker in ('"shared" / "seeds"', "../shared", 'parent / "shared"'):
                if marker in text:
                    found.append(f"{path.relative_to(REPO)}: {marker}")
    assert found == []


def test_make_test_lints_before_it_runs_the_suite():
    """`make test` (what CI and the fresh-machine check run) is ruff, then pytest."""
    plan = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    commands = [line for line in plan.splitlines() if " -m ruff " in line or " -m pytest" in line]
    assert [c.split(" -m ")[1].split()[0] for c in commands] == ["ruff", "pytest"], plan
    assert commands[0].endswith("ruff check player tests bench scripts")
