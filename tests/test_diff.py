"""`claims diff`: what changed between two builds, repositories or git revisions."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from builder import changelog, diff
from builder.diff import Change, Changes, Diff, FieldChange
from builder.snapshot import Snapshot
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


def _span(source: str, start: int, quote: str, **more: Any) -> dict[str, Any]:
    return {
        **{"source": source, "start": start, "end": start + len(quote), "quote": quote},
        **{"prefix": "before ", "suffix": " after", "language": "en", "translation": None},
        **more,
    }


def _claim(text: str, split: str = "train", **more: Any) -> dict[str, Any]:
    return {"claim": text, "split": split, "labelled_split": None, "verdict": None, **more}


LONG = "A description long enough to be cut short in a one-line note, " * 3
OLD = Snapshot(
    claims={
        "kept": _claim(
            "Kept.",
            labelled_split="train",
            verdict="refuted",
            rationale="Old reason.",
            appearances=[_span("src-a", 10, "kept words")],
            evidence=[
                _span("src-b", 0, "old evidence", stance="refutes"),
                _span("src-a", 60, "context words", stance="context"),
            ],
        ),
        "gone": _claim("Gone | with a bar, a \\ and\na second line.", "test"),
        "moving": _claim("Moving.", appearances=[_span("src-a", 40, "moving words")]),
        "reviewed-now": _claim("Reviewed now."),
        "unlabelled": _claim(
            "Unlabelled.",
            labelled_split="validation",
            verdict="supported",
            evidence=[_span("src-b", 30, "dropped", stance="supports")],
        ),
    },
    sources={
        "src-a": {"title": "A", "publisher": "P", "rights": "CC0", "sha256": "aa"},
        "src-b": {"title": "B", "publisher": "P", "rights": "CC0", "sha256": "bb"},
        "src-gone": {"title": "Gone source", "publisher": None, "rights": "CC0", "sha256": "cc"},
    },
    metadata={"version": "1.0.0", "license": "CC-BY-4.0", "splits": {"train": 8}},
)
NEW = Snapshot(
    claims={
        "kept": _claim(
            "Kept.",
            labelled_split="train",
            verdict="supported",
            rationale="Nouă rațiune, *bold*.",
            appearances=[_span("src-a", 12, "kept words")],
            evidence=[
                _span("src-b", 5, "new_evidence", stance="supports", suffix=None),
                _span("src-a", 62, "context words", stance="context"),
            ],
        ),
        "moving": _claim("Moving.", "test", appearances=[_span("src-a", 40, "moving words")]),
        "reviewed-now": _claim(
            "Reviewed now.",
            labelled_split="validation",
            verdict="supported",
            evidence=[_span("src-b", 40, "gained", stance="supports", prefix="")],
        ),
        "unlabelled": _claim("Unlabelled.", verdict="supported"),
        "added": _claim(
            "Added.",
            appearances=[
                _span(
                    "src-new",
                    0,
                    "nu există",
                    prefix="",
                    suffix="",
                    language="ro",
                    translation="there is",
                )
            ],
        ),
    },
    sources={
        "src-a": {"title": "A", "publisher": "P", "rights": "CC0", "sha256": "a2"},
        "src-b": {"title": "B, retitled", "publisher": "R", "rights": "CC0", "sha256": "bb"},
        "src-new": {"title": "New source", "publisher": "Q", "rights": "CC BY 4.0", "sha256": "d"},
    },
    metadata={
        "version": "1.1.0",
        "license": "CC-BY-SA-4.0",
        "splits": {"train": 9},
        "description": LONG,
        "citation": "C" * 98,  # exactly 100 characters as JSON: shown whole
    },
)


def test_every_kind_of_change_is_rendered_for_the_terminal_a_review_and_the_changelog(
    file_regression: FileRegressionFixture,
) -> None:
    """One diff with claims and sources added, removed and changed, splits entered, left and
    moved, verdicts given and changed, a revised source text, and the dataset's metadata."""
    result = diff.diff(OLD, NEW)
    file_regression.check(diff.as_text(result), basename="every-change", extension=".txt")
    file_regression.check(
        diff.as_markdown(result, OLD, NEW), basename="every-change", extension=".md"
    )
    file_regression.check(
        diff.changelog_body(result, NEW), basename="every-change-changelog", extension=".md"
    )


