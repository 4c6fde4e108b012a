"""Project hygiene: the linters the README promises stay clean, and the public API is what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import vidlint

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "sample_media", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = _run(str(BIN / "mypy"))  # files and strictness come from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_names_resolve() -> None:
    for name in vidlint.__all__:
        assert getattr(vidlint, name) is not None, name


def test_import_is_lazy() -> None:
    """`import vidlint` must not drag in the heavy libraries: the pre-commit hook pays for every import."""
    heavy = ("pymediainfo", "magic", "PIL", "httpx", "rich", "pebble", "cryptography")
    code = f"import sys, vidlint; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_probe_and_upload_stay_functions_once_their_modules_are_loaded() -> None:
    """A submodule named like a package attribute would replace it on import: ours are named apart."""
    import vidlint.clients.facade
    import vidlint.probing

    assert callable(vidlint.probe) and vidlint.probe is vidlint.probing.probe
    assert callable(vidlint.upload) and vidlint.upload is vidlint.clients.facade.upload


def _imports(path: Path) -> set[str]:
    """The vidlint modules ``path`` imports, at any depth of the file, except under TYPE_CHECKING."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for top in ast.walk(tree)
        if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
        for node in ast.walk(top)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("vidlint")}


def _module_graph() -> dict[str, set[str]]:
    src = ROOT / "src"
    modules = {
        ".".join(path.relative_to(src).with_suffix("").parts).removesuffix(".__init__"): path
        for path in (src / "vidlint").rglob("*.py")
    }
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_no_import_cycle_inside_the_library() -> None:
    """Every import inside src/vidlint (module level or inside a function; not TYPE_CHECKING) goes one
    way: a cycle would mean two layers that each need the other."""
    import graphlib

    try:
        list(graphlib.TopologicalSorter(_module_graph()).static_order())
    except graphlib.CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_at_most_eight_modules_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in (ROOT / "src" / "vidlint").glob("*.py"))
    assert len(top) <= 8, top


def test_dir_lists_every_public_name_and_the_readme_names_import() -> None:
    """Tab completion lists the public names, and every ``vidlint.NAME`` or ``from vidlint import NAME``
    the README shows (other than a submodule's path) is one of them and resolves."""
    import pkgutil
    import re

    assert set(vidlint.__all__) <= set(dir(vidlint))
    modules = {info.name for info in pkgutil.iter_modules(vidlint.__path__)}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<![\w/.])vidlint\.([A-Za-z_]\w*)", readme))
    for names in re.findall(r"from vidlint import ([\w, ]+)", readme):
        used |= {n.strip() for n in names.split(",")}
    public = sorted(used - modules - {"toml", "unreadable"})  # vidlint.toml, the vidlint.unreadable code
    assert public, "the README shows no public name?"
    for name in public:
        assert name in vidlint.__all__ and getattr(vidlint, name) is not None, name
