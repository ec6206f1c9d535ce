"""Time `claims validate` and `claims build` on synthetic repositories of growing size.

For each size, a repository is generated once (benchmarks/generate.py, cached under the work
folder), then each command runs as its own process. The table gives wall time, claims per
second, peak memory (the process's maximum resident set), and the ratio to the floor: merely
parsing the same YAML files with PyYAML's C loader in one process.

    python benchmarks/scale.py                     # 1k, 10k and 100k claims
    python benchmarks/scale.py 1000 10000 --work /tmp/claims-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAIMS = str(Path(sys.executable).with_name("claims"))
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def changed_since(root: Path) -> tuple[float, float]:
    """`claims validate --changed-since HEAD` after editing 10 records of a committed repository."""
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    if not (root / ".git").is_dir():
        subprocess.run([*git, "init", "--quiet"], check=True)
        subprocess.run([*git, "add", "--all"], check=True)
        subprocess.run([*git, "commit", "--quiet", "-m", "generated"], check=True)
    subprocess.run([*git, "checkout", "--quiet", "--", "claims"], check=True)
    records = sorted((root / "claims" / "records").rglob("*.yaml"))
    for path in records[:: max(1, len(records) // 10)][:10]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("claim: Claim number", "claim: Edited claim number"))
    try:
        return measure([CLAIMS, "validate", "--root", str(root), "--changed-since", "HEAD"])
    finally:
        subprocess.run([*git, "checkout", "--quiet", "--", "claims"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/claims-bench"))
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("| claims | step | wall (s) | claims/s | peak memory (MiB) | x floor |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in args.sizes:
        root = args.work / f"repo-{size}"
        if not (root / "claims" / "dataset.yaml").is_file():
            shutil.rmtree(root, ignore_errors=True)
            subprocess.run([sys.executable, HERE / "generate.py", str(size), root], check=True)
        floor, floor_memory = measure([sys.executable, "-c", FLOOR, str(root / "claims")])
        rows = [("YAML C-loader floor", floor, floor_memory)]
        for step, command in (
            ("claims validate", [CLAIMS, "validate", "--root", str(root)]),
            (
                "claims build",
                [CLAIMS, "build", "--root", str(root), "--out", str(args.work / "dist")],
            ),
        ):
            rows.append((step, *measure(command)))
        rows.append(("validate --changed-since, 10 files", *changed_since(root)))
        for step, wall, memory in rows:
            print(
                f"| {size:,} | {step} | {wall:.1f} | {size / wall:,.0f} | {memory:,.0f} "
                f"| {wall / floor:.2f} |"
            )


if __name__ == "__main__":
    main()
