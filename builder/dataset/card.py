"""The dataset card, README.md: the Hub's YAML header and the page a dataset user reads.

The header is written by the field's own code (`datasets`' configs and infos, `huggingface_hub`'s
card data). Column descriptions come from the JSON Schemas, statistics from the rows, the history
from CHANGELOG.md; nothing here depends on the clock or the output path.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from typing import Any

import attrs
from datasets import ClassLabel, LargeList, List, Value
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from builder import markdown
from builder.changelog import Entry, release_date
from builder.dataset import about, croissant
from builder.dataset.configs import BY_NAME, CONFIGS, DEFAULT
from builder.dataset.features import DERIVED_COLUMNS
from builder.dataset.parquet import SplitFiles
from builder.model import VERDICTS, Repository
from builder.model import DatasetMetadata as Metadata
from builder.rows import Row
from builder.schemas import field_rows

BASE_TAGS = ("fact-checking", "claim-verification")
_NUMBERS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven"}


@attrs.define
class Stats:
    """What the card says about the claims, counted as the rows stream past."""

    claims: int = 0
    reviewed: int = 0
    verdicts: collections.Counter[str] = attrs.Factory(collections.Counter)
    topics: collections.Counter[str] = attrs.Factory(collections.Counter)
    sources: collections.Counter[str] = attrs.Factory(collections.Counter)
    years: collections.Counter[str] = attrs.Factory(collections.Counter)
    languages: collections.Counter[str] = attrs.Factory(collections.Counter)
    claimants: collections.Counter[str] = attrs.Factory(collections.Counter)
    example: Row | None = None  # the first reviewed claim, shown as it loads

    def add(self, claim: Row) -> None:
        self.claims += 1
        reviewed = claim["verdict"] is not None
        self.reviewed += reviewed
        self.claimants[claim["claimant"]["name"]] += 1
        if reviewed and self.example is None:
            self.example = claim
        self.verdicts[claim["verdict"] if reviewed else "not reviewed"] += 1
        self.topics.update(claim["topics"])
        self.sources.update({a["source"] for a in claim["appearances"]})
        self.years[claim["claim_date"][:4]] += 1
        self.languages.update(a["language"] for a in claim["appearances"])


_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


def render_card(
    repository: Repository,
    claims: Stats,
    written: Mapping[str, list[SplitFiles]],
    changelog: list[Entry],
) -> str:
    metadata = repository.dataset
    assert metadata is not None, "the build runs on validated repositories only"
    return (
        f"---\n{_header(repository, metadata, claims, written)}\n---\n\n"
        + "\n\n".join(
            [
                _introduction(metadata, repository, claims),
                _loading(metadata, written),
                about.example(claims.example),
                _statistics(repository, claims, written),
                about.sources_table(repository),
                about.creation(metadata),
                about.PERSONAL_INFORMATION,
                about.LIMITATIONS,
                about.licensing(repository, metadata),
                _citation_block(citation(metadata, changelog)),
                _history(changelog, metadata.version),
                "<details>\n<summary>The fields of every config</summary>\n\n"
                + _fields()
                + "\n\n</details>",
            ]
        )
        + "\n"
    )


def languages(repository: Repository, claims: Stats) -> list[str]:
    """Every language of a source or of a quote, sorted."""
    found = {tag for source in repository.sources.values() for tag in source.languages}
    return sorted(found | set(claims.languages))


def _header(
    repository: Repository,
    metadata: Metadata,
    claims: Stats,
    written: Mapping[str, list[SplitFiles]],
) -> str:
    tags = list(dict.fromkeys([*BASE_TAGS, *metadata.tags]))
    tongues = languages(repository, claims)
    card = DatasetCardData(
        pretty_name=metadata.pretty_name,
        **card_licence(repository, metadata),
        language=tongues,
        multilinguality="multilingual" if len(tongues) > 1 else "monolingual",
        size_categories=next((name for limit, name in _SIZES if claims.claims < limit), "n>1M"),
        task_categories=["text-classification"],
        task_ids=["fact-checking"],
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        source_datasets=["original"],
        tags=tags,
    )
    MetadataConfigs(
        {
            config: {
                "data_files": [
                    {"split": split.name, "path": f"{config}/{split.name}-*.parquet"}
                    for split in splits
                ],
                **({"default": True} if config == DEFAULT.name else {}),
            }
            for config, splits in written.items()
        }
    ).to_dataset_card_data(card)
    DatasetInfosDict(
        {config: _info(config, splits) for config, splits in written.items()}
    ).to_dataset_card_data(card)
    return card.to_yaml()


def _info(config: str, splits: list[SplitFiles]) -> DatasetInfo:
    split_dict = SplitDict()
    for split in splits:
        split_dict.add(
            SplitInfo(split.name, num_bytes=split.num_bytes, num_examples=split.num_examples)
        )
    size = sum(split.num_bytes for split in splits)
    return DatasetInfo(
        features=BY_NAME[config].features,
        splits=split_dict,
        dataset_size=size,
        download_size=sum(split.file_bytes for split in splits),
    )


def _introduction(metadata: Metadata, repository: Repository, claims: Stats) -> str:
    reviewed = claims.reviewed
    curators = ", ".join(map(markdown.text, metadata.curators)) or "its curators"
    return (
        f"# {about.text(metadata.pretty_name)}\n\n{about.text(metadata.description)}\n\n"
        f"Version {metadata.version}: {claims.claims} claims from {len(repository.sources)} source "
        f"documents, {reviewed} of them reviewed. Licence: `{metadata.license}`. "
        f"Curated by {curators}.\n\n"
        "Every claim points by character offsets to the exact place in a source document where "
        "it was made. Offsets count Unicode code points of the source text exactly as stored "
        "(Python string indices); each span also carries its UTF-8 byte and UTF-16 code unit "
        "offsets and 32 characters of context on each side. Reviewed claims have one of the four "
        "verdicts of the AVeriTeC benchmark (supported, refuted, conflicting, not enough "
        "evidence), a rationale and evidence spans from other sources."
    )


def _loading(metadata: Metadata, written: Mapping[str, list[SplitFiles]]) -> str:
    where = metadata.repo_id or f"dist/{metadata.version}"
    comment = "" if metadata.repo_id else "  # the built folder; on the Hub, OWNER/NAME"
    split = written[DEFAULT.name][0].name
    revision = f', revision="v{metadata.version}"' if metadata.repo_id else ""
    lines = [
        "## Loading",
        "",
        f"{_NUMBERS[len(CONFIGS)]} configurations: "
        + ", ".join(f"`{c.name}` ({c.about})" for c in CONFIGS[:-1])
        + f" and `{CONFIGS[-1].name}` ({CONFIGS[-1].about}). Each version is tagged "
        "`v<version>`; pin one for reproducible results.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'REPO = "{where}"{comment}',
    ]
    for config in written:
        lines.append(f'{config} = load_dataset(REPO, "{config}"{revision})')
    lines += [
        "",
        f'row = claims["{split}"][0]',
        f'verdict = claims["{split}"].features["verdict"]',
        'print(row["claim"], verdict.int2str(row["verdict"]) if row["verdict"] != -1 else "-")',
        *(
            [
                "",
                "# For training a verdict model: reviewed claims only, every verdict set.",
                'train, test = labelled["train"], labelled["test"]',
            ]
            if {s.name for s in written.get("labelled", ())} >= {"train", "test"}
            else []
        ),
        "```",
        "",
        "Splits: "
        + ", ".join(f"`{split.name}` ({split.num_examples} claims)" for split in written["claims"])
        + ". A claim's split follows from a hash of its id, so it never moves between splits "
        "as the dataset grows; the `evidence` config follows its claims' splits, `labelled` "
        "has its own ("
        + ", ".join(f"`{s.name}` ({s.num_examples})" for s in written.get("labelled", ()))
        + "), and `sources` is one `train` split. A split or config without rows is left out.",
        "",
        "Beside the parquet files: `croissant.json` (MLCommons Croissant metadata), "
        "`annotations.jsonl` (each span as a W3C Web Annotation, for annotation tools), "
        "`claimreview.jsonl` (schema.org ClaimReview, when the dataset has a page for its "
        "claims), `LICENSE.md` (when the sources' terms differ from the annotations') and "
        "`SHA256SUMS`.",
    ]
    return "\n".join(lines)


def _fields() -> str:
    sections = ["## Fields"]
    for config in CONFIGS:
        sections.append(f"### `{config.name}`\n\n| column | type | meaning |\n|---|---|---|")
        rows = [
            f"| `{path}` | {kind} | {describe(config.name, path)} |"
            for path, kind in _columns(config.features)
        ]
        sections[-1] += "\n" + "\n".join(rows)
    return "\n\n".join(sections)


def describe(config: str, path: str) -> str:
    """What a column means: for record fields, the JSON Schema's description."""
    leaf = path.rsplit(".", 1)[-1].removesuffix("[]")
    if leaf in DERIVED_COLUMNS:
        return DERIVED_COLUMNS[leaf]
    schema_paths = {
        "claims": (path, f"review.{path}"),
        "labelled": (path, f"review.{path}"),
        "evidence": (f"review.evidence[].{path}", path),
        "sources": (path,),
    }[config]
    kind = "source" if config == "sources" else "claim"
    described = _schema_descriptions(kind)
    return next((described[p] for p in schema_paths if described.get(p)), "")


