"""The `claims` command as a whole: the same exit code for the same situation in every command,
internal errors as one line, and the installed program working from anywhere."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.layout import Layout
from tests.conftest import CASES, PROJECT, Ran, Run, git

MINI = CASES / "dataset"
RECORD = "claims/records/2024/cafe-talks-continue-2024.yaml"

# How each situation ends, in every command that can meet it.
OK, INVALID, USAGE, INTERNAL = 0, 1, 2, 3


@pytest.fixture
def world(tmp_path: Path, no_git_config: None, claims: Run) -> dict[str, Path]:
    """A committed fixture repository, a broken copy, a folder that is no repository, a build,
    a bare git repository to publish to, and the text files the commands read."""
    good = tmp_path / "good"
    shutil.copytree(MINI / "claims", good / "claims")
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(good))
    git(good, "add", "--all")
    git(good, "commit", "--quiet", "-m", "Fixture")
    broken = tmp_path / "broken"
    shutil.copytree(good / "claims", broken / "claims")
    record = broken / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("start:", "begin:", 1))
    plain = tmp_path / "plain"
    plain.mkdir()
    built = Path(claims("build", "--root", good, "--out", tmp_path / "dist").stdout.strip())
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    text = tmp_path / "statement.txt"
    text.write_text("The minister said that 18 people are political prisoners.\n")
    source = good / "claims" / "sources" / "mini-report-2024.txt"
    revised = tmp_path / "revised.txt"
    revised.write_bytes(source.read_bytes().replace(b"talks would continue", b"talks ended"))
    return {
        "good": good,
        "broken": broken,
        "plain": plain,
        "built": built,
        "bare": bare,
        "text": text,
        "revised": revised,
        "missing": tmp_path / "no-such-file",
    }


# Each case: the command line (with {names} from `world`), and the exit code it must give.
CASES_BY_COMMAND: dict[str, list[tuple[str, str, int]]] = {
    "validate": [
        ("valid", "validate --root {good}", OK),
        ("invalid data", "validate --root {broken}", INVALID),
        ("bad option", "validate --root {good} --format xml", USAGE),
        ("missing file", "validate --root {good} {missing}", USAGE),
        ("not a repository", "validate --root {plain}", USAGE),
        ("unknown revision", "validate --root {good} --changed-since no-such-rev", USAGE),
        ("option as a revision", "validate --root {good} --changed-since=--output=x", USAGE),
        ("not a git repository", "validate --root {broken} --changed-since HEAD", USAGE),
    ],
    "locate": [
        ("found", "locate --root {good} mini-report-2024 political", OK),
        ("not in the data", "locate --root {good} mini-report-2024 astronauts", INVALID),
        ("unknown id", "locate --root {good} no-such-source words", USAGE),
        ("not an id", "locate --root {good} ../../etc/passwd root", USAGE),
        ("not a repository", "locate --root {plain} mini-report-2024 words", USAGE),
        ("bad option", "locate --root {good}", USAGE),
    ],
    "new": [
        (
            "written",
            "new --root {good} --source mini-report-2024 --quote 'abolished the death penalty' "
            "--id law-abolished",
            OK,
        ),
        (
            "not in the data",
            "new --root {good} --source mini-report-2024 --quote astronauts",
            INVALID,
        ),
        ("unknown id", "new --root {good} --source no-such-source --quote words", USAGE),
        (
            "existing id",
            "new --root {good} --source mini-report-2024 --quote Report --id "
            "cafe-talks-continue-2024",
            USAGE,
        ),
        ("not a repository", "new --root {plain} --source s --quote q", USAGE),
        ("bad option", "new --root {good} --quote words", USAGE),
    ],
    "fmt": [
        ("canonical", "fmt --root {good} --check", OK),
        ("not canonical", "fmt --root {broken} --check", INVALID),
        ("missing file", "fmt --root {good} {missing}", USAGE),
        ("not a repository", "fmt --root {plain}", USAGE),
    ],
    "show": [
        ("shown", "show --root {good} cafe-talks-continue-2024", OK),
        ("invalid data", "show --root {broken} cafe-talks-continue-2024", INVALID),
        ("unknown id", "show --root {good} no-such-claim", USAGE),
        ("not an id", "show --root {good} '*'", USAGE),
        ("not a repository", "show --root {plain} cafe-talks-continue-2024", USAGE),
    ],
    "build": [
        ("built", "build --root {good} --out {plain}/out", OK),
        ("invalid data", "build --root {broken} --out {plain}/out", INVALID),
        ("not a repository", "build --root {plain}", USAGE),
        ("bad option", "build --root {good} --jobs 0", USAGE),
    ],
    "site": [
        ("written", "site --root {good} --out {plain}/site", OK),
        ("invalid data", "site --root {broken} --out {plain}/site", INVALID),
        ("not a repository", "site --root {plain}", USAGE),
        ("not a git repository", "site --root {broken} --compare HEAD", USAGE),
        ("bad option", "site --root {good} --jobs 0", USAGE),
    ],
    "diff": [
        ("compared", "diff --root {good} HEAD {good}", OK),
        ("two builds", "diff {built} {built}", OK),
        ("unknown revision", "diff --root {good} no-such-rev HEAD", USAGE),
        ("option as a revision", "diff --root {good} -- --output=x HEAD", USAGE),
        ("not a git repository", "diff --root {plain} HEAD HEAD", USAGE),
    ],
    "release": [
        ("released", "release --root {good} --date 2026-11-22", OK),
        ("invalid data", "release --root {broken}", INVALID),
        ("bad option", "release --root {good} --bump huge", USAGE),
        ("not a repository", "release --root {plain}", USAGE),
    ],
    "publish": [
        ("published", "publish {built} --git {bare}", OK),
        ("missing folder", "publish {missing} --git {bare}", USAGE),
        ("not a build", "publish {plain} --git {bare}", USAGE),
        ("unknown target", "publish {built} --git {missing}", USAGE),
        ("bad option", "publish {built}", USAGE),
    ],
    "add-source": [
        ("added", "add-source {text} --root {good} --id statement-2024", OK),
        ("missing file", "add-source {missing} --root {good} --id statement-2024", USAGE),
        ("existing id", "add-source {text} --root {good} --id mini-report-2024", USAGE),
        ("not an id", "add-source {text} --root {good} --id ../x", USAGE),
        ("not a repository", "add-source {text} --root {plain} --id statement-2024", USAGE),
    ],
    "reanchor": [
        ("settled", "reanchor --root {good} mini-report-2024 {text} --dry-run", INVALID),
        ("revised", "reanchor --root {good} mini-report-2024 {revised} --dry-run", OK),
        ("invalid data", "reanchor --root {broken} mini-report-2024 {revised}", INVALID),
        ("unknown id", "reanchor --root {good} no-such-source {revised}", USAGE),
        ("missing file", "reanchor --root {good} mini-report-2024 {missing}", USAGE),
        ("not a repository", "reanchor --root {plain} mini-report-2024 {revised}", USAGE),
    ],
}
EXIT_CASES = [
    pytest.param(situation, line, code, id=f"{command}: {situation}")
    for command, cases in CASES_BY_COMMAND.items()
    for situation, line, code in cases
]


def _split(line: str, names: dict[str, Path]) -> list[str]:
    """Words split at spaces, except inside single quotes; {names} filled in."""
    return [word.format(**names) for word in shlex.split(line)]


@pytest.mark.parametrize(("situation", "line", "code"), EXIT_CASES)
def test_every_command_gives_the_same_code_for_the_same_situation(
    world: dict[str, Path], claims: Run, situation: str, line: str, code: int
) -> None:
    result = claims(*_split(line, world))
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if code == USAGE:  # one line says what is wrong: argparse's own, or ours
        assert ": error: " in result.stderr.splitlines()[-1]


def test_every_command_is_covered_by_the_exit_code_table() -> None:
    from builder.cli import COMMANDS  # noqa: PLC0415

    names = {module.__name__.rsplit(".", 1)[1].replace("_", "-") for module in COMMANDS}
    assert names == set(CASES_BY_COMMAND)


def test_an_unreachable_hub_is_an_environment_error(
    world: dict[str, Path], claims_process: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    result = claims_process("publish", world["built"], "--repo-id", "owner/name")
    assert result.returncode == USAGE, result.stderr
    assert "the Hub refused or could not be reached" in result.stderr
    assert "Traceback" not in result.stderr


# An internal error: a bug, not the user's doing ---------------------------------------------


def _explode(*args: object, **kwargs: object) -> None:
    raise ValueError("an invariant broke\nacross two lines")


INTERNAL_CASES = {
    "validate": ("builder.validation.read_repository", "validate --root {good}"),
    "locate": ("builder.anchoring.locate", "locate --root {good} mini-report-2024 talks"),
    "new": ("builder.cli.new.create_record", "new --root {good} --source s --quote q"),
    "fmt": ("builder.fmt.format_repository", "fmt --root {good}"),
    "show": ("builder.cli.show.render_claim", "show --root {good} cafe-talks-continue-2024"),
    "build": ("builder.cli.common.validate", "build --root {good}"),
    "diff": ("builder.cli.diff.snapshot", "diff HEAD HEAD"),
    "release": ("builder.cli.release.release", "release --root {good}"),
    "publish": ("builder.publish.Built.read", "publish {built} --git {bare}"),
    "add-source": ("builder.cli.add_source.add_source", "add-source {text} --root {good} --id x"),
    "reanchor": ("builder.reanchor.plan", "reanchor --root {good} mini-report-2024 {revised}"),
}


@pytest.mark.parametrize("command", sorted(INTERNAL_CASES))
def test_an_internal_error_is_one_line_and_exit_3(
    world: dict[str, Path], claims: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    target, line = INTERNAL_CASES[command]
    monkeypatch.setattr(target, _explode)
    result = claims(*_split(line, world))
    assert result.returncode == INTERNAL
    assert result.stderr.splitlines() == [
        "claims: internal error: ValueError: an invariant broke across two lines "
        "(run again with --debug or CLAIMS_DEBUG=1 to see the traceback)"
    ]


@pytest.mark.parametrize(
    "turn_on",
    [
        lambda args, env: (["--debug", *args], env),
        lambda args, env: ([*args, "--debug"], env),
        lambda args, env: (args, env.setenv("CLAIMS_DEBUG", "1")),
    ],
    ids=["--debug first", "--debug after the command", "CLAIMS_DEBUG=1"],
)
def test_debug_shows_the_traceback(
    world: dict[str, Path],
    claims: Run,
    monkeypatch: pytest.MonkeyPatch,
    turn_on: Callable[[list[str], pytest.MonkeyPatch], tuple[list[str], object]],
) -> None:
    monkeypatch.setattr("builder.validation.read_repository", _explode)
    args, _ = turn_on(["validate", "--root", str(world["good"])], monkeypatch)
    result = claims(*args)
    assert result.returncode == INTERNAL
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise ValueError("an invariant broke' in result.stderr


def test_an_interrupted_write_is_finished_by_the_next_command(
    world: dict[str, Path], claims: Run
) -> None:
    """A write of several files that was decided but not finished (the journal says
    committed) is completed by whatever command runs next, which says so."""
    layout = Layout(world["good"])
    record = layout.path(RECORD)
    temporary = record.with_name(f".{record.name}.claims-00000000.tmp")
    temporary.write_text(record.read_text(encoding="utf-8").replace("would", "will"))
    files = [[str(temporary.relative_to(layout.root)), RECORD]]
    layout.state.folder.mkdir(parents=True, exist_ok=True)
    layout.state.journal.write_text(json.dumps({"state": "committed", "files": files}))
    result = claims("validate", "--root", world["good"])
    assert "claims: finished an interrupted write of 1 files" in result.stderr
    assert "will continue" in record.read_text(encoding="utf-8")
    assert not temporary.exists() and not layout.state.journal.exists()


# The installed program --------------------------------------------------------------------


def test_the_installed_command_validates_from_another_directory(
    tmp_path: Path, claims_process: Run
) -> None:
    result = claims_process("validate", "--root", PROJECT, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("0 errors, 0 warnings\n")


def test_the_installed_command_carries_its_schemas(tmp_path: Path, claims_process: Run) -> None:
    """`pip install` alone is enough: nothing is read from the project's schema/ folder."""
    shutil.copytree(PROJECT / "claims", tmp_path / "claims")
    result = claims_process("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_installed_command_reports_usage_errors_without_a_traceback(
    tmp_path: Path, claims_process: Run
) -> None:
    result: Ran = claims_process("validate", "--root", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("claims: error: ") and "no claims/ folder" in result.stderr


@pytest.mark.parametrize(
    ("held", "line"),
    [
        ("", "fmt --root {good}"),
        ("", "new --root {good} --source mini-report-2024 --quote Report --id r"),
        ("", "release --root {good}"),
        ("1.2.3", "build --root {good} --out {out}"),
        (".", "site --root {good} --out {out}"),
    ],
)
def test_two_writers_never_write_at_once(
    world: dict[str, Path], claims: Run, tmp_path: Path, held: str, line: str
) -> None:
    """The repository's lock, or the lock of the output folder a command writes (`held`)."""
    from builder import state  # noqa: PLC0415
    from builder.writing import lock  # noqa: PLC0415

    out = tmp_path / "out"
    repository = state.of_repository(world["good"]).lock
    output = state.of_output(out / held, world["good"]) / "lock"
    with lock(output if held else repository, "it"):
        result = claims(*_split(line, {**world, "out": out}))
    assert result.returncode == USAGE
    assert "another claims command is writing" in result.stderr
    assert "process " in result.stderr
