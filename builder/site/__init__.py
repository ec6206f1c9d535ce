"""The static review site: every claim in its source, every source with its spans, and the
changes since a revision, as plain HTML, CSS and a little JavaScript.

No server, network or CDN: the folder works opened from disk (`file://`), on GitHub Pages and in
a static Hugging Face Space. The same repository always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from builder.diff import Diff
from builder.model import Repository
from builder.site.pages import changes_page, claim_page, index_page, site_title, source_page
from builder.writing import atomic_folder

ASSETS = ("site.css", "site.js")
CHANGES = "changes.html"
# The file every site holds: a folder with it is a site this tool wrote, and may be replaced.
MARKER = ".claims-site"


def write_site(
    repository: Repository,
    target: Path,
    state: Path,
    changes: tuple[str, Diff] | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> Path:
    """Write the site into `target` (replaced whole, once complete, and only if it is empty or
    an earlier site), holding the lock in `state`; with `changes`, a revision and the diff
    since it, also the page of changes."""
    title, version = site_title(repository.dataset)
    by_id = {claim.id: claim for claim in repository.claims}
    with atomic_folder(target, MARKER, state, say) as folder:
        (folder / MARKER).write_bytes(
            b"A review site written by claims: `claims site` replaces it.\n"
        )
        (folder / "claims").mkdir()
        (folder / "sources").mkdir()
        assets = resources.files("builder.site") / "assets"
        for name in ASSETS:
            (folder / name).write_bytes(assets.joinpath(name).read_bytes())
        _write(folder / "index.html", index_page(repository, title, version))
        for claim in repository.claims:
            _write(folder / "claims" / f"{claim.id}.html", claim_page(claim, repository, by_id))
        for source in repository.sources.values():
            _write(folder / "sources" / f"{source.id}.html", source_page(source, repository))
        if changes is not None:
            revision, result = changes
            _write(folder / CHANGES, changes_page(result, revision, repository))
    return target


def _write(path: Path, html: str) -> None:
    path.write_bytes(html.encode("utf-8"))
