"""`validate --changed-since`: the files a branch changed and the records that mention them,
with exactly the problems a full run finds there."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import (
    RECORDS_2024,
    Ran,
    Run,
    copy_claim,
    git,
)


def _problems(result: Ran) -> list[tuple[str, str]]:
    return [(p["file"], p["code"]) for p in json.loads(result.stdout)]


def _break_quote(root: Path) -> None:
    path = root / RECORDS_2024 / "cafe-talks-continue-2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("talks would continue", "talks will continue"))


def test_a_branch_that_adds_one_claim_and_breaks_another_is_reported_as_exactly_that(
    branch: Path, claims: Run
) -> None:
    copy_claim(branch, "death-penalty-repeated-2024")
    _break_quote(branch)
    git(branch, "add", "--all")
    git(branch, "commit", "--quiet", "-m", "Add one claim, break another")

    changed = claims("validate", "--root", branch, "--changed-since", "main", "--format", "json")
    assert changed.returncode == 1
    assert _problems(changed) == [(f"{RECORDS_2024}/cafe-talks-continue-2024.yaml", "A002")]
    assert changed.stderr == "2 files checked: 1 error, 0 warnings\n"
    # The same as a full run reports on those two files.
    paths = [
        RECORDS_2024 / "cafe-talks-continue-2024.yaml",
        RECORDS_2024 / "death-penalty-repeated-2024.yaml",
    ]
    full = claims("validate", "--root", branch, "--format", "json", *(branch / p for p in paths))
    assert (changed.stdout, changed.stderr) == (full.stdout, full.stderr)

    diff = claims("diff", "--root", branch, "main", "HEAD", "--format", "json")
    report = json.loads(diff.stdout)
    assert report["added"] == ["death-penalty-repeated-2024"]
    assert report["removed"] == []
    [changed_claim] = report["changed"]
    assert changed_claim["id"] == "cafe-talks-continue-2024"
    assert {f["field"] for f in changed_claim["fields"]} == {"appearances"}


def test_changed_since_also_checks_the_records_that_quote_a_changed_source(
    branch: Path, claims: Run
) -> None:
    text = branch / "claims" / "sources" / "mini-report-2024.txt"
    text.write_bytes(text.read_bytes().replace(b"18 people", b"eighteen people"))
    result = claims("validate", "--root", branch, "--changed-since", "main", "--format", "json")
    full = claims("validate", "--root", branch, "--format", "json")
    assert result.stdout == full.stdout  # every problem of the change is in these files:
    assert {file for file, _ in _problems(result)} == {
        f"{RECORDS_2024}/death-penalty-abolished-2024.yaml",
        f"{RECORDS_2024}/no-political-prisoners-2024.yaml",
        "claims/sources/mini-report-2024.yaml",  # its sha256 no longer matches the text
    }


def test_a_changed_topic_list_checks_everything(branch: Path, claims: Run) -> None:
    topics = branch / "claims" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("death-penalty", "capital"))
    result = claims("validate", "--root", branch, "--changed-since", "main", "--format", "json")
    assert (f"{RECORDS_2024}/death-penalty-abolished-2024.yaml", "R004") in _problems(result)
    assert result.stderr == "10 files checked: 1 error, 0 warnings\n"


def test_changed_since_refuses_an_unknown_revision_and_paths_besides(
    branch: Path, claims: Run
) -> None:
    unknown = claims("validate", "--root", branch, "--changed-since", "no-such-branch")
    assert unknown.returncode == 2
    assert "cannot list the changes since 'no-such-branch'" in unknown.stderr
    both = claims("validate", "--root", branch, "--changed-since", "main", branch / "claims")
    assert both.returncode == 2
