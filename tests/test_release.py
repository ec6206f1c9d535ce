"""`claims release`: the version bump the changes call for, and its changelog entry."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from builder import changelog
from builder.loader import load_file
from tests.conftest import (
    RECORDS_2024,
    Run,
    copy_claim,
    edit_record,
    git,
    released,
)


def _version(root: Path) -> str:
    document = load_file(root / "claims" / "dataset.yaml", "claims/dataset.yaml")
    return str(document.data["version"])  # type: ignore[union-attr]


def test_the_first_release_keeps_the_version_and_starts_the_changelog(
    history: Path, claims: Run
) -> None:
    result = released(history, claims)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "version 1.2.3 (first release)\n"
    changelog = (history / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.2.3] - 2026-11-22" in changelog
    assert "4 claims quoting 2 sources, 3 of them reviewed" in changelog
    assert _version(history) == "1.2.3"


def test_nothing_changed_means_nothing_to_release(history: Path, claims: Run) -> None:
    released(history, claims)
    result = released(history, claims)
    assert result.returncode == 1
    assert "nothing changed since 1.2.3" in result.stderr


@pytest.mark.parametrize(
    ("change", "bump", "version"),
    [
        ("correct", "patch", "1.2.4"),
        ("add", "minor", "1.3.0"),
        ("remove", "major", "2.0.0"),
    ],
)
def test_the_bump_follows_from_what_changed(
    history: Path, claims: Run, change: str, bump: str, version: str
) -> None:
    released(history, claims)
    if change == "correct":
        edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
    elif change == "add":
        copy_claim(history, "death-penalty-abolished-again-2024")
    else:
        (history / RECORDS_2024 / "cafe-talks-continue-2024.yaml").unlink()
    result = released(history, claims)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"version {version} ({bump} release after 1.2.3)\n"
    assert _version(history) == version
    entry = changelog.read(history / "CHANGELOG.md")[0]
    assert (entry.version, entry.date) == (version, "2026-11-22")
    expected = {"correct": "### Changed", "add": "### Added", "remove": "### Removed"}[change]
    assert entry.body.startswith(expected)


def test_a_smaller_bump_than_the_changes_need_is_refused_a_larger_one_taken(
    history: Path, claims: Run
) -> None:
    released(history, claims)
    copy_claim(history, "death-penalty-abolished-again-2024")
    refused = claims("release", "--root", history, "--bump", "patch", "--no-commit")
    assert refused.returncode == 2
    assert "use --bump minor or higher" in refused.stderr
    assert _version(history) == "1.2.3"
    taken = released(history, claims, "--bump", "major")
    assert taken.returncode == 0, taken.stderr
    assert _version(history) == "2.0.0"


def test_a_hand_edited_version_is_refused(history: Path, claims: Run) -> None:
    released(history, claims)
    path = history / "claims" / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.2.3", "1.2.9"))
    result = claims("release", "--root", history)
    assert result.returncode == 1
    assert "says version 1.2.9, but the last release in CHANGELOG.md is 1.2.3" in result.stderr


def test_release_keeps_the_rest_of_dataset_yaml_as_written(history: Path, claims: Run) -> None:
    path = history / "claims" / "dataset.yaml"
    before = path.read_text(encoding="utf-8")
    released(history, claims)
    edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
    released(history, claims)
    assert path.read_text(encoding="utf-8") == before.replace("1.2.3", "1.2.4")


def test_a_changed_source_title_is_a_patch_release_committed_tagged_built_and_published(
    history: Path, claims: Run, tmp_path: Path
) -> None:
    released(history, claims)
    target = tmp_path / "published.git"
    first = claims("build", "--root", history, "--out", tmp_path / "dist")
    assert claims("publish", first.stdout.strip(), "--git", target, "--init").returncode == 0
    metadata = history / "claims" / "sources" / "mini-report-2024.yaml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Rights report", "Report"))
    shown = claims("diff", "--root", history, "HEAD", str(history))
    assert shown.stdout.splitlines() == [
        "~ source mini-report-2024",
        '    title: "Rights report 2024" -> "Report 2024"',
        "0 added, 0 removed, 0 changed, 1 source changed (a patch release)",
    ]
    made = released(history, claims)
    assert made.stdout == "version 1.2.4 (patch release after 1.2.3)\n", made.stderr
    assert git(history, "status", "--porcelain") == ""
    assert git(history, "cat-file", "-t", "v1.2.4") == "tag"
    assert git(history, "describe", "--exact-match", "HEAD") == "v1.2.4"
    entry = changelog.read(history / "CHANGELOG.md")[0]
    assert "- Source `mini-report-2024`: title" in entry.body
    built = claims("build", "--root", history, "--out", tmp_path / "dist")
    assert built.returncode == 0, built.stderr
    assert claims("publish", built.stdout.strip(), "--git", target).returncode == 0
    assert git(target, "tag", "--list").splitlines() == ["v1.2.3", "v1.2.4"]


@pytest.mark.parametrize(
    ("change", "bump"),
    [
        ("verdict", "minor"),
        ("source added", "minor"),
        ("source removed", "major"),
        ("metadata", "patch"),
        ("labelled weights", "major"),
    ],
)
def test_the_bump_rules_for_sources_verdicts_and_metadata(
    history: Path, claims: Run, change: str, bump: str
) -> None:
    released(history, claims)
    sources = history / "claims" / "sources"
    if change == "verdict":
        edit_record(
            history, "no-political-prisoners-2024", "verdict: refuted", "verdict: conflicting"
        )
    elif change == "source added":
        for suffix in (".txt", ".yaml"):
            text = (sources / f"mini-report-2024{suffix}").read_text(encoding="utf-8")
            (sources / f"copy-2024{suffix}").write_text(text.replace("id: mini-report", "id: copy"))
    elif change == "source removed":
        for path in sources.glob("mini-report-2024.*"):
            path.rename(sources / f"renamed-2024{path.suffix}")
        for record in (history / "claims" / "records").rglob("*.yaml"):
            record.write_text(record.read_text(encoding="utf-8").replace("mini-report", "renamed"))
        metadata = sources / "renamed-2024.yaml"
        metadata.write_text(metadata.read_text(encoding="utf-8").replace("mini-report", "renamed"))
    else:
        dataset = history / "claims" / "dataset.yaml"
        old, new = (
            ("description: A fixed", "description: The fixed")
            if change == "metadata"
            else (
                "labelled_splits:\n  train: 2\n  test: 1",
                "labelled_splits:\n  train: 1\n  test: 9",
            )
        )
        dataset.write_text(dataset.read_text(encoding="utf-8").replace(old, new))
    result = claims("diff", "--root", history, "HEAD", str(history), "--format", "json")
    assert json.loads(result.stdout)["bump"] == bump, result.stdout + result.stderr
    made = released(history, claims)
    assert made.returncode == 0, made.stderr
    body = changelog.read(history / "CHANGELOG.md")[0].body
    if change == "verdict":
        assert "### Verdicts changed" in body
        # the reason, as the record's rationale gives it
        assert "refuted → conflicting. A rights report lists 18 political prisoners." in body
    if change == "source added":
        assert "- Source `copy-2024`: Rights report 2024" in body


FORGED = "x\n## [9.9.9] - 2030-01-01"


def test_text_from_the_data_forges_no_release_heading_in_the_changelog(
    history: Path, claims: Run
) -> None:
    released(history, claims)
    # A new source whose title, publisher and rights end lines with a release heading.
    sources = history / "claims" / "sources"
    text = (sources / "mini-report-2024.yaml").read_text(encoding="utf-8")
    for field in ("title", "publisher", "rights"):
        text = re.sub(rf"(?m)^{field}: .*$", lambda _, f=field: f"{f}: {json.dumps(FORGED)}", text)
    (sources / "forged-2024.yaml").write_text(
        text.replace("id: mini-report-2024", "id: forged-2024"), encoding="utf-8"
    )
    shutil.copy(sources / "mini-report-2024.txt", sources / "forged-2024.txt")
    edit_record(
        history,
        "cafe-talks-continue-2024",
        "claim: The Café Europa talks will continue.",
        'claim: "## [9.9.8] - 2030-01-01 [the talks](https://evil.example) <b>continue</b>."',
    )
    result = released(history, claims)
    assert result.returncode == 0, result.stderr
    text = (history / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = changelog.parse(text)
    assert [e.version for e in entries] == ["1.3.0", "1.2.3"]
    assert len(re.findall(r"(?m)^## ", text)) == 2
    assert "## [9.9" not in text and "[the talks](" not in text and "<b>" not in text
    assert "Source `forged-2024`: x \\#\\# \\[9.9.9\\] - 2030-01-01; x \\#\\# " in entries[0].body
    assert "\\<b\\>continue\\</b\\>" in entries[0].body
    # The next release still finds this one's commit by its heading.
    edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
    result = released(history, claims)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "version 1.3.1 (patch release after 1.3.0)\n"
    entries = changelog.read(history / "CHANGELOG.md")
    assert [e.version for e in entries] == ["1.3.1", "1.3.0", "1.2.3"]


def test_an_entry_adds_exactly_one_release_heading_whatever_its_body() -> None:
    body = "- a\n## [9.9.9] - 2030-01-01\r## [8.8.8] - 2030-01-02\r\n## [7.7.7] - 2030-01-03 \n"
    text = changelog.add_entry(None, changelog.Entry("1.0.0", "2024-01-01", body))
    text = changelog.add_entry(text, changelog.Entry("1.1.0", "2024-02-01", "- b"))
    assert [(e.version, e.date) for e in changelog.parse(text)] == [
        ("1.1.0", "2024-02-01"),
        ("1.0.0", "2024-01-01"),
    ]
    assert "\r" not in text and len(re.findall(r"(?m)^## \[", text)) == 2
    assert "\\#\\# \\[9.9.9] - 2030-01-01\n\\#\\# \\[8.8.8] - 2030-01-02\n" in text


def _state(root: Path) -> tuple[object, ...]:
    """What a refused release must leave as it found: the files, the index, HEAD and the refs."""
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }
    return (
        files,
        git(root, "ls-files", "--stage"),
        git(root, "rev-parse", "HEAD"),
        git(root, "for-each-ref"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
    )


@pytest.mark.parametrize("first", [True, False], ids=["first release", "next release"])
def test_a_version_whose_tag_exists_is_refused_before_anything_is_written(
    history: Path, claims: Run, first: bool
) -> None:
    """The tag is checked before dataset.yaml and CHANGELOG.md are written or committed: a
    release refused there leaves the repository exactly as it was, and goes through once the
    tag is gone."""
    version = "1.2.3"
    if not first:
        released(history, claims)
        edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
        git(history, "commit", "--quiet", "--all", "-m", "Changes")
        version = "1.2.4"
    # The version was tagged on another line of history, say by a release from another clone.
    git(history, "tag", f"v{version}", "HEAD")
    before = _state(history)
    refused = claims("release", "--root", history, "--date", "2026-11-22")
    assert refused.returncode == 2
    assert f"the tag v{version} already exists in {history}" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert _state(history) == before
    git(history, "tag", "--delete", f"v{version}")
    made = claims("release", "--root", history, "--date", "2026-11-22")
    assert made.returncode == 0, made.stderr
    assert git(history, "describe", "--exact-match", "HEAD") == f"v{version}"


def test_the_last_release_is_read_as_committed_whatever_its_attributes_say(
    history: Path, claims: Run
) -> None:
    """The released state is read from git without attributes: a .gitattributes that hides
    the claims from `git archive` or rewrites them cannot make a correction look like a
    release of new claims."""
    (history / ".gitattributes").write_text("claims/** export-ignore\n* export-subst ident\n")
    edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Not $Format:%H$ $Id$")
    assert released(history, claims).returncode == 0
    edit_record(history, "talks-outcome-unknown-2024", "what the talks", "what the new talks")
    made = released(history, claims)
    assert made.stdout == "version 1.2.4 (patch release after 1.2.3)\n", made.stderr
    entry = changelog.read(history / "CHANGELOG.md")[0]
    assert "talks-outcome-unknown-2024" in entry.body
    assert "cafe-talks-continue-2024" not in entry.body