def test_the_json_report_holds_every_change_and_the_release_it_calls_for() -> None:
    text = diff.as_json(diff.diff(OLD, NEW))
    report = json.loads(text)
    assert text == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    assert [report["added"], report["removed"], report["bump"]] == [["added"], ["gone"], "major"]
    assert [(c["id"], [f["field"] for f in c["fields"]]) for c in report["changed"]] == [
        ("kept", ["verdict", "rationale", "appearances", "evidence"]),
        ("moving", ["split"]),
        ("reviewed-now", ["labelled_split", "verdict", "evidence"]),
        ("unlabelled", ["labelled_split", "evidence"]),
    ]
    assert report["changed"][0]["fields"][1] == {
        "field": "rationale",
        "old": "Old reason.",
        "new": "Nouă rațiune, *bold*.",
    }
    assert report["sources"] == {
        "added": ["src-new"],
        "removed": ["src-gone"],
        "changed": [
            {"id": "src-a", "fields": [{"field": "sha256", "old": "aa", "new": "a2"}]},
            {
                "id": "src-b",
                "fields": [
                    {"field": "title", "old": "B", "new": "B, retitled"},
                    {"field": "publisher", "old": "P", "new": "R"},
                ],
            },
        ],
    }
    assert report["metadata"] == [
        {"field": "license", "old": "CC-BY-4.0", "new": "CC-BY-SA-4.0"},
        {"field": "splits", "old": {"train": 8}, "new": {"train": 9}},
        {"field": "description", "old": None, "new": LONG},
        {"field": "citation", "old": None, "new": "C" * 98},
    ]


def test_metadata_is_compared_only_when_both_sides_have_it_and_never_its_version() -> None:
    built = attrs.evolve(OLD, metadata=None)
    assert diff.diff(built, NEW).metadata == ()
    assert diff.diff(NEW, built).metadata == ()
    released = attrs.evolve(OLD, metadata={**(NEW.metadata or {}), "version": "2.0.0"})
    assert diff.diff(released, NEW).metadata == ()


def _changed(*fields: tuple[str, Any, Any]) -> Changes:
    return Changes(changed=(Change("c", tuple(FieldChange(*f) for f in fields)),))


@pytest.mark.parametrize(
    ("result", "bump"),
    [
        (Diff(), None),
        (Diff(claims=Changes(removed=("c",))), "major"),
        (Diff(sources=Changes(removed=("s",))), "major"),
        (Diff(claims=_changed(("split", "train", "test"))), "major"),
        (Diff(claims=_changed(("labelled_split", "train", "test"))), "major"),
        (Diff(claims=Changes(added=("c",))), "minor"),
        (Diff(sources=Changes(added=("s",))), "minor"),
        (Diff(claims=_changed(("verdict", None, "supported"))), "minor"),
        (Diff(claims=_changed(("labelled_split", None, "test"))), "patch"),
        (Diff(claims=_changed(("labelled_split", "test", None))), "patch"),
        (Diff(claims=_changed(("claim", "Old.", "New."))), "patch"),
        (Diff(sources=_changed(("title", "Old", "New"))), "patch"),
        (Diff(metadata=(FieldChange("license", "a", "b"),)), "patch"),
    ],
)
def test_the_release_a_change_calls_for(result: Diff, bump: str | None) -> None:
    """Removing rows or moving a claim between splits breaks users (major); new rows and new
    verdicts are news (minor); a claim entering or leaving the labelled configuration, and
    every correction, is a patch."""
    assert result.bump() == bump


@pytest.mark.parametrize(
    ("bump", "version"), [("major", "2.0.0"), ("minor", "1.10.0"), ("patch", "1.9.10")]
)
def test_a_bump_resets_the_parts_after_it(bump: str, version: str) -> None:
    assert diff.bumped("1.9.9", bump) == version


def test_past_ten_quotes_or_evidence_spans_the_rest_are_folded() -> None:
    spans = [_span("src-a", 10 * i, f"quote {i}") for i in range(12)]
    evidence = [_span("src-b", 10 * i, f"evidence {i}", stance="supports") for i in range(11)]
    new = Snapshot(claims={"many": _claim("Many.", appearances=spans, evidence=evidence)})
    markdown = diff.as_markdown(diff.diff(Snapshot(claims={}), new), Snapshot(claims={}), new)
    quotes = markdown.split("#### Quotes in their context\n\n", 1)[1].split("\n\n####")[0]
    shown, folded = quotes.split("\n\n<details><summary>2 more</summary>\n\n")
    assert shown.count("\n") == 9 and "**quote 9**" in shown
    assert folded == (
        "- `many` in `src-a` at 100-108: …before **quote 10** after…\n"
        "- `many` in `src-a` at 110-118: …before **quote 11** after…\n\n</details>"
    )
    evidence_part = markdown.split("#### Evidence added or removed\n\n", 1)[1]
    assert evidence_part.endswith(
        "**evidence 9** after…\n\n<details><summary>1 more</summary>\n\n"
        "- added to `many`: supports, `src-b` at 100-111: …before **evidence 10** after…\n\n"
        "</details>\n"
    )


def test_ten_quotes_and_ten_evidence_spans_are_all_shown() -> None:
    spans = [_span("src-a", 10 * i, f"quote {i}") for i in range(10)]
    evidence = [_span("src-b", 10 * i, f"evidence {i}", stance="supports") for i in range(10)]
    new = Snapshot(claims={"many": _claim("Many.", appearances=spans, evidence=evidence)})
    markdown = diff.as_markdown(diff.diff(Snapshot(claims={}), new), Snapshot(claims={}), new)
    assert "<details>" not in markdown
    assert markdown.count("\n- `many` in `src-a`") == 10
    assert markdown.count("\n- added to `many`") == 10


