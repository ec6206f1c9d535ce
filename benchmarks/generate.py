"""A synthetic claims repository of any size, in the contract's format, valid throughout.

N claims over N/100 sources (at least 5) of about 20,000 characters each. The texts mix English
with Romanian and Cyrillic, no-break spaces, combining accents and astral emoji; every field of
every schema is used: reviews with evidence (half the claims), translations, related links,
roles, notes, revisions.

    python benchmarks/generate.py 10000 /tmp/claims-10k [--sloppy]
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

import yaml

# Word lists are easier to read and extend as one string each.
WORDS = (  # noqa: SIM905
    "Kazakhstan rights human political prisoners reform law court European Parliament "
    "delegation freedom expression assembly association media journalist torture death "
    "penalty constitution ombudsman election civil society cooperation Council Europe "
    "dialogue ministry statement report sanctions January events police investigation "
    "deținuți politici în Kazahstan drepturile omului \u0421laus Neukirch Астана Алматы "
    "café\u0301 résumé 👍🏽 🇪🇺 2018 2021 2022 2023 "
).split()
TOPICS = (  # noqa: SIM905
    "political-prisoners death-penalty torture freedom-of-expression media-freedom "
    "freedom-of-assembly freedom-of-association judicial-reform constitutional-reform elections "
    "civil-society international-cooperation domestic-violence sanctions january-2022-events "
    "law-enforcement ngo-regulation"
).split()
VERDICTS = ("supported", "refuted", "conflicting", "not-enough-evidence")
STANCES = ("supports", "refutes", "context")


def source_text(rng: random.Random, size: int = 20_000) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24)))
        spacer = rng.choice([" ", " ", "\u00a0", "\n\n"])
        parts.append(sentence[0].upper() + sentence[1:] + "." + spacer)
        length += len(parts[-1])
    return "".join(parts)


def spans_of(text: str) -> list[tuple[int, int]]:
    """Word-aligned candidate spans: each sentence of the text."""
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == ".":
            while start < index and text[start].isspace():
                start += 1
            if index > start:
                spans.append((start, index + 1))
            start = index + 1
    return spans


def generate(claims: int, root: Path, seed: int = 1, *, sloppy: bool = False) -> None:
    """With `sloppy`, every span ends one character inside its last word (an A101 warning)."""
    rng = random.Random(seed)
    sources = max(5, claims // 100)
    (root / "claims" / "sources").mkdir(parents=True, exist_ok=True)
    dump(
        root / "claims" / "dataset.yaml",
        {
            "name": "synthetic-claims",
            "pretty_name": "Synthetic Claims",
            "version": "1.0.0",
            "license": "cc-by-4.0",
            "description": f"{claims} synthetic claims for benchmarks.",
            "curators": ["benchmarks"],
            "tags": ["synthetic"],
            "splits": {"train": 8, "validation": 1, "test": 1},
        },
    )
    dump(
        root / "claims" / "topics.yaml", {t: f"Claims about {t.replace('-', ' ')}." for t in TOPICS}
    )
    texts: dict[str, str] = {}
    for number in range(sources):
        source_id = f"source-{number:05d}"
        text = source_text(rng)
        raw = text.encode("utf-8")
        (root / "claims" / "sources" / f"{source_id}.txt").write_bytes(raw)
        languages = ["en", "ro"] if number % 3 == 0 else ["en"]
        dump(
            root / "claims" / "sources" / f"{source_id}.yaml",
            {
                "id": source_id,
                "title": f"Statement number {number}",
                "publisher": rng.choice(["Kazinform", "El.kz", "European Parliament"]),
                "published": f"{2018 + number % 6}-{1 + number % 12:02d}",
                "languages": languages,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "url": f"https://example.org/statements/{number}",
                "license": "CC0-1.0",
                "redistribution": "full-text",
                "rights": "Synthetic text, free to use.",
                "revisions": [{"date": "2024-01-02", "sha256": "0" * 64, "reason": "synthetic"}],
                "notes": "Generated for benchmarks.",
            },
        )
        texts[source_id] = text
    candidates = {source_id: spans_of(text) for source_id, text in texts.items()}
    source_ids = sorted(texts)

    def span(source_id: str) -> dict[str, object]:
        start, end = rng.choice(candidates[source_id])
        if sloppy and end - start > 2:
            end -= 2  # the span ended after a full stop; now it cuts the last word
        return {
            "source": source_id,
            "start": start,
            "end": end,
            "quote": texts[source_id][start:end],
        }

    for number in range(claims):
        claim_id = f"claim-{number:06d}"
        year = 2018 + number % 6
        source_id = source_ids[number % sources]
        appearance = {**span(source_id), "language": "en"}
        if number % 7 == 0:
            appearance |= {"language": "ro", "translation": "An English translation of the quote."}
        record: dict[str, object] = {
            "id": claim_id,
            "claim": f"Claim number {number} says that Kazakhstan reformed its law in {year}.",
            "claimant": {"name": "Aibek Smadiyarov", "kind": "person", "role": "Spokesperson"},
            "claim_date": f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "appearances": [appearance],
            "topics": rng.sample(TOPICS, rng.randint(1, 3)),
        }
        if number % 2 == 0:
            verdict = VERDICTS[number % 4]
            other = source_ids[(number + 1) % sources]
            evidence = (
                []
                if verdict == "not-enough-evidence"
                else [{**span(other), "stance": STANCES[number % 3]}]
            )
            record["review"] = {
                "verdict": verdict,
                "rationale": "The other source says so, in its own words.",
                **({"evidence": evidence} if evidence else {}),
                "reviewed": "2024-06-30",
            }
        if number % 5 == 0 and number:
            record["related"] = [{"claim": f"claim-{number - 1:06d}", "relation": "supports"}]
        if number % 3 == 0:
            record["notes"] = "Synthetic claim for benchmarks: ăîșț, Қазақстан, 👍🏽."
        folder = root / "claims" / "records" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        dump(folder / f"{claim_id}.yaml", record)


def dump(path: Path, data: object) -> None:
    path.write_text(
        yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=88),
        encoding="utf-8",
    )


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), sloppy="--sloppy" in sys.argv[3:])
