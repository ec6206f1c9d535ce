"""Finding and reading a claims repository: which files there are, and what each one holds.

Every file under `claims/` is either read or reported, so that nothing a contributor wrote is
silently ignored (a record saved as `.yml` is an error, not a claim that quietly disappears).
Files are opened only at paths the tool listed itself, and a file whose real path leaves the
repository through a symlink is refused.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from builder.loader import Document, Loaded, ParseFailure, load_file
from builder.model import Claim, DatasetInfo, Repository, Source
from builder.problems import Problem
from builder.schemas import Kind, schema_problems

CLAIMS_DIR = "claims"


@attrs.frozen
class Selection:
    """Some files and folders of a repository, as paths relative to its root."""

    files: frozenset[str] = frozenset()
    folders: frozenset[str] = frozenset()  # each ends with "/", or is "" for the whole root

    def includes(self, path: str) -> bool:
        return path in self.files or any(path.startswith(folder) for folder in self.folders)


class RepositoryError(Exception):
    """The root is not a claims repository at all: a usage error, not bad data."""


@attrs.frozen
class ReadResult:
    """What reading a repository gave: the model, the problems met, and the files read."""

    repository: Repository
    problems: tuple[Problem, ...]
    files: tuple[str, ...]


@attrs.define
class _Reader:
    root: Path
    real_root: Path
    problems: list[Problem] = attrs.Factory(list)
    files: list[str] = attrs.Factory(list)

    def relative(self, path: Path) -> str:
        # String slicing, not Path.relative_to: this runs for every file of the repository.
        prefix = "" if os.fspath(self.root) == "." else os.fspath(self.root) + os.sep
        name = os.fspath(path)
        if prefix and not name.startswith(prefix):
            return path.relative_to(self.root).as_posix()
        return name[len(prefix) :].replace(os.sep, "/")

    def report(self, path: Path, code: str, message: str) -> None:
        self.problems.append(Problem(self.relative(path), 1, 1, code, message))

    def inside(self, path: Path) -> bool:
        if path.resolve().is_relative_to(self.real_root):
            return True
        self.report(
            path,
            "L011",
            "the file is a symlink that leads outside the repository; "
            "replace it with the file itself",
        )
        return False

    def document(self, path: Path, kind: Kind) -> Document | None:
        """A schema-valid document, or None with its problems recorded."""
        return self.record(checked_document(path, self.relative(path), kind))

    def record(self, checked: Checked) -> Document | None:
        display, document, problems = checked
        self.files.append(display)
        self.problems.extend(problems)
        return document

    def text(self, path: Path) -> str | None:
        self.files.append(self.relative(path))
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.report(path, "L011", f"cannot read the file: {error.strerror}")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self.report(
                path,
                "A004",
                f"byte {error.start} (0x{raw[error.start]:02x}) is not "
                "valid UTF-8; source texts are stored as UTF-8",
            )
            return None


def read_repository(root: Path, only: Selection | None = None, jobs: int = 1) -> ReadResult:
    """Read the repository at `root`; problems are collected, never raised.

    With `only`, read just the selected records and sources and what checking them needs: the
    metadata, the topics, the sources the selected records quote, and the names of all other
    files (for unique ids and references). Checking that much gives, for the selected files,
    the problems a full read gives, at the cost of the selection rather than the repository.
    `jobs` processes share the records; the result is the same for any number.
    """
    claims_dir = require_repository(root)
    reader = _Reader(root, root.resolve())
    dataset = _read_dataset(reader, claims_dir / "dataset.yaml")
    topics = _read_topics(reader, claims_dir / "topics.yaml")
    claims, claim_files, unread = _read_claims(reader, claims_dir / "records", only, jobs)
    quoted = {span.source for claim in claims for span in claim.spans()}

    def wanted(source_id: str, paths: list[str]) -> bool:
        return only is None or source_id in quoted or any(map(only.includes, paths))

    sources, unreadable, source_files = _read_sources(reader, claims_dir / "sources", wanted)
    repository = Repository(
        dataset=dataset,
        topics=topics,
        sources=sources,
        claims=claims,
        unreadable_sources=frozenset(unreadable),
        claim_files=frozenset(claim_files),
        unread_claim_files=unread,
        source_files=frozenset(source_files),
    )
    return ReadResult(repository, tuple(reader.problems), tuple(reader.files))


def require_repository(root: Path) -> Path:
    """The repository's claims/ folder; a root without one is a usage error, not bad data."""
    claims_dir = root / CLAIMS_DIR
    if not claims_dir.is_dir():
        raise RepositoryError(
            f"{root} has no {CLAIMS_DIR}/ folder: run the command in a claims repository "
            "or point --root at one"
        )
    return claims_dir


