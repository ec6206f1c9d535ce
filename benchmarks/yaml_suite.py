"""The YAML test suite (github.com/yaml/yaml-test-suite) against libyaml, rapidyaml and the
loader of `claims`.

    python benchmarks/yaml_suite.py vendor DATA LICENSE  # the `data` branch; main's License
    python benchmarks/yaml_suite.py table             # the README's conformance table

`vendor` writes the cases the tests need to tests/cases/yaml-test-suite/ (one JSON file, with
the suite's licence beside it): each case's YAML, whether the suite calls it invalid, whether
it is a plain mapping (one document, a mapping at the top, no tag, anchor, alias or
directive: what a claims file may be), and its JSON when the suite gives one.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import ryml
import yaml

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from builder.loader import Document, ParseFailure, load_bytes  # noqa: E402
from builder.rapidyaml import _quiet_stderr  # noqa: E402

VENDORED = PROJECT / "tests" / "cases" / "yaml-test-suite"


def vendor(checkout: Path, license_file: Path) -> None:
    cases = []
    for folder in sorted(checkout.iterdir()):
        if not folder.is_dir() or folder.name in {"name", "tags"}:
            continue  # `name/` and `tags/` hold links to the same cases
        for case in [s for s in sorted(folder.iterdir()) if s.is_dir()] or [folder]:
            if not (case / "in.yaml").is_file():
                continue
            title = (case / "===").read_text(encoding="utf-8") if (case / "===").exists() else ""
            title = title or (folder / "===").read_text(encoding="utf-8")
            expected = case / "in.json"
            cases.append(
                {
                    "id": case.relative_to(checkout).as_posix(),
                    "name": title.strip(),
                    "yaml": (case / "in.yaml").read_bytes().decode("utf-8"),
                    "invalid": (case / "error").exists(),
                    "plain_mapping": _plain_mapping(case),
                    "json": expected.read_text(encoding="utf-8") if expected.exists() else None,
                }
            )
    VENDORED.mkdir(parents=True, exist_ok=True)
    (VENDORED / "cases.json").write_text(
        json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    shutil.copy(license_file, VENDORED / "LICENSE")
    print(f"{len(cases)} cases written to {VENDORED.relative_to(PROJECT)}")


def _plain_mapping(case: Path) -> bool:
    events = (case / "test.event").read_text(encoding="utf-8").splitlines()
    if sum(1 for event in events if event.startswith("+DOC")) != 1:
        return False
    body = [e for e in events if not e.startswith(("+STR", "-STR", "+DOC", "-DOC"))]
    if not body or not body[0].startswith("+MAP"):
        return False
    if any(re.search(r"(^|\s)&|<[^>]*>|^=ALI", event) for event in body):
        return False
    text = (case / "in.yaml").read_text(encoding="utf-8", errors="replace")
    return not any(line.startswith("%") for line in text.splitlines())


def load_cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = json.loads((VENDORED / "cases.json").read_text("utf-8"))
    return cases


def _libyaml_reads(text: str) -> bool:
    try:
        list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return False
    return True


def _rapidyaml_reads(text: str) -> bool:
    try:
        with _quiet_stderr():
            ryml.parse_in_arena(text.encode("utf-8"))
    except ryml.ExceptionBasic:
        return False
    return True


def table() -> None:
    cases = load_cases()
    invalid = [c for c in cases if c["invalid"]]
    plain = [c for c in cases if not c["invalid"] and c["plain_mapping"]]
    with_json = [c for c in plain if c["json"] is not None]
    print(
        f"| reader | invalid cases refused (of {len(invalid)}) | valid plain mappings without "
        f"a syntax error (of {len(plain)}) | read as the suite's JSON says (of {len(with_json)}) |"
    )
    print("|---|---:|---:|---:|")
    for name, reads in (
        ("libyaml (PyYAML's C parser)", _libyaml_reads),
        (f"rapidyaml {ryml.version}", _rapidyaml_reads),
    ):
        refused = sum(1 for c in invalid if not reads(str(c["yaml"])))
        read = sum(1 for c in plain if reads(str(c["yaml"])))
        print(f"| {name} | {refused} | {read} | |")
    refused = sum(1 for c in invalid if not isinstance(_claims(c), Document))
    read = sum(1 for c in plain if not _syntax_error(_claims(c)))
    same = 0
    for case in with_json:
        loaded = _claims(case)
        same += isinstance(loaded, Document) and loaded.data == json.loads(str(case["json"]))
    print(f"| claims (libyaml, then rapidyaml's opinion) | {refused} | {read} | {same} |")


def _syntax_error(loaded: object) -> bool:
    return isinstance(loaded, ParseFailure) and any(p.code == "L004" for p in loaded.problems)


def _claims(case: dict[str, object]) -> object:
    return load_bytes(str(case["yaml"]).encode("utf-8"), "case.yaml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    vendoring = commands.add_parser("vendor")
    vendoring.add_argument("checkout", type=Path)
    vendoring.add_argument("license", type=Path)
    commands.add_parser("table")
    args = parser.parse_args()
    if args.command == "vendor":
        vendor(args.checkout, args.license)
    else:
        table()


if __name__ == "__main__":
    main()
