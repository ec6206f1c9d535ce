"""`claims build`: the folder loads with `datasets`, typed, complete and byte-reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import datasets
import mlcroissant
import pytest
from huggingface_hub import DatasetCard
from pytest_regressions.data_regression import DataRegressionFixture
from pytest_regressions.file_regression import FileRegressionFixture

from builder import state
from builder.dataset.claimreview import BEST, WORST
from builder.dataset.pipeline import build
from builder.layout import Layout
from builder.model import STANCES, VERDICTS
from builder.splits import split_of
from builder.validation import validate
from tests.conftest import CASES, CLAIMS_COMMAND, PROJECT, Run

MINI = CASES / "dataset"
CONFIGS = ("claims", "sources", "evidence", "labelled")


def _build(root: Path, out: Path) -> Path:
    return build(Layout(root), validate(Layout(root)).repository, out)


def _load(folder: Path, config: str) -> datasets.DatasetDict:
    return datasets.load_dataset(str(folder), config)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped repository, built once for the module."""
    return _build(PROJECT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed fixture repository (two splits, every verdict kind, tricky Unicode), built."""
    return _build(MINI, tmp_path_factory.mktemp("dist"))


def test_every_config_loads_offline_with_its_declared_features(shipped: Path) -> None:
    repository = validate(Layout(PROJECT)).repository
    assert repository.dataset is not None and shipped.name == repository.dataset.version
    claims = _load(shipped, "claims")["train"]
    assert claims.num_rows == len(repository.claims)
    assert claims.features["verdict"].names == list(VERDICTS)
    assert claims.features["evidence"].feature["stance"].names == list(STANCES)
    assert claims.features["appearances"].feature["start_utf16"].dtype == "int32"
    sources = _load(shipped, "sources")["train"]
    assert sorted(sources["id"]) == sorted(repository.sources)
    evidence = _load(shipped, "evidence")["train"]
    assert evidence.num_rows == sum(len(c.evidence) for c in repository.claims)
    assert evidence.features["stance"].names == list(STANCES)


def test_unreviewed_claims_have_verdict_minus_one_and_no_review(shipped: Path) -> None:
    by_id = {c.id: c for c in validate(Layout(PROJECT)).repository.claims}
    verdicts = _load(shipped, "claims")["train"].features["verdict"]
    for row in _load(shipped, "claims")["train"]:
        review = by_id[row["id"]].review
        if review is None:
            assert (row["verdict"], row["rationale"], row["evidence"]) == (-1, None, [])
        else:
            assert verdicts.int2str(row["verdict"]) == review.verdict
            assert row["rationale"] == review.rationale
            assert [e["stance"] for e in row["evidence"]] == [
                STANCES.index(e.stance) for e in review.evidence
            ]


def test_every_record_field_is_a_column(shipped: Path) -> None:
    """Nothing is dropped: each claim row gives back its record, field for field."""
    repository = validate(Layout(PROJECT)).repository
    by_id = {c.id: c for c in repository.claims}
    for row in _load(shipped, "claims")["train"]:
        claim = by_id[row["id"]]
        assert claim.origin is not None
        data = claim.origin.data
        assert row["claim"] == data["claim"]
        assert row["claimant"] == {"role": None, **data["claimant"]}
        assert row["claim_date"] == data["claim_date"]
        assert row["topics"] == data["topics"]
        assert row["related"] == data.get("related", [])
        assert row["notes"] == data.get("notes")
        assert row["reviewed"] == data.get("review", {}).get("reviewed")
        for span, written in zip(row["appearances"], data["appearances"], strict=True):
            assert {k: span[k] for k in written} == written


@pytest.mark.parametrize("column", ["appearances", "evidence"])
def test_span_offsets_agree_in_code_points_utf8_and_utf16(mini: Path, column: str) -> None:
    # From the repository: a quotes-only source ships no text.
    texts = {s.id: s.text for s in validate(Layout(MINI)).repository.sources.values()}
    rows = [row for split in _load(mini, "claims").values() for row in split]
    spans = [span for row in rows for span in row[column]]
    assert spans
    for span in spans:
        text = texts[span["source"]]
        utf8, utf16 = text.encode("utf-8"), text.encode("utf-16-le")
        assert text[span["start"] : span["end"]] == span["quote"]
        assert utf8[span["start_utf8"] : span["end_utf8"]].decode("utf-8") == span["quote"]
        quote16 = utf16[2 * span["start_utf16"] : 2 * span["end_utf16"]]
        assert quote16.decode("utf-16-le") == span["quote"]
        assert span["prefix"] == text[max(0, span["start"] - 32) : span["start"]]
        assert span["suffix"] == text[span["end"] : span["end"] + 32]


def test_an_emoji_before_a_span_counts_once_in_code_points_twice_in_utf16(mini: Path) -> None:
    rows = {row["id"]: row for split in _load(mini, "claims").values() for row in split}
    [span] = rows["no-political-prisoners-2024"]["appearances"]
    # 👍🏽 is 2 code points, 4 UTF-16 units and 8 UTF-8 bytes; the NBSP and the Cyrillic
    # Es (U+0421) are 2 bytes each; the decomposed accent comes later.
    assert (span["start"], span["start_utf16"], span["start_utf8"]) == (63, 65, 71)


def test_splits_follow_the_declared_weights_and_evidence_follows_its_claims(mini: Path) -> None:
    claims = _load(mini, "claims")
    weights = (("train", 3), ("test", 1))
    assert set(claims) == {"train", "test"}
    for split, rows in claims.items():
        assert all(split_of(claim_id, weights) == split for claim_id in rows["id"])
    evidence = _load(mini, "evidence")
    for split, rows in evidence.items():
        assert set(rows["claim_id"]) <= set(claims[split]["id"])


def test_a_claims_split_never_depends_on_the_other_claims() -> None:
    weights = (("train", 8), ("validation", 1), ("test", 1))
    ids = [f"claim-{n}" for n in range(4000)]
    before = {claim_id: split_of(claim_id, weights) for claim_id in ids[:1000]}
    assert all(split_of(claim_id, weights) == split for claim_id, split in before.items())
    counts = {name: 0 for name, _ in weights}
    for claim_id in ids:
        counts[split_of(claim_id, weights)] += 1
    assert 3050 < counts["train"] < 3350 and 300 < counts["test"] < 500


def test_card_features_and_rows_match_the_golden_files(
    mini: Path, file_regression: FileRegressionFixture, data_regression: DataRegressionFixture
) -> None:
    card = (mini / "README.md").read_text(encoding="utf-8")
    # Parquet sizes change with each pyarrow release; the card's text and structure do not.
    card = re.sub(r"(num_bytes|dataset_size|download_size): \d+", r"\1: SIZE", card)
    file_regression.check(card, basename="card", extension=".md")
    features: dict[str, Any] = {}
    dump: dict[str, Any] = {}
    for config in CONFIGS:
        loaded = _load(mini, config)
        features[config] = next(iter(loaded.values())).features.to_dict()
        dump[config] = {split: rows.to_list() for split, rows in sorted(loaded.items())}
    data_regression.check(features, basename="features")
    file_regression.check(
        json.dumps(dump, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
        basename="rows",
        extension=".json",
    )


def test_the_card_header_declares_every_config_and_the_hub_metadata(shipped: Path) -> None:
    card = datasets.load_dataset_builder(str(shipped), "claims").info
    assert card.features["verdict"].names == list(VERDICTS)
    data = DatasetCard.load(shipped / "README.md").data
    assert [c["config_name"] for c in data.configs] == sorted(CONFIGS)
    assert data.license == "other"  # the annotations are cc-by-4.0, four sources quotes only
    assert data.language == ["en", "ro"]
    assert data.size_categories == "n<1K"
    assert {"fact-checking", "claim-verification"} <= set(data.tags)
    assert data.pretty_name


@pytest.mark.parametrize("which", ["shipped", "mini"])
def test_croissant_metadata_is_valid_without_warnings_and_says_what_it_is(
    which: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(which)
    dataset = mlcroissant.Dataset(jsonld=folder / "croissant.json")
    assert not dataset.metadata.issues.errors and not dataset.metadata.issues.warnings
    document = json.loads((folder / "croissant.json").read_text(encoding="utf-8"))
    assert document["url"]
    for name in ("dataCollection", "dataAnnotationProtocol", "personalSensitiveInformation"):
        assert document[f"rai:{name}"]
    files = [d for d in document["distribution"] if d["@type"] == "cr:FileObject"]
    for file in files:
        assert (
            file["sha256"] == hashlib.sha256((folder / file["contentUrl"]).read_bytes()).hexdigest()
        )
    for record_set, labels in (("verdicts", VERDICTS), ("stances", STANCES)):
        records = list(dataset.records(record_set))
        assert [r[f"{record_set}/name"] for r in records] == list(labels)
        assert [r[f"{record_set}/label"] for r in records] == list(range(len(labels)))


def test_croissant_metadata_reads_every_record_set(mini: Path) -> None:
    dataset = mlcroissant.Dataset(jsonld=mini / "croissant.json")
    assert not dataset.metadata.issues.errors
    for config in CONFIGS:
        rows = sum(split.num_rows for split in _load(mini, config).values())
        assert len(list(dataset.records(config))) == rows


def test_claimreview_has_one_rated_review_per_reviewed_claim(mini: Path) -> None:
    repository = validate(Layout(MINI)).repository
    reviewed = {c.id: c for c in repository.claims if c.review is not None}
    lines = (mini / "claimreview.jsonl").read_text(encoding="utf-8").splitlines()
    reviews = [json.loads(line) for line in lines]
    assert sorted(r["identifier"] for r in reviews) == sorted(reviewed)
    for review in reviews:
        claim = reviewed[review["identifier"]]
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim.claim
        rating = review["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (WORST, BEST)
        assert WORST <= rating["ratingValue"] <= BEST
        assert (
            rating["alternateName"]
            .lower()
            .replace(" ", "-")
            .startswith(claim.review.verdict[:4] if claim.review else "")
        )
        item = review["itemReviewed"]
        assert item["author"]["name"] == claim.claimant.name
        assert item["datePublished"] == claim.claim_date
        assert [a["text"] for a in item["appearance"]] == [a.span.quote for a in claim.appearances]


def test_sha256sums_lists_every_other_file(mini: Path) -> None:
    listed = {}
    for line in (mini / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {name: data for name, data in _tree(mini).items() if name != "SHA256SUMS"}
    assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_builds_in_other_folders_and_time_zones_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for n, zone in enumerate(["UTC", "Pacific/Kiritimati", "America/Adak"]):
        workdir = tmp_path / f"run-{n}"
        workdir.mkdir()
        result = subprocess.run(
            [CLAIMS_COMMAND, "build", "--root", MINI, "--out", workdir / "out"],
            capture_output=True,
            text=True,
            cwd=workdir,
            env={**os.environ, "TZ": zone, "LC_ALL": "C", "PYTHONHASHSEED": str(n)},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(_tree(Path(result.stdout.strip())))
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_build_command_prints_the_folder_and_how_to_load_it(
    tmp_path: Path, claims: Run
) -> None:
    result = claims("build", "--root", MINI, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path / '1.2.3'}\n"
    assert f"load_dataset('{tmp_path / '1.2.3'}', \"claims\")" in result.stderr


def test_invalid_data_builds_nothing(repo: Path, claims: Run) -> None:
    record = next((repo / "claims" / "records").rglob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8").replace("start:", "begin:", 1))
    result = claims("build", "--root", repo)
    assert result.returncode == 1
    assert "S00" in result.stderr and "nothing built" in result.stderr
    assert not (repo / "dist").exists()


def test_a_build_that_fails_half_way_leaves_the_previous_output_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = _build(MINI, tmp_path)
    before = _tree(previous)

    def broken_card(*args: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("builder.dataset.pipeline.render_card", broken_card)
    with pytest.raises(RuntimeError, match="disk full"):
        _build(MINI, tmp_path)
    assert _tree(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.2.3"]


KILLED_BUILD = """
import sys, time
from builder.dataset.parquet import SplitWriter
from builder.cli import main

real = SplitWriter.close
def slow(self):
    written = real(self)
    print("shard written", flush=True)
    time.sleep(60)
    return written
SplitWriter.close = slow
sys.exit(main(["build", "--root", sys.argv[1], "--out", sys.argv[2]]))
"""


def test_a_killed_build_leaves_the_previous_output_and_the_next_build_cleans_up(
    tmp_path: Path,
) -> None:
    previous = _build(MINI, tmp_path)
    before = _tree(previous)
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, str(MINI), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "shard written\n"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert _tree(previous) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    # Its partial folder, and its lock file (the lock itself ended with the process).
    assert leftovers and all(
        name.startswith(".1.2.3.partial-") or name == ".1.2.3.lock" for name in leftovers
    )
    _build(MINI, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.2.3"]
    assert _tree(previous) == before


def test_an_output_displaced_by_a_crash_between_renames_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = _build(MINI, tmp_path)
    before = _tree(previous)
    previous.rename(tmp_path / ".1.2.3.previous-0000abcd")
    # What the interrupted build had recorded, outside the working tree, before the rename.
    record = state.of_output(previous, MINI) / "folder.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(
        json.dumps({"folders": [".1.2.3.partial-0000abcd", ".1.2.3.previous-0000abcd"]})
    )

    def refuse(*args: object) -> str:
        raise RuntimeError("stop before replacing")

    monkeypatch.setattr("builder.dataset.pipeline.render_card", refuse)
    with pytest.raises(RuntimeError):
        _build(MINI, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.2.3"]
    assert _tree(tmp_path / "1.2.3") == before


def test_large_splits_are_written_in_batches_over_several_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builder.dataset.parquet.SHARD_ROWS", 3)
    monkeypatch.setattr("builder.dataset.parquet.BATCH_ROWS", 2)
    many = tmp_path / "repo"
    shutil.copytree(MINI / "claims", many / "claims")
    dataset = many / "claims" / "dataset.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8").replace("  test: 1\n", ""))
    records = many / "claims" / "records" / "2024"
    template = (records / "cafe-talks-continue-2024.yaml").read_text(encoding="utf-8")
    for number in range(3):
        claim_id = f"cafe-talks-copy-{number}-2024"
        text = template.replace("id: cafe-talks-continue-2024", f"id: {claim_id}")
        (records / f"{claim_id}.yaml").write_text(text, encoding="utf-8")
    folder = _build(many, tmp_path / "dist")
    assert sorted(p.name for p in (folder / "claims").iterdir()) == [
        "train-00000-of-00003.parquet",
        "train-00001-of-00003.parquet",
        "train-00002-of-00003.parquet",
    ]
    ids = _load(folder, "claims")["train"]["id"]
    assert ids == sorted(c.id for c in validate(Layout(many)).repository.claims)


@pytest.mark.parametrize("which", ["shipped", "mini"])
def test_the_labelled_config_holds_the_reviewed_claims_in_train_and_test(
    which: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(which)
    root = PROJECT if which == "shipped" else MINI
    repository = validate(Layout(root)).repository
    labelled = _load(folder, "labelled")
    assert set(labelled) == {"train", "test"}
    verdicts = labelled["train"].features["verdict"]
    rows = [row for split in labelled.values() for row in split]
    assert sorted(row["id"] for row in rows) == sorted(
        c.id for c in repository.claims if c.review is not None
    )
    assert all(0 <= row["verdict"] < len(verdicts.names) for row in rows)
    weights = repository.dataset.labelled_split_weights if repository.dataset else ()
    for split, split_rows in labelled.items():
        assert all(split_of(claim_id, weights) == split for claim_id in split_rows["id"])


@pytest.mark.parametrize("which", ["shipped", "mini"])
def test_quotes_only_sources_ship_no_text_and_the_licence_says_so(
    which: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(which)
    repository = validate(Layout(PROJECT if which == "shipped" else MINI)).repository
    sources = {row["id"]: row for row in _load(folder, "sources")["train"]}
    for source in repository.sources.values():
        row = sources[source.id]
        assert (row["license"], row["redistribution"], row["rights"]) == (
            source.license,
            source.redistribution,
            source.rights,
        )
        assert row["text"] == (source.text if source.redistribution == "full-text" else None)
    for claim in _load(folder, "claims")["train"]:
        for span in [*claim["appearances"], *claim["evidence"]]:
            text = repository.sources[span["source"]].text
            assert span["quote"] == text[span["start"] : span["end"]]
    card = (folder / "README.md").read_text(encoding="utf-8")
    header = DatasetCard.load(folder / "README.md").data
    licensing = card.split("## Licensing", 1)[1].split("\n## ", 1)[0]
    for source in repository.sources.values():
        ships = "full text" if source.redistribution == "full-text" else "quotes only"
        assert f"| `{source.id}` " in licensing and f"| {ships} |" in licensing
        assert source.rights.split(".")[0] in licensing
    mixed = any(
        s.redistribution != "full-text" or s.license.lower() != "cc-by-4.0"
        for s in repository.sources.values()
    )
    assert header.license == ("other" if mixed else "cc-by-4.0")
    if mixed:
        assert header.license_link == "LICENSE.md"
        assert (folder / "LICENSE.md").read_text(encoding="utf-8").strip() in card


CARD_SECTIONS = [
    "Loading",
    "An example",
    "Statistics",
    "Sources",
    "Dataset creation",
    "Personal and sensitive information",
    "Bias, risks and limitations",
    "Licensing",
    "Citation",
    "Changelog",
    "Fields",
]


@pytest.mark.parametrize("which", ["shipped", "mini"])
def test_the_card_reads_in_the_hub_templates_order_with_the_field_reference_last(
    which: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(which)
    text = (folder / "README.md").read_text(encoding="utf-8")
    card = DatasetCard.load(folder / "README.md")
    assert DatasetCard(card.content).data.to_dict() == card.data.to_dict()  # header round-trips
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == CARD_SECTIONS
    assert re.findall(
        r"^### (.+)$", text.split("## Dataset creation")[1].split("\n## ")[0], re.M
    ) == [
        "Source data",
        "Curation and review",
        "Curators",
    ]
    assert text.index("<details>") < text.index("## Fields") < text.index("</details>")
    example = text.split("## An example", 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]
    row = json.loads(example)
    loaded = {r["id"]: r for split in _load(folder, "claims").values() for r in split}
    assert loaded[row["id"]] == row  # the example is a real record, exactly as it loads
    citation = text.split("## Citation", 1)[1]
    assert "version = {" in citation and "howpublished = {\\url{" in citation


HOSTILE_NAME = (
    "[Jo](https://evil.example) <script>alert(1)</script>\n# Forged <img src=x onerror=1>"
)
HOSTILE_TITLE = "![pixel](https://evil.example/p.png)\n## [9.9.9] - 2030-01-01\n> quoted"


def test_text_from_the_data_is_shown_as_text_in_the_card(tmp_path: Path) -> None:
    """Names, titles, curators and the changelog entry hold links, images, HTML and headings:
    the card shows each as written, and none of them runs as Markdown or HTML."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    record = root / "claims/records/2024/cafe-talks-continue-2024.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("name: Claus Petrov", f"name: {json.dumps(HOSTILE_NAME)}"))
    source = root / "claims/sources/mini-report-2024.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("title: Rights report 2024", f"title: {json.dumps(HOSTILE_TITLE)}")
    )
    dataset = root / "claims/dataset.yaml"
    text = dataset.read_text(encoding="utf-8")
    dataset.write_text(text.replace("[test curators]", '["# Curator", "<b>x</b>\\n- item"]'))
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("review.evidence\n", "review.evidence <img src=x> [a](https://evil.example)\n")
    )

    card = (_build(root, tmp_path / "dist") / "README.md").read_text(encoding="utf-8")
    # The BibTeX entry names the curators inside its code block: shown as code, never run.
    citation = re.search(r"\n```bibtex\n.*?\n```\n", card, re.DOTALL)
    assert citation is not None and "{<b>x</b>\n- item}" in citation[0]
    card = card.replace(citation[0], "")

    for raw in ("[Jo](", "<script", "<img", "<b>", "![pixel](", "\n# Forged", "\n## [9.9.9]"):
        assert not re.search(rf"(?<!\\){re.escape(raw)}", card), raw  # not unless escaped
    assert "\n# Curator" not in card and "\n- item" not in card and "\n> quoted" not in card
    assert "\\[Jo\\](https://evil.example) \\<script\\>alert(1)\\</script\\> \\# Forged" in card
    assert "!\\[pixel\\](https://evil.example/p.png) \\#\\# \\[9.9.9\\] - 2030-01-01" in card
    assert "review.evidence \\<img src=x\\> \\[a\\](https://evil.example)" in card
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(card)
    assert html.count("<h1>") == 1  # the dataset's name
    for live in ("<script", "<img", "<b>", 'href="https://evil', "<blockquote"):
        assert live not in html
