"""Reading a repository: every file read or reported, and the same result from one process
or several."""

from __future__ import annotations

import concurrent.futures
import datetime
import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from builder.layout import Layout
from builder.repository import PARALLEL_FROM
from builder.validation import validate
from tests.conftest import CASES, PROJECT, found

_spec = importlib.util.spec_from_file_location("generate", PROJECT / "benchmarks" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)
TODAY = datetime.date(2026, 11, 23)
GOOD = CASES / "good" / "death-penalty-removed.yaml"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository big enough for the process pool, with problems of every layer
    spread over its records."""
    root = tmp_path_factory.mktemp("synthetic")
    generate.generate(PARALLEL_FROM + 300, root)
    records = sorted((root / "claims" / "records").rglob("*.yaml"))
    breakages = [
        ("claim_date: ", "claim_date: 2021-02-30 #"),  # not a real date
        ("topics:", "topicz:"),  # unknown field, missing field
        ("id: ", "id: &anchor "),  # an anchor: the careful loader
        ("quote: ", "quote: 'not the quote' #"),  # quote differs from the source
        ("kind: person", "kind: person\n  kind: organization"),  # duplicate key
    ]
    for index, (old, new) in enumerate(breakages):
        path = records[index * 97 + 5]
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    shutil.copy(records[3], records[3].parent.parent / records[3].name)  # a duplicate id
    return root


def test_parallel_and_serial_validation_report_the_same_problems_in_the_same_order(
    synthetic: Path,
) -> None:
    serial = validate(Layout(synthetic), jobs=1)
    parallel = validate(Layout(synthetic), jobs=2)
    assert serial.errors >= 6
    assert parallel.problems == serial.problems
    assert parallel.files == serial.files
    codes = {problem.code for problem in serial.problems}
    assert {"S005", "S002", "L006", "A002", "L005", "R002"} <= codes


def test_missing_repository_files_are_named(repo: Path) -> None:
    (repo / "claims" / "dataset.yaml").unlink()
    (repo / "claims" / "sources" / "elkz-2023-03-11.txt").unlink()
    assert found(validate(Layout(repo), TODAY)) == [
        ("claims/dataset.yaml", "L013", 1),
        ("claims/sources/elkz-2023-03-11.yaml", "R007", 1),
    ]


def test_workers_are_capped_by_cores_and_by_work(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counting(max_workers: int, **options: Any) -> concurrent.futures.ProcessPoolExecutor:
        started.append(max_workers)
        return real(max_workers=max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting)
    validate(Layout(synthetic), jobs=10_000)
    assert started and started[0] <= (os.cpu_count() or 1)
