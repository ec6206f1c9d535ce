"""`claims diff` and `claims release`: what changed between versions, and the release it needs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from builder import changelog
from builder.loader import load_file
from tests.conftest import CASES, Run, git

MINI = CASES / "dataset"
RECORDS = Path("claims") / "records" / "2024"


def _released(root: Path, claims: Run, *args: str) -> subprocess.CompletedProcess[str]:
    result = claims("release", "--root", root, "--date", "2026-11-22", *args)
    if result.returncode == 0:
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "Release")
    return result


def _version(root: Path) -> str:
    document = load_file(root / "claims" / "dataset.yaml", "claims/dataset.yaml")
    return str(document.data["version"])  # type: ignore[union-attr]


def _edit(root: Path, claim_id: str, old: str, new: str) -> None:
    path = root / RECORDS / f"{claim_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _add_claim(root: Path, claim_id: str) -> None:
    source = root / RECORDS / "death-penalty-abolished-2024.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "id: death-penalty-abolished-2024", f"id: {claim_id}"
    )
    (root / RECORDS / f"{claim_id}.yaml").write_text(text, encoding="utf-8")


def test_the_first_release_keeps_the_version_and_starts_the_changelog(
    history: Path, claims: Run
) -> None:
    result = _released(history, claims)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "version 1.2.3 (first release)\n"
    changelog = (history / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.2.3] - 2026-11-22" in changelog
    assert "4 claims quoting 2 sources, 3 of them reviewed" in changelog
    assert _version(history) == "1.2.3"


def test_nothing_changed_means_nothing_to_release(history: Path, claims: Run) -> None:
    _released(history, claims)
    result = _released(history, claims)
    assert result.returncode == 1
    assert "no claim changed since 1.2.3" in result.stderr


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
    _released(history, claims)
    if change == "correct":
        _edit(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
    elif change == "add":
        _add_claim(history, "death-penalty-abolished-again-2024")
    else:
        (history / RECORDS / "cafe-talks-continue-2024.yaml").unlink()
    result = _released(history, claims)
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
    _released(history, claims)
    _add_claim(history, "death-penalty-abolished-again-2024")
    refused = claims("release", "--root", history, "--bump", "patch")
    assert refused.returncode == 2
    assert "use --bump minor or higher" in refused.stderr
    assert _version(history) == "1.2.3"
    taken = _released(history, claims, "--bump", "major")
    assert taken.returncode == 0, taken.stderr
    assert _version(history) == "2.0.0"


def test_changing_a_split_weight_moves_claims_and_is_a_major_release(
    history: Path, claims: Run
) -> None:
    _released(history, claims)
    path = history / "claims" / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("test: 1", "test: 9"))
    result = claims("diff", "--root", history, "HEAD", str(history), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["bump"] == "major"
    assert report["changed"] == [
        {
            "id": "death-penalty-abolished-2024",
            "fields": [{"field": "split", "old": "train", "new": "test"}],
        }
    ]


def test_a_hand_edited_version_is_refused(history: Path, claims: Run) -> None:
    _released(history, claims)
    path = history / "claims" / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.2.3", "1.2.9"))
    result = claims("release", "--root", history)
    assert result.returncode == 1
    assert "says version 1.2.9, but the last release in CHANGELOG.md is 1.2.3" in result.stderr


def test_release_keeps_the_rest_of_dataset_yaml_as_written(history: Path, claims: Run) -> None:
    path = history / "claims" / "dataset.yaml"
    before = path.read_text(encoding="utf-8")
    _released(history, claims)
    _edit(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Awaiting review.")
    _released(history, claims)
    assert path.read_text(encoding="utf-8") == before.replace("1.2.3", "1.2.4")


def test_diff_of_two_builds_field_by_field_in_three_formats(
    history: Path, tmp_path: Path, claims: Run
) -> None:
    old = claims("build", "--root", history, "--out", tmp_path / "old")
    _edit(history, "no-political-prisoners-2024", "verdict: refuted", "verdict: conflicting")
    _add_claim(history, "death-penalty-abolished-again-2024")
    (history / RECORDS / "cafe-talks-continue-2024.yaml").unlink()
    new = claims("build", "--root", history, "--out", tmp_path / "new")
    old_dir, new_dir = old.stdout.strip(), new.stdout.strip()

    text = claims("diff", old_dir, new_dir)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == [
        "+ death-penalty-abolished-again-2024",
        "- cafe-talks-continue-2024",
        "~ no-political-prisoners-2024",
        '    verdict: "refuted" -> "conflicting"',
        "1 added, 1 removed, 1 changed (a major release)",
    ]
    report = json.loads(claims("diff", old_dir, new_dir, "--format", "json").stdout)
    assert report["changed"] == [
        {
            "id": "no-political-prisoners-2024",
            "fields": [{"field": "verdict", "old": "refuted", "new": "conflicting"}],
        }
    ]
    markdown = claims("diff", old_dir, new_dir, "--format", "markdown").stdout
    assert markdown.splitlines() == [
        "### Dataset changes: 1 added, 1 removed, 1 changed (a major release)",
        "",
        "| change | claim | fields |",
        "|---|---|---|",
        "| added | `death-penalty-abolished-again-2024` | "
        "The death penalty was abolished in 2021. |",
        "| removed | `cafe-talks-continue-2024` | The Café Europa talks will continue. |",
        '| changed | `no-political-prisoners-2024` | verdict "refuted" → "conflicting" |',
        "",
        "#### Verdicts",
        "",
        "| claim | before | after |",
        "|---|---|---|",
        "| `death-penalty-abolished-again-2024` | not reviewed | supported |",
        "| `no-political-prisoners-2024` | refuted | conflicting |",
    ]


def test_a_build_and_its_own_git_revision_do_not_differ(
    history: Path, tmp_path: Path, claims: Run
) -> None:
    built = claims("build", "--root", history, "--out", tmp_path).stdout.strip()
    result = claims("diff", "--root", history, "HEAD", built)
    assert result.stdout == "0 added, 0 removed, 0 changed\n"


def test_an_unknown_revision_is_a_usage_error(history: Path, claims: Run) -> None:
    result = claims("diff", "--root", history, "no-such-revision", "HEAD")
    assert result.returncode == 2
    assert "neither a built dataset folder, a claims repository, nor a git revision" in (
        result.stderr
    )
