"""Where everything of a claims repository lives: one object owns every path.

```
claims/dataset.yaml          dataset metadata
claims/topics.yaml           the topic vocabulary
claims/records/**/<id>.yaml  one claim per file
claims/sources/<id>.txt      a source text, and <id>.yaml its metadata
CHANGELOG.md                 the released versions
```

No other module builds these paths, so the rules about them live here only:

- one walker lists the files, with one rule: hidden files are skipped, a symlink is followed
  while it stays inside the repository and refused (L011) when it leads out, and a file the
  tool would not read is reported (L012), never silently ignored;
- an id given on the command line obeys the schema's slug rule before a path is made from it,
  and every path read or written resolves inside the repository;
- a source text is read one way: its bytes as stored, strict UTF-8, no newline translation.
"""

from __future__ import annotations

import enum
import functools
import os
import re
from pathlib import Path, PurePosixPath

import attrs

from builder import state
from builder.errors import InvalidDataError, UsageError
from builder.problems import Problem
from builder.writing import read_regular

CLAIMS = "claims"
RECORDS = f"{CLAIMS}/records"
SOURCES = f"{CLAIMS}/sources"
DATASET = f"{CLAIMS}/dataset.yaml"
TOPICS = f"{CLAIMS}/topics.yaml"
CHANGELOG = "CHANGELOG.md"

# A source text larger than this is refused unread: the largest news item is a few hundred KiB.
MAX_SOURCE_BYTES = 16 * 1024 * 1024

# The schema's slug, as Python must read it: `fullmatch`, so that no final newline slips through.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID = 100


def stem(relative: str) -> str:
    """The file name of `relative` without its suffix: a record's or a source's id. A string
    operation, since it runs for every record of a repository."""
    name = relative.rpartition("/")[2]
    return name.rpartition(".")[0] or name


def is_slug(text: str) -> bool:
    """Whether `text` is a claim, source or topic id (the rule of the schemas' `slug`)."""
    return len(text) <= MAX_ID and _SLUG.fullmatch(text) is not None


class Kind(enum.StrEnum):
    """The kinds of YAML file a repository holds, each with its own schema."""

    CLAIM = "claim"
    SOURCE = "source"
    DATASET = "dataset"
    TOPICS = "topics"


@attrs.frozen
class SourceFiles:
    """The two files of one source, as paths relative to the root; either may be missing."""

    id: str
    metadata: str | None = None
    text: str | None = None


@attrs.frozen
class Listing:
    """Every file of a repository's claims/ folder that the tool reads, by kind, and the
    problems of the files it refuses (L011) or would not read (L012)."""

    dataset: str | None
    topics: str | None
    records: tuple[str, ...]
    sources: dict[str, SourceFiles]
    problems: tuple[Problem, ...]
    refused: frozenset[str]

    def documents(self) -> list[tuple[str, Kind]]:
        """Every YAML document with its kind: metadata, topics, sources, then records."""
        found = [(path, kind) for path, kind in ((self.dataset, Kind.DATASET),) if path]
        found += [(self.topics, Kind.TOPICS)] if self.topics else []
        found += [(s.metadata, Kind.SOURCE) for s in self.sources.values() if s.metadata]
        found += [(path, Kind.CLAIM) for path in self.records]
        return found


