"""Mutation testing of the modules where a wrong answer is silent, one module at a time.

mutmut changes one thing at a time in a module (a `<` to `<=`, a constant, a condition, a
returned value) and runs the tests that exercise it; a change no test notices is a survivor: a
behaviour nothing checks. Each module runs in a scratch clone of the repository's HEAD (mutmut
rewrites the code it tests), with the tests listed here for it, so a run takes minutes, not
hours; a survivor is then worth checking against the whole suite before writing its test.

    .venv/bin/pip install -q mutmut
    .venv/bin/python benchmarks/mutation.py dates rows splits   # score and survivors of each
    .venv/bin/python benchmarks/mutation.py --keep loader       # keep the clone: mutmut show

Not run in CI: the loader alone has about a thousand mutants.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The tests that exercise each module (every test that imports it or runs it through the
# command line), so that a mutant is judged by the tests that could notice it.
TESTS = {
    "loader": ["test_loader.py", "test_hostile.py", "test_bad_cases.py", "test_fuzz.py"],
    "anchoring": ["test_anchoring.py", "test_checks.py", "test_locate.py", "test_rows.py"],
    "reanchoring": ["test_reanchoring.py", "test_reanchor.py"],
    "reanchor": ["test_reanchor.py"],
    "checks": ["test_checks.py", "test_validation.py", "test_bad_cases.py"],
    "dates": ["test_dates.py", "test_checks.py", "test_claimreview.py"],
    "splits": ["test_dataset.py", "test_release.py"],
    "rows": ["test_rows.py", "test_dataset.py", "test_diff.py"],
    "diff": ["test_diff.py", "test_release.py"],
    "writing": ["test_writing.py", "test_state.py", "test_dataset.py", "test_site.py"],
    "cache": ["test_cache.py", "test_state.py"],
    "validation": [
        *("test_cache.py", "test_validation.py", "test_bad_cases.py"),
        *("test_new.py", "test_add_source.py"),
    ],
    "rapidyaml": ["test_loader.py", "test_yaml_agreement.py", "test_hostile.py"],
    "site/html": ["test_site.py"],
    "dataset/card": ["test_dataset.py", "test_markdown.py", "test_hostile.py"],
}
# What the tests read besides builder/ and tests/ (mutmut copies only those two): the data,
# the documents (the changelog dates a release), the history, and builder/schema, a symlink
# mutmut does not follow.
ALSO_COPY = [
    *("builder/schema", "schema", "claims", "benchmarks", "docs", ".git", ".github", ".ci"),
    *("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "REVIEWING.md", "SECURITY.md"),
    *(".vscode", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml", ".gitattributes"),
    ".gitignore",
]


def run(module: str, jobs: int, keep: bool) -> dict[str, object]:
    """Mutate one module in a scratch clone; its counts, score and survivors."""
    scratch = Path(tempfile.mkdtemp(prefix=f"claims-mutation-{module.replace('/', '-')}-"))
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(scratch)], check=True)
        settings = {
            "source_paths": ["builder"],
            "only_mutate": [f"builder/{module}.py"],
            "also_copy": ALSO_COPY,
            "pytest_add_cli_args_test_selection": [f"tests/{t}" for t in TESTS[module]],
            # One process (mutmut forks its own), the same examples every run, no browser.
            "pytest_add_cli_args": [
                *("-n", "0", "-p", "no:cacheprovider", "-m", "not slow"),
                "--hypothesis-profile=ci",
            ],
            # A mutant that loops forever is a kill; waiting 15 times the tests' time is waste.
            "timeout_multiplier": 3,
        }
        with (scratch / "pyproject.toml").open("a", encoding="utf-8") as config:
            config.write("\n[tool.mutmut]\n")
            for key, value in settings.items():
                config.write(f"{key} = {json.dumps(value)}\n")
        mutmut = str(Path(sys.executable).with_name("mutmut"))
        subprocess.run(
            [mutmut, "run", "--max-children", str(jobs)],
            cwd=scratch,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        listed = subprocess.run(
            [mutmut, "results", "--all", "true"],
            cwd=scratch,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        status = dict(re.findall(r"^\s*(\S+): (.+)$", listed, flags=re.MULTILINE))
        killed = sum(1 for s in status.values() if s in ("killed", "timeout"))
        survivors = sorted(name for name, s in status.items() if s not in ("killed", "timeout"))
        shown = {
            name: subprocess.run(
                [mutmut, "show", name], cwd=scratch, capture_output=True, text=True, check=True
            ).stdout
            for name in survivors
        }
        return {
            "module": module,
            "mutants": len(status),
            "killed": killed,
            "score": round(killed / len(status), 3) if status else None,
            "survivors": shown,
            "clone": str(scratch) if keep else None,
        }
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", choices=sorted(TESTS))
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="keep each scratch clone")
    parser.add_argument("--json", action="store_true", help="everything, as JSON")
    args = parser.parse_args()
    results = [run(module, args.jobs, args.keep) for module in args.modules]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    for result in results:
        print(
            f"builder/{result['module']}.py: {result['killed']} of {result['mutants']} "
            f"mutants killed ({result['score']:.1%})"
        )
        for name, diff in dict(result["survivors"]).items():  # type: ignore[call-overload]
            print(f"  survived: {name}\n" + "".join(f"    {line}\n" for line in diff.splitlines()))
        if result["clone"]:
            print(f"  clone kept at {result['clone']}")


if __name__ == "__main__":
    main()
