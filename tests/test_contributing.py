"""Contributing by pull request: adding sources and claims, checking only what a branch
changes, the CI workflows and the pre-commit hooks, tried the way a new contributor would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import CASES, PROJECT, Run, git

MINI = CASES / "dataset"
RECORDS = Path("claims") / "records" / "2024"
BIN = Path(sys.executable).parent

# A text as received: CRLF line ends, a no-break space, a Cyrillic look-alike, an emoji and a
# decomposed accent. add-source must keep every byte.
RECEIVED = (
    "Statement, 5\u00a0May 2024\r\n"
    "The minister \u0421laus Petrov said the Cafe\u0301 talks had failed 👎.\r\n"
    "He said that 18 people are political prisoners.\r\n"
).encode()


@pytest.fixture
def branch(history: Path, tmp_path: Path) -> Path:
    """A clone of a claims repository, on a branch off main, as a contributor has it."""
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "--quiet", str(history), str(fork))
    git(fork, "switch", "--quiet", "-c", "new-claims")
    return fork


def _add_source(claims: Run, root: Path, text: Path) -> subprocess.CompletedProcess[str]:
    """`claims add-source` for the received statement, with its metadata."""
    return claims(
        "add-source", text, "--root", root, "--id", "mfa-2024-05", "--title",
        "Statement of 5 May 2024", "--publisher", "Ministry", "--published", "2024-05-05",
        "--language", "en",
    )  # fmt: skip


def _problems(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return [(p["file"], p["code"]) for p in json.loads(result.stdout)]


def _add_claim(root: Path, claim_id: str) -> None:
    text = (root / RECORDS / "death-penalty-abolished-2024.yaml").read_text(encoding="utf-8")
    new = text.replace("id: death-penalty-abolished-2024", f"id: {claim_id}")
    (root / RECORDS / f"{claim_id}.yaml").write_text(new, encoding="utf-8")


def _break_quote(root: Path) -> None:
    path = root / RECORDS / "cafe-talks-continue-2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("talks would continue", "talks will continue"))


def test_a_branch_that_adds_one_claim_and_breaks_another_is_reported_as_exactly_that(
    branch: Path, claims: Run
) -> None:
    _add_claim(branch, "death-penalty-repeated-2024")
    _break_quote(branch)
    git(branch, "add", "--all")
    git(branch, "commit", "--quiet", "-m", "Add one claim, break another")

    changed = claims("validate", "--root", branch, "--changed-since", "main", "--format", "json")
    assert changed.returncode == 1
    assert _problems(changed) == [(f"{RECORDS}/cafe-talks-continue-2024.yaml", "A002")]
    assert changed.stderr == "2 files checked: 1 error, 0 warnings\n"
    # The same as a full run reports on those two files.
    paths = [
        RECORDS / "cafe-talks-continue-2024.yaml",
        RECORDS / "death-penalty-repeated-2024.yaml",
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
        f"{RECORDS}/death-penalty-abolished-2024.yaml",
        f"{RECORDS}/no-political-prisoners-2024.yaml",
        "claims/sources/mini-report-2024.yaml",  # its sha256 no longer matches the text
    }


def test_a_changed_topic_list_checks_everything(branch: Path, claims: Run) -> None:
    topics = branch / "claims" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("death-penalty", "capital"))
    result = claims("validate", "--root", branch, "--changed-since", "main", "--format", "json")
    assert (f"{RECORDS}/death-penalty-abolished-2024.yaml", "R004") in _problems(result)
    assert result.stderr == "10 files checked: 1 error, 0 warnings\n"


def test_changed_since_refuses_an_unknown_revision_and_paths_besides(
    branch: Path, claims: Run
) -> None:
    unknown = claims("validate", "--root", branch, "--changed-since", "no-such-branch")
    assert unknown.returncode == 2
    assert "cannot list the changes since 'no-such-branch'" in unknown.stderr
    both = claims("validate", "--root", branch, "--changed-since", "main", branch / "claims")
    assert both.returncode == 2


def test_add_source_keeps_every_byte_and_pins_it(
    bare_repo: Path, tmp_path: Path, claims: Run
) -> None:
    received = tmp_path / "statement.txt"
    received.write_bytes(RECEIVED)
    result = _add_source(claims, bare_repo, received)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "claims/sources/mfa-2024-05.txt",
        "claims/sources/mfa-2024-05.yaml",
    ]
    assert result.stderr == ""  # nothing left to fill in
    sources = bare_repo / "claims" / "sources"
    assert (sources / "mfa-2024-05.txt").read_bytes() == RECEIVED
    metadata = yaml.safe_load((sources / "mfa-2024-05.yaml").read_text(encoding="utf-8"))
    assert metadata["sha256"] == hashlib.sha256(RECEIVED).hexdigest()
    again = claims("add-source", received, "--root", bare_repo, "--id", "mfa-2024-05")
    assert again.returncode == 2
    assert "already exists and is never overwritten" in again.stderr
    assert (sources / "mfa-2024-05.txt").read_bytes() == RECEIVED


@pytest.mark.parametrize(
    "case",
    [
        ("caf\xe9".encode("latin-1"), "latin-2024", "is not UTF-8 (byte 3 is 0xe9)"),
        (b"  \n", "blank-2024", "is empty"),
        (b"text", "Not_A_Slug", "is not a source id"),
    ],
    ids=["not-utf8", "empty", "bad-id"],
)
def test_add_source_refuses_what_it_cannot_keep_and_writes_nothing(
    bare_repo: Path, tmp_path: Path, claims: Run, case: tuple[bytes, str, str]
) -> None:
    content, source_id, message = case
    received = tmp_path / "received.txt"
    received.write_bytes(content)
    before = sorted((bare_repo / "claims" / "sources").iterdir())
    result = claims("add-source", received, "--root", bare_repo, "--id", source_id)
    assert result.returncode == 2
    assert message in result.stderr
    assert sorted((bare_repo / "claims" / "sources").iterdir()) == before


def test_a_new_contributor_adds_a_source_and_a_claim_end_to_end(
    branch: Path, tmp_path: Path, claims: Run
) -> None:
    """The CONTRIBUTING.md path, run: add-source, locate, new, fill in, validate, fmt, diff."""
    received = tmp_path / "statement.txt"
    received.write_bytes(RECEIVED)
    added = _add_source(claims, branch, received)
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
    record = branch / RECORDS / "eighteen-political-prisoners-2024.yaml"
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
    assert formatted.stdout == f"reformatted {RECORDS}/eighteen-political-prisoners-2024.yaml\n"
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


def test_the_published_hooks_run_in_another_claims_repository(branch: Path, tmp_path: Path) -> None:
    """`pre-commit try-repo` installs this project as the hooks' environment (from a clone of
    it, with uncommitted changes) and runs both hooks on a repository with one broken record and
    one record out of canonical form."""
    _break_quote(branch)
    record = branch / RECORDS / "death-penalty-abolished-2024.yaml"
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
    assert f"{RECORDS}/cafe-talks-continue-2024.yaml:" in output and "A002" in output
    assert f"reformatted {RECORDS}/death-penalty-abolished-2024.yaml" in output
    assert "topics: [death-penalty]" in record.read_text(encoding="utf-8")