@attrs.frozen
class Layout:
    """The paths of the claims repository at `root`."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> Layout:
        """The layout of `root`, which must hold a claims/ folder (else a usage error)."""
        layout = cls(root)
        if not layout.is_repository():
            raise UsageError(
                f"{root} has no {CLAIMS}/ folder: run the command in a claims repository "
                "or point --root at one"
            )
        return layout

    def is_repository(self) -> bool:
        return (self.root / CLAIMS).is_dir()

    @functools.cached_property
    def real_root(self) -> Path:
        return self.root.resolve()

    @functools.cached_property
    def state(self) -> state.State:
        """Where the tool keeps its journal and lock for this repository: outside the working
        tree (`builder.state`)."""
        return state.of_repository(self.root)

    def output(self, target: Path) -> Path:
        """`target` as an output folder (a build, a site): never the repository, a folder
        above it, anything under claims/ or a hidden folder (the git directory), which a
        replaced output would take with it; and never reached through a symlink inside the
        repository, which would send it anywhere."""
        real = target.resolve()
        if self.real_root.is_relative_to(real):
            raise UsageError(
                f"{target} is the repository or a folder above it; an output folder is replaced "
                "whole: choose a folder of its own, such as dist/site"
            )
        # As written, `..` taken away without following links: where it claims to go.
        written = Path(os.path.normpath(target.absolute()))
        root = Path(os.path.normpath(self.root.absolute()))
        if not real.is_relative_to(self.real_root):
            if written.is_relative_to(root):
                raise UsageError(
                    f"{target} is reached through a symlink in the repository that leads out "
                    "of it: replace the link with a folder, or give --out a folder outside"
                )
            return target
        parts = real.relative_to(self.real_root).parts
        hidden = (part for part in parts if part.startswith("."))
        kept = CLAIMS if parts[0] == CLAIMS else next(hidden, None)
        if kept is not None:
            raise UsageError(
                f"{target} lies inside {kept}/, which an output folder never replaces: "
                "choose a folder of its own, such as dist/site"
            )
        return target

    def path(self, relative: str) -> Path:
        """The file at `relative` (a path the layout listed or named): never outside the root."""
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
            raise UsageError(f"{relative!r} is not a path inside the repository")
        return self.root / relative

    def relative(self, path: Path) -> str:
        """`path` (under the root) as problems name files: relative, with forward slashes."""
        # String slicing, not Path.relative_to: this runs for every file of the repository.
        prefix = "" if os.fspath(self.root) == "." else os.fspath(self.root) + os.sep
        name = os.fspath(path)
        if prefix and not name.startswith(prefix):
            return path.relative_to(self.root).as_posix()
        return name[len(prefix) :].replace(os.sep, "/")

    def inside(self, path: Path) -> bool:
        """Whether `path`, with every symlink followed, stays inside the repository and out of
        its hidden folders (the git directory above all, which holds credentials and hooks)."""
        real = path.resolve()
        return real.is_relative_to(self.real_root) and not any(
            part.startswith(".") for part in real.relative_to(self.real_root).parts
        )

    # Finding files by id ----------------------------------------------------------------------

    def source(self, source_id: str) -> SourceFiles:
        """The files of source `source_id`; an id that is not a slug, or names no source, is a
        usage error."""
        _require_slug(source_id, "source")
        files = self.list().sources.get(source_id)
        if files is None or files.text is None:
            known = ", ".join(sorted(self.list().sources)) or "none yet"
            raise UsageError(f"no source {source_id!r} in {SOURCES} (known sources: {known})")
        return files

    def find_record(self, claim_id: str) -> str | None:
        """The record file of `claim_id`, in whichever sub-folder of records/ it is."""
        _require_slug(claim_id, "claim")
        return next((p for p in self.list().records if stem(p) == claim_id), None)

    def new_record(self, claim_id: str, folder: str | None) -> str:
        """Where a new record of `claim_id` goes: records/FOLDER/ID.yaml, inside records/."""
        _require_slug(claim_id, "claim")
        parts = PurePosixPath(folder or "").parts
        if PurePosixPath(folder or "").is_absolute() or any(
            part.startswith(".") or "\n" in part for part in parts
        ):
            raise UsageError(
                f"--folder {folder!r} is not a sub-folder of {RECORDS}: give a relative path "
                "such as 2024 or 2024/march"
            )
        relative = "/".join([RECORDS, *parts, f"{claim_id}.yaml"])
        if not (self.root / relative).parent.resolve().is_relative_to(self.real_root):
            raise UsageError(f"--folder {folder!r} leads outside the repository")
        return relative

    def new_source(self, source_id: str) -> SourceFiles:
        """Where the two files of a new source go."""
        _require_slug(source_id, "source")
        return SourceFiles(source_id, f"{SOURCES}/{source_id}.yaml", f"{SOURCES}/{source_id}.txt")

    # Reading ------------------------------------------------------------------------------------

    def read_source_text(self, relative: str) -> str | Problem:
        """A source text as stored: its bytes as strict UTF-8, no newline translation (offsets
        count the characters of exactly these bytes); a problem if that cannot be done."""
        try:
            raw = read_regular(self.path(relative), MAX_SOURCE_BYTES, follow=True)
        except OSError as error:
            return Problem(relative, 1, 1, "L011", f"cannot read the file: {error.strerror}")
        except ValueError:
            return Problem(
                relative,
                1,
                1,
                "L002",
                f"the text is larger than {MAX_SOURCE_BYTES:,} bytes (or not a regular file); "
                "split the document into several sources",
            )
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return Problem(
                relative,
                1,
                1,
                "A004",
                f"byte {error.start} (0x{raw[error.start]:02x}) is not valid UTF-8; source "
                "texts are stored as UTF-8",
            )

    def source_text(self, source_id: str) -> str:
        """The text of source `source_id`, or an error saying why there is none."""
        files = self.source(source_id)
        assert files.text is not None
        text = self.read_source_text(files.text)
        if isinstance(text, Problem):
            raise InvalidDataError(f"cannot read the text of {source_id}", [text])
        return text

    # Listing ------------------------------------------------------------------------------------

    def list(self) -> Listing:
        """Every file under claims/, sorted and classified (listed once per layout)."""
        return self._listing

    @functools.cached_property
    def _listing(self) -> Listing:
        return _Walker(self).listing()


def _require_slug(value: str, what: str) -> None:
    if not is_slug(value):
        raise UsageError(
            f"{value!r} is not a {what} id: ids are lowercase letters a-z, digits and single "
            f"hyphens, at most {MAX_ID} characters (such as no-political-prisoners-2018)"
        )


@attrs.define
class _Walker:
    """Lists claims/ with scandir and plain strings: 100,000 records must cost little."""

    layout: Layout
    problems: list[Problem] = attrs.Factory(list)
    refused: set[str] = attrs.Factory(set)

    def listing(self) -> Listing:
        dataset = topics = None
        records: list[str] = []
        sources: dict[str, SourceFiles] = {}
        for name in self.files(CLAIMS):
            if name == DATASET:
                dataset = name
            elif name == TOPICS:
                topics = name
            elif name.startswith(RECORDS + "/"):
                self.record(name, records)
            elif name.startswith(SOURCES + "/"):
                self.source(name, sources)
            else:
                self.stray(
                    name,
                    f"{CLAIMS}/ holds dataset.yaml, topics.yaml, records/ and sources/ only; "
                    "move or remove this file",
                )
        return Listing(
            dataset,
            topics,
            tuple(records),
            dict(sorted(sources.items())),
            tuple(self.problems),
            frozenset(self.refused),
        )

    def record(self, name: str, records: list[str]) -> None:
        suffix = os.path.splitext(name)[1]
        if suffix == ".yaml":
            records.append(name)
        else:
            hint = "rename it to .yaml" if suffix == ".yml" else "move it out of records/"
            self.stray(name, f"records/ holds one claim per .yaml file; {hint}")

    def source(self, name: str, sources: dict[str, SourceFiles]) -> None:
        path = PurePosixPath(name)
        if str(path.parent) != SOURCES:
            self.stray(name, "sources/ has no sub-folders; move the file up into sources/")
        elif path.suffix in (".yaml", ".txt"):
            files = sources.get(path.stem, SourceFiles(path.stem))
            field = "metadata" if path.suffix == ".yaml" else "text"
            sources[path.stem] = attrs.evolve(files, **{field: name})
        else:
            self.stray(
                name,
                "sources/ holds <id>.txt texts and <id>.yaml metadata only; "
                "rename or remove this file",
            )

    def stray(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, 1, 1, "L012", message))

    def files(self, folder: str) -> list[str]:
        """The files below `folder`, as sorted paths relative to the root, hidden ones skipped;
        the symlink check resolves only a file that is a link or lies in a linked folder. The
        walk keeps its own stack: folders nested thousands deep cost no recursion."""
        found: list[str] = []
        seen: set[str] = set()
        top = self.layout.root / folder
        if not top.exists():
            return found
        stack = [(os.fspath(top), folder, top.is_symlink(), top.is_dir(), top.is_file())]
        while stack:
            path, name, linked, is_dir, is_file = stack.pop()
            if linked and not self.layout.inside(Path(path)):
                self.refused.add(name)
                self.problems.append(
                    Problem(
                        name,
                        1,
                        1,
                        "L011",
                        "the file is a symlink that leads outside the repository (or into "
                        "its hidden folders, such as .git); replace it with the file itself",
                    )
                )
            elif is_dir:
                real = os.path.realpath(path) if linked else path
                if real not in seen:  # a linked folder may lead back up: visit it once
                    seen.add(real)
                    with os.scandir(path) as entries:
                        stack.extend(
                            (
                                entry.path,
                                f"{name}/{entry.name}",
                                linked or entry.is_symlink(),
                                entry.is_dir(),
                                entry.is_file(),
                            )
                            for entry in entries
                            if not entry.name.startswith(".")
                        )
            elif is_file:
                found.append(name)
            else:
                self.stray(name, "not a regular file; remove it")
        return sorted(found)
