"""Finding and reading a claims repository: which files there are, and what each one holds.

Every file under `claims/` is either read or reported, so that nothing a contributor wrote is
silently ignored (a record saved as `.yml` is an error, not a claim that quietly disappears).
Files are opened only at paths the tool listed itself, and a file whose real path leaves the
repository through a symlink is refused.
"""

from __future__ import annotations

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
        return path.relative_to(self.root).as_posix()

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
        self.files.append(self.relative(path))
        loaded: Loaded = load_file(path, self.relative(path))
        if isinstance(loaded, ParseFailure):
            self.problems.extend(loaded.problems)
            return None
        problems = list(schema_problems(loaded, kind))
        self.problems.extend(problems)
        return None if problems else loaded

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


def read_repository(root: Path, only: Selection | None = None) -> ReadResult:
    """Read the repository at `root`; problems are collected, never raised.

    With `only`, read just the selected records and sources and what checking them needs: the
    metadata, the topics, the sources the selected records quote, and the names of all other
    files (for unique ids and references). Checking that much gives, for the selected files,
    the problems a full read gives, at the cost of the selection rather than the repository.
    """
    claims_dir = require_repository(root)
    reader = _Reader(root, root.resolve())
    dataset = _read_dataset(reader, claims_dir / "dataset.yaml")
    topics = _read_topics(reader, claims_dir / "topics.yaml")
    claims, claim_files, unread = _read_claims(reader, claims_dir / "records", only)
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
    reader: _Reader, folder: Path, only: Selection | None
) -> tuple[tuple[Claim, ...], set[str], dict[str, tuple[str, ...]]]:
    """The claims read (all, or those in `only`), the stems of every record file, and the
    paths of the record files not read, by stem."""
    claims: list[Claim] = []
    stems: set[str] = set()
    unread: dict[str, list[str]] = defaultdict(list)
    for path in _files(reader, folder):
        if path.suffix != ".yaml":
            hint = "rename it to .yaml" if path.suffix == ".yml" else "move it out of records/"
            reader.report(path, "L012", f"records/ holds one claim per .yaml file; {hint}")
            continue
        stems.add(path.stem)
        if only is not None and not only.includes(reader.relative(path)):
            unread[path.stem].append(reader.relative(path))
            continue
        document = reader.document(path, Kind.CLAIM)
        if document is not None:
            claims.append(Claim.from_document(document))
    return tuple(claims), stems, {stem: tuple(paths) for stem, paths in unread.items()}


def _files(reader: _Reader, folder: Path) -> Iterator[Path]:
    """Regular files below `folder` in a stable order, skipping hidden ones (.gitkeep, ...)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_dir():
            continue
        if reader.inside(path):
            yield path


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
