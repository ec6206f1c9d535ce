"""The dataset card's sections for readers, beyond the numbers: one real record as it loads,
the sources, how the data was made and reviewed, what it says about people, and what it
cannot do. Everything from the data is shown as text, never run as HTML."""

from __future__ import annotations

import json
import re

from builder import markdown
from builder.dataset import features
from builder.model import DatasetMetadata, Repository, Source
from builder.rows import Row


def text(value: str) -> str:
    """Text from the data, safe in the card's Markdown: shown as written, on one line; HTML,
    links, images and headings in it are shown, never run."""
    return markdown.text(value)


def cell(value: str) -> str:
    """Text from the data, safe in a Markdown table cell (`markdown.text` escapes `|`)."""
    return markdown.text(value)


def fenced(body: str, language: str) -> str:
    """A code block whose fence no backtick run inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def example(claim: Row | None) -> str:
    if claim is None:
        return "## An example\n\nNo claim is reviewed yet."
    loaded = features.encoder(features.CLAIM)(claim)
    return (
        "## An example\n\n"
        f"The claim `{claim['id']}` of the `claims` config, as `load_dataset` gives it (the "
        'verdict and stances are class label numbers; `features["verdict"].int2str` names '
        "them):\n\n" + fenced(json.dumps(loaded, ensure_ascii=False, indent=2), "json")
    )


def sources_table(repository: Repository) -> str:
    lines = [
        "## Sources",
        "",
        "| source | title | publisher | published | languages | rights | ships |",
        "|---|---|---|---|---|---|---|",
    ]
    for source in repository.sources.values():
        cells = [source.title, source.publisher, source.published, ", ".join(source.languages)]
        row = " | ".join(map(cell, [*cells, source.rights]))
        lines.append(f"| `{source.id}` | {row} | {ships(source)} |")
    return "\n".join(lines)


def ships(source: Source) -> str:
    """What of a source the build ships, in words."""
    return "full text" if source.ships_text else "quotes only"


def licensing(repository: Repository, metadata: DatasetMetadata) -> str:
    """The Licensing section (and LICENSE.md): the annotations' licence, then each source's
    licence, rights and what of it ships."""
    lines = [
        "## Licensing",
        "",
        f"The claim records (claims, claimants, dates, verdicts, rationales, offsets: the "
        f"curators' annotations) are under `{metadata.license}`. The source texts keep their own "
        "terms: a source marked quotes only ships its metadata, its SHA-256 and its url, and "
        "the quoted spans with 32 characters of context, never its whole text (`text` is "
        "null in the `sources` config).",
        "",
        "| source | publisher | licence | rights | ships |",
        "|---|---|---|---|---|",
    ]
    for source in repository.sources.values():
        cells = [source.title, source.publisher, source.license, source.rights]
        named, *others = map(cell, cells)
        lines.append(f"| `{source.id}` {named} | " + " | ".join(others) + f" | {ships(source)} |")
    return "\n".join(lines)


def creation(metadata: DatasetMetadata) -> str:
    curators = ", ".join(metadata.curators) or "the curators of this repository"
    return "\n\n".join(
        [
            "## Dataset creation",
            "### Source data\n\nPublic news items, press releases and statements, chosen by the "
            "curators for the claims they carry. Each text is stored byte for byte as received "
            "(odd spaces, look-alike letters and line ends included) and pinned by its SHA-256, "
            "so that every quote can be checked against it.",
            "### Curation and review\n\nCuration follows written guidelines (REVIEWING.md in "
            "the dataset's repository), drawn from how AVeriTeC and FEVER define their labels. "
            "A curator records each check-worthy statement as a claim: one English sentence, "
            "the claimant who asserted it (not the outlet that reported it), the date, its "
            "AVeriTeC claim types, and the exact span of the source where it was made, with an "
            "English translation for a quote in another language; a report that a meeting "
            "took place is not a claim. A review gives one of the four AVeriTeC verdicts "
            "(supported, refuted, conflicting, not enough evidence), a rationale, and evidence "
            "spans, each with its stance. Evidence must bear on the claim itself, not only its "
            "topic, and comes from another source than the claim's own, which is context only; "
            "supported needs a supporting span, refuted a refuting one, conflicting both, and "
            "one party's assertion against another's is conflicting, not refuted. Every record "
            "is checked by the `claims` tool against JSON Schemas and against the source texts "
            "(offsets, quotes, digests, dates, references) before a release, and changes are "
            "reviewed in pull requests.",
            f"### Curators\n\n{text(curators)}.",
        ]
    )


PERSONAL_INFORMATION = (
    "## Personal and sensitive information\n\n"
    "Claimants are named public figures and organisations (ministers, members of parliament, "
    "government bodies, international institutions) speaking in their public roles, and the "
    "claims concern human rights, including political prisoners and the treatment of "
    "detainees. No private individual is named on purpose; the sources are published news "
    "items and statements."
)

LIMITATIONS = (
    "## Bias, risks and limitations\n\n"
    "The dataset is small and its sources were chosen by its curators; statements by "
    "governments and institutions dominate. A verdict rests on the evidence in the sources "
    "the dataset holds, not on everything known, and one party's assertion is often weighed "
    "against another's. Use it to study claims and evidence, not to judge a person or a "
    "country."
)
