"""Some files of a repository: what `validate PATH ...`, `fmt PATH ...` and `--changed-since`
work on, as paths relative to the root."""

from __future__ import annotations

from pathlib import Path

import attrs

from builder.errors import UsageError
from builder.layout import Layout


@attrs.frozen
class Selection:
    """Files and folders of a repository, relative to its root."""

    files: frozenset[str] = frozenset()
    folders: frozenset[str] = frozenset()  # each ends with "/", or is "" for the whole root

    def includes(self, path: str) -> bool:
        return path in self.files or any(path.startswith(folder) for folder in self.folders)

    @classmethod
    def everything(cls) -> Selection:
        return cls(folders=frozenset({""}))

    @classmethod
    def of_paths(cls, layout: Layout, paths: list[str]) -> Selection:
        """PATH arguments (relative to the working directory) as a selection; a path that
        does not exist or lies outside the repository is a usage error."""
        files: set[str] = set()
        folders: set[str] = set()
        for given in paths:
            path = Path(given).resolve()
            if not path.exists():
                raise UsageError(f"{given!r}: no such file or folder")
            if not path.is_relative_to(layout.real_root):
                raise UsageError(f"{given!r} is not inside the repository {layout.root}")
            relative = path.relative_to(layout.real_root).as_posix()
            if path.is_dir():
                folders.add("" if relative == "." else relative + "/")
            else:
                files.add(relative)
        return cls(frozenset(files), frozenset(folders))