def source_text_path(root: Path, source_id: str) -> Path | None:
    """The text file of a source, if `source_id` names one (never a path built from input)."""
    folder = root / CLAIMS_DIR / "sources"
    if not folder.is_dir():
        return None
    for path in folder.glob("*.txt"):
        if path.stem == source_id and path.resolve().is_relative_to(root.resolve()):
            return path
    return None


def _read_dataset(reader: _Reader, path: Path) -> DatasetInfo | None:
    if not _required(reader, path):
        return None
    document = reader.document(path, Kind.DATASET)
    return None if document is None else DatasetInfo.from_document(document)


def _read_topics(reader: _Reader, path: Path) -> dict[str, str]:
    if not _required(reader, path):
        return {}
    document = reader.document(path, Kind.TOPICS)
    return {} if document is None else dict(document.data)


def _required(reader: _Reader, path: Path) -> bool:
    if path.is_file() or path.is_symlink():
        return reader.inside(path)
    reader.problems.append(
        Problem(
            reader.relative(path),
            1,
            1,
            "L013",
            f"{reader.relative(path)} is missing; every claims repository has one",
        )
    )
    return False


def _read_sources(
    reader: _Reader, folder: Path, wanted: Callable[[str, list[str]], bool]
) -> tuple[dict[str, Source], set[str], set[str]]:
    """The sources `wanted` (asked with each id and its files' paths) by id, the ids of those
    that did not load, and the ids of every source file present."""
    metadata: dict[str, Path] = {}
    texts: dict[str, Path] = {}
    for path in _files(reader, folder):
        if path.parent != folder:
            reader.report(
                path, "L012", "sources/ has no sub-folders; move the file up into sources/"
            )
        elif path.suffix == ".yaml":
            metadata[path.stem] = path
        elif path.suffix == ".txt":
            texts[path.stem] = path
        else:
            reader.report(
                path,
                "L012",
                "sources/ holds <id>.txt texts and <id>.yaml metadata "
                "only; rename or remove this file",
            )
    sources: dict[str, Source] = {}
    unreadable: set[str] = set()
    for source_id in sorted(metadata.keys() | texts.keys()):
        if source_id not in texts:
            reader.report(
                metadata[source_id], "R007", f"no text for this source: add sources/{source_id}.txt"
            )
        if source_id not in metadata:
            reader.report(
                texts[source_id], "R007", f"no metadata for this text: add sources/{source_id}.yaml"
            )
        paths = [
            reader.relative(files[source_id]) for files in (metadata, texts) if source_id in files
        ]
        if not wanted(source_id, paths):
            continue
        document = (
            reader.document(metadata[source_id], Kind.SOURCE) if source_id in metadata else None
        )
        text = reader.text(texts[source_id]) if source_id in texts else None
        if document is None or text is None:
            unreadable.add(source_id)
        else:
            sources[source_id] = Source.from_document(document, text)
    return sources, unreadable, metadata.keys() | texts.keys()


