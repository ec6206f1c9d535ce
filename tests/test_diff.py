"""`claims diff`: what changed between two builds, repositories or git revisions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import (
    RECORDS_2024,
    Run,
    copy_claim,
    edit_record,
    git,
    released,
)


def test_changing_a_split_weight_moves_claims_and_is_a_major_release(
    history: Path, claims: Run
) -> None:
    released(history, claims)
    path = history / "claims" / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("test: 1", "test: 9", 1))
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


def test_diff_of_two_builds_field_by_field_in_three_formats(
    history: Path, tmp_path: Path, claims: Run
) -> None:
    old = claims("build", "--root", history, "--out", tmp_path / "old")
    edit_record(history, "no-political-prisoners-2024", "verdict: refuted", "verdict: conflicting")
    copy_claim(history, "death-penalty-abolished-again-2024")
    (history / RECORDS_2024 / "cafe-talks-continue-2024.yaml").unlink()
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
        "| claim | before | after | rationale |",
        "|---|---|---|---|",
        "| `death-penalty-abolished-again-2024` | not reviewed | supported | "
        "The report confirms the 2021 law. |",
        "| `no-political-prisoners-2024` | refuted | conflicting | "
        "A rights report lists 18 political prisoners. |",
        "",
        "#### Quotes in their context",
        "",
        "- `death-penalty-abolished-again-2024` in `mini-statement-2024` at 143-182: …tical "
        "prisoners). He added that **the death penalty was abolished in 2021** and that the "
        "Cafe\u0301 Europa talks…",
        "",
        "#### Evidence added or removed",
        "",
        "- added to `death-penalty-abolished-again-2024`: supports, `mini-report-2024` at 80-139: "
        "…y consider political prisoners. **The law of 2021 abolished the death penalty for all "
        "crimes.** …",
        "- added to `death-penalty-abolished-again-2024`: context, `mini-statement-2024` at 3-30: "
        "…👍🏽 **Statement of 12 March 2024.** The minister \u0421laus Petrov said:…",
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


def test_the_review_summary_shows_a_romanian_quote_in_context_with_its_translation(
    branch: Path, claims: Run
) -> None:
    added = claims(
        "new", "--root", branch, "--source", "mini-statement-2024", "--quote",
        "nu există deținuți politici", "--language", "ro", "--translation",
        "there are no political prisoners", "--id", "no-prisoners-ro-2024", "--folder", "2024",
        "--claim", "There are no political prisoners.", "--claimant", "Claus Petrov", "--kind",
        "person", "--date", "2024-03-12", "--topic", "political-prisoners",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    git(branch, "add", "--all")
    git(branch, "commit", "--quiet", "-m", "A Romanian quote")
    summary = claims("diff", "--root", branch, "main", "HEAD", "--format", "markdown").stdout
    quotes = summary.split("#### Quotes in their context", 1)[1]
    assert "- `no-prisoners-ro-2024` in `mini-statement-2024` at " in quotes
    assert "said: «**nu există deținuți politici**» (there are" in quotes
    assert "(ro; in English: there are no political prisoners)" in quotes


def test_the_review_summary_of_a_branch_that_only_adds_a_source_shows_the_source(
    branch: Path, claims: Run
) -> None:
    sources = branch / "claims" / "sources"
    for suffix in (".txt", ".yaml"):
        text = (sources / f"mini-report-2024{suffix}").read_text(encoding="utf-8")
        (sources / f"new-report-2024{suffix}").write_text(text.replace("id: mini-", "id: new-"))
    git(branch, "add", "--all")
    git(branch, "commit", "--quiet", "-m", "A source")
    summary = claims("diff", "--root", branch, "main", "HEAD", "--format", "markdown").stdout
    assert summary.startswith("### Dataset changes: 0 added, 0 removed, 0 changed, 1 source added")
    assert (
        "| added | `new-report-2024` | Rights report 2024; Rights group (test fixture); "
        "Test fixture text, under CC BY 4.0. |" in summary
    )


def test_the_review_summary_shows_a_verdict_change_with_its_rationale_and_evidence_removed(
    branch: Path, claims: Run
) -> None:
    edit_record(
        branch,
        "no-political-prisoners-2024",
        "  verdict: refuted\n  rationale: A rights report lists 18 political prisoners.\n"
        "  evidence:\n    - source: mini-report-2024\n      start: 14\n      end: 79\n"
        "      quote: Rights groups listed 18 people they consider political prisoners.\n"
        "      stance: refutes\n",
        "  verdict: not-enough-evidence\n  rationale: The report names no one.\n",
    )
    git(branch, "commit", "--quiet", "--all", "-m", "A second look")
    summary = claims("diff", "--root", branch, "main", "HEAD", "--format", "markdown").stdout
    assert (
        "| `no-political-prisoners-2024` | refuted | not-enough-evidence | "
        "The report names no one. |" in summary
    )
    assert (
        "- removed from `no-political-prisoners-2024`: refutes, `mini-report-2024` at 14-79: "
        "…Report, 2024. **Rights groups listed 18 people they consider political prisoners.**"
        in summary
    )


def test_a_revision_written_before_a_field_became_required_shows_the_field_added(
    history: Path, claims: Run
) -> None:
    """An older release lacks what today's schema requires (a source's licence): comparing
    with it reports that change, not sources added and every span changed."""
    metadata = history / "claims" / "sources" / "mini-report-2024.yaml"
    current = metadata.read_text(encoding="utf-8")
    lines = current.splitlines(keepends=True)
    metadata.write_text("".join(line for line in lines if not line.startswith("license:")))
    git(history, "commit", "--quiet", "--all", "-m", "As an older release had it")
    metadata.write_text(current)
    git(history, "commit", "--quiet", "--all", "-m", "The licence, now required")
    result = claims("diff", "--root", history, "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "~ source mini-report-2024",
        '    license: null -> "CC-BY-4.0"',
        "0 added, 0 removed, 0 changed, 1 source changed (a patch release)",
    ]
