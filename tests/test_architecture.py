"""The structure the code keeps: one module knows the repository's paths, one starts git, one
writes files. A second copy of any of them is how the tool's promises get broken."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import PROJECT

BUILDER = PROJECT / "builder"
MODULES = sorted(BUILDER.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PROJECT).as_posix()


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_only_the_layout_names_repository_paths() -> None:
    path_like = re.compile(r"claims/[\w.*<>/-]+|CHANGELOG\.md|(dataset|topics)\.yaml")
    naming = {
        _name(path) for path in MODULES if any(path_like.fullmatch(text) for text in _strings(path))
    }
    assert naming == {"builder/layout.py"}


def test_only_the_git_module_starts_processes() -> None:
    starting = {
        _name(path)
        for path in MODULES
        if re.search(r"\bimport subprocess\b|\bos\.(system|popen|exec)", path.read_text("utf-8"))
    }
    assert starting == {"builder/git.py"}


def test_only_the_writing_module_replaces_files() -> None:
    """Files of the repository are written by `writing` only; the build and the site write into
    their own hidden folders, which `writing.atomic_folder` puts in place, and publish into a
    scratch clone of its target."""
    writes = re.compile(
        r"\.write_(bytes|text)\(|os\.(replace|rename)\(|NamedTemporaryFile|\.open\(\"w|"
        r"\.rename\(|\.replace\((self|target|write)"
    )
    writing = {_name(path) for path in MODULES if writes.search(path.read_text("utf-8"))}
    inside_the_build = {
        "builder/dataset/checksums.py",
        "builder/dataset/parquet.py",
        "builder/dataset/pipeline.py",
        "builder/publish.py",
        "builder/site/__init__.py",
    }
    assert writing - inside_the_build == {"builder/writing.py"}
