"""Time `claims validate` and `claims build` on synthetic repositories of growing size.

For each size, a repository is generated once (benchmarks/generate.py, cached under the work
folder), with a second one whose every span cuts a word (a warning each). Each step runs as
its own process; the table gives wall time, claims per second, peak memory (the process's
maximum resident set), and the ratio to the floor: merely parsing the same YAML files with
PyYAML's C loader in one process. Beside it, in the same run: rapidyaml's parse of the same
files, and check-jsonschema (what a user might run instead) on a sample of 1,000 of them,
scaled to all.

    python benchmarks/scale.py                     # 1k, 10k and 100k claims
    python benchmarks/scale.py 1000 10000 --work /tmp/claims-bench
    python benchmarks/scale.py 1000000 --only validate build   # the one-off 1M run
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CLAIMS = str(BIN / "claims")
PYYAML_FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
RAPIDYAML_FLOOR = """
import sys, ryml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    ryml.parse_in_arena(path.read_bytes())
"""
SAMPLE = 1_000  # files given to check-jsonschema, which takes milliseconds per file


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def repository(work: Path, size: int, *, sloppy: bool = False) -> Path:
    root = work / f"repo-{size}{'-sloppy' if sloppy else ''}"
    if not (root / "claims" / "dataset.yaml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        flags = ["--sloppy"] if sloppy else []
        subprocess.run([sys.executable, HERE / "generate.py", str(size), root, *flags], check=True)
    return root


def _git(root: Path) -> list[str]:
    return ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]


def _committed(root: Path) -> None:
    if not (root / ".git").is_dir():
        subprocess.run([*_git(root), "init", "--quiet"], check=True)
        subprocess.run([*_git(root), "add", "--all"], check=True)
        subprocess.run([*_git(root), "commit", "--quiet", "-m", "generated"], check=True)


def _edit(root: Path, count: int) -> None:
    if not count:
        return
    records = sorted((root / "claims" / "records").rglob("*.yaml"))
    for path in records[:: max(1, len(records) // count)][:count]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("claim: Claim number", "claim: Edited claim number"))


def _restore(root: Path) -> None:
    subprocess.run([*_git(root), "checkout", "--quiet", "--", "claims"], check=True)


def changed_since(root: Path) -> tuple[float, float]:
    """`claims validate --changed-since HEAD` after editing 10 records of a committed repository."""
    _committed(root)
    _restore(root)
    _edit(root, 10)
    try:
        return measure([CLAIMS, "validate", "--root", str(root), "--changed-since", "HEAD"])
    finally:
        _restore(root)


def cached(root: Path, cache: Path, edits: int) -> tuple[float, float]:
    """`claims validate` with the cache of a previous run, after editing `edits` records."""
    env = {**os.environ, "CLAIMS_CACHE_DIR": str(cache)}
    _committed(root)
    _restore(root)
    measure([CLAIMS, "validate", "--root", str(root)], env)  # fills the cache
    _edit(root, edits)
    try:
        return measure([CLAIMS, "validate", "--root", str(root)], env)
    finally:
        _restore(root)


def check_jsonschema(root: Path) -> tuple[float, float]:
    """check-jsonschema on SAMPLE records, its time scaled to all of them."""
    records = sorted((root / "claims" / "records").rglob("*.yaml"))
    sample = records[:: max(1, len(records) // SAMPLE)][:SAMPLE]
    schema = HERE.parent / "schema" / "claim.schema.json"
    wall, memory = measure(
        [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *map(str, sample)]
    )
    return wall * len(records) / len(sample), memory


Step = tuple[str, Callable[[], tuple[float, float]]]


def steps(size: int, work: Path) -> list[Step]:
    """Every measured step at one size, the floor first."""
    root = repository(work, size)

    def sloppy() -> str:  # generated when first measured, not for runs that skip it
        return str(repository(work, size, sloppy=True))

    claims = str(root / "claims")
    cache = work / f"cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    fresh = {**os.environ, "CLAIMS_CACHE_DIR": str(cache)}
    validate = [CLAIMS, "validate", "--root", str(root)]
    return [
        ("YAML C-loader floor", lambda: measure([sys.executable, "-c", PYYAML_FLOOR, claims])),
        ("rapidyaml parse", lambda: measure([sys.executable, "-c", RAPIDYAML_FLOOR, claims])),
        (f"check-jsonschema ({SAMPLE:,} files, scaled)", lambda: check_jsonschema(root)),
        ("validate, first run", lambda: measure(validate, fresh)),
        ("validate again, nothing changed", lambda: cached(root, cache, 0)),
        ("validate, one record changed", lambda: cached(root, cache, 1)),
        (
            "validate, every record with a warning, --jobs 1",
            lambda: measure([CLAIMS, "validate", "--no-cache", "--jobs", "1", "--root", sloppy()]),
        ),
        (
            "validate, every record with a warning",
            lambda: measure([CLAIMS, "validate", "--no-cache", "--root", sloppy()]),
        ),
        ("validate --changed-since, 10 files", lambda: changed_since(root)),
        (
            "build",
            lambda: measure([CLAIMS, "build", "--root", str(root), "--out", str(work / "dist")]),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/claims-bench"))
    parser.add_argument("--only", nargs="*", help="steps whose name starts with these words")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("| claims | step | wall (s) | claims/s | peak memory (MiB) | x floor |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in args.sizes:
        floor = None
        for step, run in steps(size, args.work):
            if args.only and floor is not None and not step.startswith(tuple(args.only)):
                continue
            wall, memory = run()
            floor = floor or wall
            print(
                f"| {size:,} | {step} | {wall:.1f} | {size / wall:,.0f} | {memory:,.0f} "
                f"| {wall / floor:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