def _read_claims(
    reader: _Reader, folder: Path, only: Selection | None, jobs: int
) -> tuple[tuple[Claim, ...], set[str], dict[str, tuple[str, ...]]]:
    """The claims read (all, or those in `only`), the stems of every record file, and the
    paths of the record files not read, by stem."""
    stems: set[str] = set()
    unread: dict[str, list[str]] = defaultdict(list)
    selected: list[str] = []
    for name in _file_names(reader, folder):
        stem, suffix = os.path.splitext(name.rpartition("/")[2])
        if suffix != ".yaml":
            hint = "rename it to .yaml" if suffix == ".yml" else "move it out of records/"
            reader.report(
                reader.root / name, "L012", f"records/ holds one claim per .yaml file; {hint}"
            )
            continue
        stems.add(stem)
        if only is not None and not only.includes(name):
            unread[stem].append(name)
            continue
        selected.append(name)
    claims = [
        Claim.from_document(document)
        for checked in _check_records(reader.root, selected, jobs)
        if (document := reader.record(checked)) is not None
    ]
    return tuple(claims), stems, {stem: tuple(paths) for stem, paths in unread.items()}


Checked = tuple[str, Document | None, tuple[Problem, ...]]


def checked_document(path: Path, display: str, kind: Kind) -> Checked:
    """Load and schema-check one file: the document if it passed, and its problems."""
    loaded: Loaded = load_file(path, display)
    if isinstance(loaded, ParseFailure):
        return display, None, loaded.problems
    problems = tuple(schema_problems(loaded, kind))
    return display, None if problems else loaded, problems


# Below this many records a process pool costs more than it saves.
PARALLEL_FROM = 400
_CHUNK = 200


def _check_records(root: Path, relatives: list[str], jobs: int) -> Iterator[Checked]:
    """Each record checked, in the given order, by `jobs` processes when there are enough."""
    if jobs <= 1 or len(relatives) < PARALLEL_FROM:
        yield from _check_chunk(root, relatives)
        return
    chunks = [relatives[i : i + _CHUNK] for i in range(0, len(relatives), _CHUNK)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        for checked in pool.map(_check_chunk, itertools.repeat(root), chunks):
            yield from checked


def _check_chunk(root: Path, relatives: list[str]) -> list[Checked]:
    return [checked_document(root / display, display, Kind.CLAIM) for display in relatives]


def _files(reader: _Reader, folder: Path) -> Iterator[Path]:
    """Regular files below `folder` in a stable order, skipping hidden ones (.gitkeep, ...)."""
    for name in _file_names(reader, folder):
        yield reader.root / name


def _file_names(reader: _Reader, folder: Path) -> list[str]:
    """The files below `folder`, as sorted paths relative to the root, hidden ones skipped.

    Listing 100,000 records must cost little: `os.scandir` and plain strings, and the
    symlink check resolves only a file that is a link or lies in a linked folder.
    """
    found: list[str] = []
    seen: set[str] = set()

    def walk(directory: str, relative: str, linked: bool) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                link = linked or entry.is_symlink()
                if entry.is_dir():
                    real = os.path.realpath(entry.path) if link else entry.path
                    if real not in seen:  # a linked folder may lead back up: visit it once
                        seen.add(real)
                        walk(entry.path, f"{relative}/{entry.name}", link)
                elif not link or reader.inside(Path(entry.path)):
                    found.append(f"{relative}/{entry.name}")

    if folder.is_dir():
        walk(os.fspath(folder), reader.relative(folder), folder.is_symlink())
    return sorted(found)


def document_files(root: Path) -> list[tuple[Path, Kind]]:
    """Every YAML document of the repository with its kind, in a stable order."""
    claims_dir = root / CLAIMS_DIR
    found = [
        (claims_dir / name, kind)
        for name, kind in (("dataset.yaml", Kind.DATASET), ("topics.yaml", Kind.TOPICS))
        if (claims_dir / name).is_file()
    ]
    found += [(path, Kind.SOURCE) for path in sorted((claims_dir / "sources").glob("*.yaml"))]
    records = claims_dir / "records"
    found += [
        (path, Kind.CLAIM)
        for path in sorted(records.rglob("*.yaml"))
        if not any(part.startswith(".") for part in path.relative_to(records).parts)
    ]
    return [(path, kind) for path, kind in found if path.resolve().is_relative_to(root.resolve())]


def record_path(root: Path, claim_id: str) -> Path | None:
    """The file of claim `claim_id`, in whichever sub-folder of records/ it is."""
    records = root / CLAIMS_DIR / "records"
    return next(iter(sorted(records.rglob(f"{claim_id}.yaml"))), None) if records.is_dir() else None
