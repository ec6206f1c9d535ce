"""`claims validate` end to end: every problem in one run, at its place, with the exit code
that says whether the data is valid."""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from builder.layout import Layout
from builder.problems import Problem
from builder.selection import Selection
from builder.validation import validate
from tests.conftest import CASES, Run

GOOD = CASES / "good" / "death-penalty-removed.yaml"


def test_validate_defaults_to_the_current_directory(repo: Path, claims: Run) -> None:
    result = claims("validate", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_problems_are_reported_in_one_run(bare_repo: Path, claims: Run) -> None:
    records = bare_repo / "claims" / "records"
    records.mkdir(exist_ok=True)
    text = GOOD.read_text(encoding="utf-8")
    (records / "a.yaml").write_text(
        text.replace("id: death-penalty-removed", "id: a").replace("end: 2111", "end: 2112"),
        encoding="utf-8",
    )
    (records / "b.yaml").write_text(
        text.replace("id: death-penalty-removed", "id: b").replace(
            "kind: organization", "kind: org"
        ),
        encoding="utf-8",
    )
    result = claims("validate", "--root", bare_repo)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "claims/records/a.yaml:11:12: A002 the quote differs from europarl-2022-08 at "
        "2050-2112, which reads 'the recent removal of death penalty was a welcome "
        "development,'; the quote occurs at 2050-2111: set start: 2050 and end: 2111",
        "claims/records/b.yaml:5:9: S006 'org' in `claimant.kind` is not allowed; did you mean "
        "`organization`? (one of: person, organization)",
        "14 files checked: 2 errors, 0 warnings",
    ]


def test_paths_restrict_the_report_not_the_checks(repo: Path, claims: Run) -> None:
    records = repo / "claims" / "records"
    records.mkdir(exist_ok=True)
    for name in ("a", "b"):
        text = GOOD.read_text(encoding="utf-8").replace("id: death-penalty-removed", f"id: {name}")
        (records / f"{name}.yaml").write_text(
            text.replace("death-penalty]", "torturre]"), encoding="utf-8"
        )
    result = claims("validate", "--format", "json", "claims/records/b.yaml", cwd=repo)
    assert result.returncode == 1
    assert [(p["file"], p["code"]) for p in json.loads(result.stdout)] == [
        ("claims/records/b.yaml", "R004")
    ]
    assert result.stderr == "1 file checked: 1 error, 0 warnings\n"


def test_strict_fails_on_warnings(repo: Path, claims: Run) -> None:
    records = repo / "claims" / "records"
    records.mkdir(exist_ok=True)
    text = GOOD.read_text(encoding="utf-8").replace("start: 2050", "start: 2051")
    (records / GOOD.name).write_text(
        text.replace("quote: the recent", "quote: he recent"), encoding="utf-8"
    )
    assert claims("validate", "--root", repo).returncode == 0
    strict = claims("validate", "--root", repo, "--strict", "--format", "github")
    assert strict.returncode == 1
    assert strict.stdout.startswith(
        "::warning file=claims/records/death-penalty-removed.yaml,line=9,col=12,title=A101::"
    )


def test_not_a_repository_is_a_usage_error(tmp_path: Path, claims: Run) -> None:
    result = claims("validate", "--root", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("claims: error: ") and "no claims/ folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_and_missing_path_are_usage_errors(repo: Path, claims: Run) -> None:
    assert claims("validate", "--format", "xml", cwd=repo).returncode == 2
    missing = claims("validate", "claims/records/nope.yaml", cwd=repo)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_a_partial_run_keeps_what_it_read_and_warnings_fail_only_when_strict(repo: Path) -> None:
    """`validate` with a selection still returns the repository it read (the records selected,
    with everything they need), and warnings alone are a success unless strict."""
    layout = Layout(repo)
    record = layout.list().records[0]
    result = validate(layout, only=Selection(files=frozenset([record])))
    assert [claim.origin.path for claim in result.repository.claims] == [record]
    warned = attrs.evolve(result, problems=(Problem(record, 1, 1, "A101", "a warning"),))
    assert (warned.warnings, warned.errors) == (1, 0)
    assert warned.success() and not warned.success(strict=True)
