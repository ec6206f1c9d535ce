"""Contributing by pull request: adding sources and claims, checking only what a branch
changes, the CI workflows and the pre-commit hooks, tried the way a new contributor would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import (
    PROJECT,
    RECEIVED,
    RECORDS_2024,
    Run,
    add_received_source,
    git,
)

BIN = Path(sys.executable).parent


def _break_quote(root: Path) -> None:
    path = root / RECORDS_2024 / "cafe-talks-continue-2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("talks would continue", "talks will continue"))


def test_a_new_contributor_adds_a_source_and_a_claim_end_to_end(
    branch: Path, tmp_path: Path, claims: Run
) -> None:
    """The CONTRIBUTING.md path, run: add-source, locate, new, fill in, validate, fmt, diff."""
    received = tmp_path / "statement.txt"
    received.write_bytes(RECEIVED)
    added = add_received_source(claims, branch, received)
    assert added.returncode == 0, added.stderr
    located = claims("locate", "--root", branch, "mfa-2024-05", "Claus Petrov said")
    start = RECEIVED.decode().index("\u0421laus Petrov said")
    assert located.stdout.split() == [str(start), str(start + len("Claus Petrov said"))]
    assert "U+0421" in located.stderr  # the look-alike letter is named
    new = claims(
        "new",
        "--root",
        branch,
        "--source",
        "mfa-2024-05",
        "--quote",
        "18 people are political prisoners",
        "--id",
        "eighteen-political-prisoners-2024",
        "--folder",
        "2024",
    )
    assert new.returncode == 0, new.stderr
    assert "still to fill in" in new.stderr
    record = branch / RECORDS_2024 / "eighteen-political-prisoners-2024.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data |= {
        "claim": "Eighteen people are political prisoners in the country.",
        "claimant": {"kind": "person", "name": "Claus Petrov", "role": "minister"},
        "claim_date": "2024-05-05",
        "topics": ["political-prisoners"],
    }
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert claims("validate", "--root", branch, "--strict").returncode == 0
    formatted = claims("fmt", "--root", branch)
    assert (
        formatted.stdout == f"reformatted {RECORDS_2024}/eighteen-political-prisoners-2024.yaml\n"
    )
    assert claims("fmt", "--check", "--root", branch).returncode == 0
    git(branch, "add", "--all")
    git(branch, "commit", "--quiet", "-m", "Add a claim from the ministry's statement")
    changed = claims("validate", "--root", branch, "--changed-since", "main")
    assert changed.returncode == 0
    assert changed.stdout == "3 files checked: 0 errors, 0 warnings\n"
    summary = claims("diff", "--root", branch, "main", "HEAD", "--format", "markdown").stdout
    assert "| added | `eighteen-political-prisoners-2024` | Eighteen people are political" in (
        summary
    )


# CI and hooks ----------------------------------------------------------------------------------


WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))


def test_the_workflows_pass_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert [w.name for w in WORKFLOWS] == ["release.yml", "validate.yml"]


def _steps(workflow: str) -> list[str]:
    document = yaml.safe_load((PROJECT / ".github" / "workflows" / workflow).read_text())
    return [step.get("run", "") for job in document["jobs"].values() for step in job["steps"]]


def test_the_pull_request_workflow_validates_formats_tests_and_summarises() -> None:
    steps = "\n".join(_steps("validate.yml"))
    for command in (
        "claims validate --format github --changed-since",
        "claims fmt --check",
        ".venv/bin/pytest",
        'claims diff "$BASE" . --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ):
        assert command in steps
    assert ".ci/run" not in steps


def test_the_release_workflow_builds_and_publishes_on_a_version_tag() -> None:
    document = yaml.safe_load((PROJECT / ".github" / "workflows" / "release.yml").read_text())
    assert document[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as true
    steps = "\n".join(_steps("release.yml"))
    assert "claims build" in steps
    assert 'claims publish "$FOLDER" --repo-id "$HF_REPO_ID"' in steps
    assert "secrets.HF_TOKEN" in (PROJECT / ".github" / "workflows" / "release.yml").read_text()


def test_the_hook_definitions_and_the_own_config_are_valid() -> None:
    for command, path in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [BIN / "pre-commit", command, PROJECT / path],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_published_hooks_run_in_another_claims_repository(branch: Path, tmp_path: Path) -> None:
    """`pre-commit try-repo` installs this project as the hooks' environment (from a clone of
    it, with uncommitted changes) and runs both hooks on a repository with one broken record and
    one record out of canonical form."""
    _break_quote(branch)
    record = branch / RECORDS_2024 / "death-penalty-abolished-2024.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("topics: [death-penalty]", "topics:\n  - death-penalty"))
    git(branch, "add", "--all")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        [BIN / "pre-commit", "try-repo", PROJECT, "--all-files"],
        cwd=branch,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "claims validate" in output and "claims fmt" in output
    assert f"{RECORDS_2024}/cafe-talks-continue-2024.yaml:" in output and "A002" in output
    assert f"reformatted {RECORDS_2024}/death-penalty-abolished-2024.yaml" in output
    assert "topics: [death-penalty]" in record.read_text(encoding="utf-8")