def test_a_review_with_only_the_new_snapshot_shows_what_it_has() -> None:
    markdown = diff.as_markdown(diff.diff(OLD, NEW), None, NEW)
    assert "- added to `reviewed-now`: supports, `src-b` at 40-46: …**gained** after…" in markdown
    assert "removed from" not in markdown
    assert '| changed | `src-a` | sha256 "aa" → "a2" |' in markdown


def test_a_review_without_the_snapshots_lists_changes_only() -> None:
    markdown = diff.as_markdown(diff.diff(OLD, NEW))
    assert "#### Quotes" not in markdown and "#### Evidence" not in markdown
    assert '| changed | `src-a` | sha256 "aa" → "a2" |' in markdown
    assert "| added | `added` |  |" in markdown
    empty = diff.as_markdown(diff.diff(OLD, OLD), OLD, OLD)
    assert empty == "### Dataset changes: 0 added, 0 removed, 0 changed\n\nNo claim changed.\n"


HOSTILE = "[a link](https://evil.example) ![img](https://evil.example/p.png) <script>x</script>"
FORGED = "x\n## [9.9.9] - 2030-01-01\n# Heading\n- item"


def test_text_from_the_data_is_shown_as_text_in_the_review_and_the_changelog() -> None:
    old = Snapshot(claims={"c": _claim("Old.", verdict="refuted", rationale="Old.")}, sources={})
    new = Snapshot(
        claims={
            "c": _claim(HOSTILE, verdict="supported", rationale=FORGED),
            "added": _claim(f"{HOSTILE} {FORGED}"),
        },
        sources={"src-new": {"title": FORGED, "publisher": HOSTILE, "rights": "| a | b |"}},
    )
    result = diff.diff(old, new)
    body = diff.changelog_body(result, new)
    review = diff.as_markdown(result, old, new)
    for markdown in (body, review):
        assert "\n## [" not in markdown and "\n# " not in markdown and "\n- item" not in markdown
        for raw in ("[a link](", "![img](", "<script>"):
            assert not re.search(rf"(?<!\\){re.escape(raw)}", markdown), raw  # unless escaped
    entry = changelog.Entry("1.1.0", "2030-01-02", body)
    parsed = changelog.parse(changelog.add_entry(None, entry))
    assert [(e.version, e.date) for e in parsed] == [("1.1.0", "2030-01-02")]
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    for markdown in (body, review):
        html = parser.render(markdown)
        for live in ("<a ", "<img", "<script", "<h1", "<h2"):
            assert live not in html, html


@pytest.mark.parametrize(
    "attributes",
    ["claims/** export-ignore", "claims/** export-subst", "* text eol=crlf", "* ident"],
)
def test_a_revision_is_read_as_committed_whatever_its_attributes_say(
    history: Path, claims: Run, attributes: str
) -> None:
    """A revision's .gitattributes cannot hide its claims from the comparison (export-ignore),
    rewrite them (export-subst, ident), or change their line ends: both revisions read as
    committed, like the working tree of the second one."""
    (history / ".gitattributes").write_text(f"{attributes}\n")
    edit_record(history, "cafe-talks-continue-2024", "Not reviewed yet.", "Not $Format:%H$ $Id$")
    git(history, "add", "--all")
    git(history, "commit", "--quiet", "-m", "Attributes")
    first = git(history, "rev-parse", "HEAD")
    edit_record(history, "talks-outcome-unknown-2024", "what the talks", "what the new talks")
    git(history, "commit", "--quiet", "--all", "-m", "A correction")
    expected = [
        "~ talks-outcome-unknown-2024",
        '    rationale: "Nothing says what the talks produced." -> "Nothing says what the '
        'new talks produced."',
        "0 added, 0 removed, 1 changed (a patch release)",
    ]
    between = claims("diff", "--root", history, first, "HEAD")
    assert between.stdout.splitlines() == expected, between.stderr
    with_tree = claims("diff", "--root", history, first, str(history))
    assert with_tree.stdout.splitlines() == expected, with_tree.stderr


def test_a_folder_named_like_a_revision_never_stands_in_for_it(history: Path, claims: Run) -> None:
    """A pull request can commit a folder named `main` or `HEAD` holding a claims repository or
    a build: `claims diff main HEAD` must not read it in place of the revision."""
    decoy = history / "main" / "claims"
    shutil.copytree(history / "claims", decoy)
    git(history, "add", "--all")
    git(history, "commit", "--quiet", "-m", "A decoy")
    result = claims("diff", "main", "HEAD", cwd=history)
    assert result.returncode == 2
    assert "'main' is both a folder and a git revision" in result.stderr
    assert "write ./main for the folder, or main^{commit} for the revision" in result.stderr
    assert claims("diff", "./main", "HEAD", cwd=history).returncode == 0
    assert claims("diff", "main^{commit}", "HEAD", cwd=history).returncode == 0
