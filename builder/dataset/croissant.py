"""croissant.json: MLCommons Croissant metadata, so ML tooling can find and read the dataset.

One record set per config, its fields typed from the config's `Features`, read from the
config's parquet shards: a file set per config (a glob, relative to this file, so the folder
loads from wherever it is), and each shard listed with its SHA-256.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from datasets import ClassLabel, LargeList, List, Value

from builder.dataset.configs import BY_NAME
from builder.dataset.features import CLAIM_TYPE, STANCE, VERDICT
from builder.dataset.parquet import SplitFiles
from builder.model import DatasetMetadata

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_ENUMERATIONS = {"verdict": "verdicts", "stance": "stances", "claim_types": "claim-types"}
_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "int64": "sc:Integer"}


def render_croissant(
    metadata: DatasetMetadata,
    citation: str,
    released: str | None,
    written: Mapping[str, list[SplitFiles]],
    checksums: Mapping[str, str],
) -> str:
    """The Croissant document; `checksums` maps each shard's relative path to its SHA-256."""
    distribution: list[dict[str, Any]] = []
    record_sets = []
    for config, splits in written.items():
        distribution += [
            {
                "@type": "cr:FileObject",
                "@id": path,
                "name": path,
                "contentUrl": path,
                "encodingFormat": "application/x-parquet",
                "sha256": checksums[path],
            }
            for split in splits
            for path in split.paths
        ]
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": f"{config}-files",
                "name": f"{config}-files",
                "description": f"The parquet shards of the {config} config.",
                "encodingFormat": "application/x-parquet",
                "includes": f"{config}/*.parquet",
            }
        )
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": config,
                "name": config,
                "field": _fields(config, BY_NAME[config].features, f"{config}-files"),
            }
        )
    record_sets += [
        _enumeration("verdicts", VERDICT),
        _enumeration("stances", STANCE),
        _enumeration("claim-types", CLAIM_TYPE),
    ]
    document = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": [CONFORMS_TO, RAI_CONFORMS_TO],
        "url": url(metadata),
        "name": metadata.name,
        "alternateName": metadata.pretty_name,
        "description": metadata.description,
        "license": f"https://choosealicense.com/licenses/{metadata.license}/",
        "version": metadata.version,
        "citeAs": citation,
        "creator": [{"@type": "Organization", "name": name} for name in metadata.curators],
        "keywords": ["fact-checking", "claim-verification", *metadata.tags],
        "distribution": distribution,
        "recordSet": record_sets,
        **RESPONSIBLE_AI,
    }
    if released:
        document["datePublished"] = released
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def url(metadata: DatasetMetadata) -> str:
    """Where the dataset lives: its homepage, its Hub repository, or at least its own URN."""
    if metadata.homepage:
        return metadata.homepage
    if metadata.repo_id:
        return f"https://huggingface.co/datasets/{metadata.repo_id}"
    return f"urn:claims:{metadata.name}:{metadata.version}"


def _enumeration(name: str, labels: ClassLabel) -> dict[str, Any]:
    """A class label's names as a Croissant enumeration: each number with its name."""
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "dataType": "sc:Enumeration",
        "description": f"The {name} a class label column's numbers stand for.",
        "key": {"@id": f"{name}/label"},
        "field": [
            {
                "@type": "cr:Field",
                "@id": f"{name}/label",
                "name": "label",
                "dataType": "sc:Integer",
            },
            {"@type": "cr:Field", "@id": f"{name}/name", "name": "name", "dataType": "sc:Text"},
        ],
        "data": [
            {f"{name}/label": number, f"{name}/name": label}
            for number, label in enumerate(labels.names)
        ],
    }


RAI_CONFORMS_TO = "http://mlcommons.org/croissant/RAI/1.0"
# What the data says of itself, in the Croissant RAI vocabulary.
RESPONSIBLE_AI = {
    "rai:dataCollection": "Curators read public news items and statements (press releases, "
    "interviews, agency reports) and recorded each check-worthy claim as a record pointing by "
    "code point offsets to the exact place in the source text where it was made. The source "
    "texts are stored byte for byte as received and pinned by SHA-256.",
    "rai:dataCollectionType": "Manual Human Curation",
    "rai:dataAnnotationProtocol": "Each claim names its claimant (who asserted it, not who "
    "reported it) and date; a review gives one of the four AVeriTeC verdicts with a rationale "
    "and evidence spans from other sources, each with its stance. Every span is validated "
    "against its source text by the claims tool before a release.",
    "rai:dataAnnotationPlatform": "YAML records in a git repository, validated by the claims tool",
    "rai:personalSensitiveInformation": "Claimants are named public figures and organisations, "
    "acting in their public roles (ministers, members of parliament, government bodies, "
    "international institutions). No private individual is named on purpose.",
    "rai:dataBiases": "The sources are few and were chosen by the curators; claims from "
    "governments and institutions dominate, and one party's assertion is often weighed against "
    "another's rather than against independent evidence.",
    "rai:dataLimitations": "A small dataset; verdicts rest on the evidence in the sources it "
    "holds, not on all that is known. Some source texts ship as quotes only (see the licensing "
    "section of the card).",
    "rai:dataUseCases": "Claim detection, claim matching across years, and evidence-based "
    "verdict prediction (the labelled config); not a judgement of any person.",
}


def _fields(
    parent: str, features: Mapping[str, Any], file_set: str, column: str | None = None
) -> list[dict[str, Any]]:
    fields = []
    for name, feature in features.items():
        field: dict[str, Any] = {"@type": "cr:Field", "@id": f"{parent}/{name}", "name": name}
        extract = (
            {"extract": {"column": column}, "transform": {"jsonPath": name}}
            if column
            else {"extract": {"column": name}}
        )
        field["source"] = {"fileSet": {"@id": file_set}, **extract}
        inner = feature
        if isinstance(feature, (List, LargeList)):
            field["repeated"] = True
            inner = feature.feature
        if isinstance(inner, dict):
            field["subField"] = _fields(f"{parent}/{name}", inner, file_set, column or name)
        else:
            field["dataType"] = _data_type(inner)
        if isinstance(inner, ClassLabel):
            field["description"] = (
                "Class label: "
                + ", ".join(f"{i} {label}" for i, label in enumerate(inner.names))
                + f"; -1 for none (the names: record set {_ENUMERATIONS[name]})."
            )
        fields.append(field)
    return fields


def _data_type(feature: Any) -> str:
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    if isinstance(feature, Value):
        return _TYPES[feature.dtype]
    raise TypeError(f"no Croissant type for {feature!r}")
