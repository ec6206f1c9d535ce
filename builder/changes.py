"""Which files a change touches: `claims validate --changed-since REF`.

The files under claims/ that differ from a git revision (committed, staged, unstaged or new),
plus every record that mentions a changed claim or source by id, since a renamed, removed or
re-anchored target breaks the records pointing at it. A change to dataset.yaml or topics.yaml
concerns every record, so it selects the whole repository.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from builder import git
from builder.errors import UsageError
from builder.layout import CLAIMS, DATASET, RECORDS, SOURCES, TOPICS, Layout
from builder.selection import Selection

REPOSITORY_WIDE = frozenset({DATASET, TOPICS})


def changed_since(layout: Layout, revision: str) -> Selection:
    try:
        commit = git.commit_of(layout.root, revision)
    except UsageError as error:
        raise UsageError(f"cannot list the changes since {revision!r}: {error.message}") from error
    changed = set(git.changed_files(layout.root, commit, CLAIMS))
    if changed & REPOSITORY_WIDE:
        return Selection(folders=frozenset({f"{CLAIMS}/"}))
    ids = sorted({PurePosixPath(path).stem for path in changed if _is_record_or_source(path)})
    mentioning = git.files_mentioning(layout.root, ids, RECORDS)
    # A source is its two files: a changed text is checked against its metadata, and back.
    pairs = {
        f"{SOURCES}/{PurePosixPath(path).stem}{suffix}"
        for path in changed
        if path.startswith(f"{SOURCES}/")
        for suffix in (".txt", ".yaml")
    }
    present = {path for path in changed | pairs | set(mentioning) if layout.path(path).is_file()}
    return Selection(files=frozenset(present))


def _is_record_or_source(path: str) -> bool:
    return path.startswith((f"{RECORDS}/", f"{SOURCES}/"))
