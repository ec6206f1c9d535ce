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
    document = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
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
    }
    if released:
        document["datePublished"] = released
    if metadata.repo_id:
        document["url"] = f"https://huggingface.co/datasets/{metadata.repo_id}"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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
                + "; -1 for none."
            )
        fields.append(field)
    return fields


def _data_type(feature: Any) -> str:
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    if isinstance(feature, Value):
        return _TYPES[feature.dtype]
    raise TypeError(f"no Croissant type for {feature!r}")