def _schema_descriptions(kind: str) -> dict[str, str]:
    return {path: text for path, _, text in field_rows(kind)}


def _columns(features: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    columns = []
    for name, feature in features.items():
        path = f"{prefix}{name}"
        if isinstance(feature, (List, LargeList)) and isinstance(feature.feature, dict):
            columns.append((path, "list of structs"))
            columns += _columns(feature.feature, f"{path}[].")
        elif isinstance(feature, dict):
            columns.append((path, "struct"))
            columns += _columns(feature, f"{path}.")
        else:
            columns.append((path, _type_name(feature)))
    return columns


def _type_name(feature: Any) -> str:
    if isinstance(feature, ClassLabel):
        return "class label"
    if isinstance(feature, Value):
        return str(feature.dtype)
    if isinstance(feature, (List, LargeList)):
        return f"list of {_type_name(feature.feature)}"
    raise TypeError(f"no name for feature {feature!r}")


def _statistics(
    repository: Repository, claims: Stats, written: Mapping[str, list[SplitFiles]]
) -> str:
    evidence = sum(split.num_examples for split in written.get("evidence", ()))
    verdict_order = [*VERDICTS, "not reviewed"]
    return "\n\n".join(
        [
            f"## Statistics\n\n{claims.claims} claims, {len(repository.sources)} sources, "
            f"{evidence} evidence spans.",
            _count_table("verdict", {v: claims.verdicts[v] for v in verdict_order}),
            _count_table(
                "topic", dict(sorted(claims.topics.items(), key=lambda kv: (-kv[1], kv[0])))
            ),
            _count_table(
                "claimant", dict(sorted(claims.claimants.items(), key=lambda kv: (-kv[1], kv[0])))
            ),
            _count_table("source (claims appearing in it)", dict(sorted(claims.sources.items()))),
            _count_table("year of the claim", dict(sorted(claims.years.items()))),
            _count_table("language of the quote", dict(sorted(claims.languages.items()))),
        ]
    )


def _count_table(heading: str, counts: Mapping[str, int]) -> str:
    lines = [f"| {heading} | claims |", "|---|---:|"]
    lines += [f"| {markdown.text(name)} | {count} |" for name, count in counts.items()]
    return "\n".join(lines)


def _history(changelog: list[Entry], version: str) -> str:
    """This version's changelog entry, and the earlier versions by name and date. CHANGELOG.md
    comes with pull requests like the records: the entry keeps its lists and headings (nested
    below its own), but HTML, links and images in it are shown as text."""
    this = [e for e in changelog if e.version == version]
    earlier = [markdown.text(f"{e.version} ({e.date})") for e in changelog if e.version != version]
    parts = ["## Changelog"]
    # `version` is the dataset's own, a validated MAJOR.MINOR.PATCH.
    parts += [f"### [{e.version}] - {e.date}\n\n{markdown.nested(e.body, 3)}" for e in this]
    if not this:
        parts.append(f"Version {version} is not released yet.")
    if earlier:
        parts.append("Earlier versions: " + ", ".join(earlier) + ".")
    return "\n\n".join(parts)


def card_licence(repository: Repository, metadata: Metadata) -> dict[str, Any]:
    """The card header's licence, true for everything the build ships: the annotations'
    licence alone when every source ships in full under that same licence, else `other`, named
    and linked to LICENSE.md, which says what applies to what."""
    sources = repository.sources.values()
    if all(s.ships_text and s.license.lower() == metadata.license.lower() for s in sources):
        return {"license": metadata.license}
    return {
        "license": "other",
        "license_name": f"{metadata.license}-annotations-and-source-terms",
        "license_link": "LICENSE.md",
    }


def _citation_block(entry: str) -> str:
    return f"## Citation\n\n{about.fenced(entry, 'bibtex')}"


def citation(metadata: Metadata, changelog: list[Entry]) -> str:
    """The BibTeX entry: dataset.yaml's own, or one made from its name, curators and version."""
    given = metadata.citation or _bibtex(metadata, release_date(changelog, metadata.version))
    return given.strip()


def _bibtex(metadata: Metadata, released: str | None) -> str:
    fields = {
        "title": f"{{{metadata.pretty_name}}}",
        "author": " and ".join(f"{{{c}}}" for c in metadata.curators) or None,
        "year": released[:4] if released else None,
        "version": metadata.version,
        "howpublished": f"\\url{{{croissant.url(metadata)}}}",
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    key = f"{metadata.name}-{metadata.version}".replace("-", "_").replace(".", "_")
    return f"@misc{{{key},\n{body}\n}}"
