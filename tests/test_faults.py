"""Bad luck at every step: for each command that writes several files, the N-th write, fsync or
rename fails with ENOSPC or EIO, or the process is killed right there, for every N. The
repository (or the build folder) is then the old state or the new one, never in between, and
the next run leaves no trace of the accident."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pyarrow.parquet as pq
import pytest

from builder import state, writing
from builder.cli import main
from tests.conftest import MINI, Ran, git

# Names the tool gives what it writes meanwhile beside the files: temporary files and the hidden
# folders of a build. (The journal and the locks live in the git directory.)
TRANSIENT = (".claims-", ".partial-", ".previous-")


@attrs.define
class Faults:
    """Counts the writes, fsyncs and renames of a run, and makes the N-th one fail."""

    failing: int = 0
    errno: int = errno.ENOSPC
    count: int = 0

    def hit(self) -> None:
        self.count += 1
        if self.count == self.failing:
            raise OSError(self.errno, os.strerror(self.errno))


Patch = Callable[[object, str, object], None]


def count_writes(hit: Callable[[], None], patch: Patch) -> None:
    """Make `hit` run before every way the tool writes: opening a file for writing, writing,
    fsync, rename, swapping folders, writing a parquet table. `patch` replaces an attribute
    (monkeypatch.setattr in a test, setattr in a process that is about to die)."""
    real_open, real_os_open = io.open, os.open

    def opening(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if any(flag in mode for flag in "wax+"):
            hit()
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    def os_opening(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            hit()
        return real_os_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def counted(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            hit()
            return real(*args, **kwargs)

        return call

    patch(io, "open", opening)
    patch(builtins, "open", opening)
    patch(os, "open", os_opening)
    for name in ("write", "fsync", "replace", "rename"):
        patch(os, name, counted(getattr(os, name)))
    patch(pq.ParquetWriter, "write_table", counted(pq.ParquetWriter.write_table))
    patch(writing, "exchange", counted(writing.exchange))


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    """Every write of the test counted, the chosen one failing."""
    state = Faults()
    count_writes(state.hit, monkeypatch.setattr)
    return state


def _tree(folder: Path, *, transient: bool = True) -> dict[str, bytes | int]:
    """Every file below `folder` (git's own aside) with its bytes, and its mode."""
    found: dict[str, bytes | int] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name.startswith(".git/") or name == ".git":
            continue
        if not transient and _transient(name):
            continue
        if path.is_file() and not path.is_symlink():
            found[name] = path.read_bytes()
            found[name + " (mode)"] = path.stat().st_mode
    return found


# The commands, each with how to prepare a repository for it ----------------------------------


def _repository(where: Path) -> Path:
    root = where / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    shutil.copy(MINI / "CHANGELOG.md", root / "CHANGELOG.md")
    git(where, "init", "--quiet", "--initial-branch=main", str(root))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Release 1.2.3")
    (root / "claims" / "records" / "2024" / "cafe-talks-continue-2024.yaml").chmod(0o444)
    return root


def _prepare_fmt(root: Path) -> list[str]:
    for record in sorted((root / "claims" / "records" / "2024").glob("*.yaml"))[:3]:
        record.chmod(0o644)
        text = record.read_text(encoding="utf-8").replace("topics: [", "topics:    [")
        record.write_text(text, encoding="utf-8")
    return ["fmt", "--root", str(root)]


def _prepare_new(root: Path) -> list[str]:
    return ["new", "--root", str(root), "--source", "mini-report-2024", "--quote",
            "abolished the death penalty", "--id", "law-abolished", "--folder", "2025"]  # fmt: skip


def _prepare_add_source(root: Path) -> list[str]:
    text = root.parent / "statement.txt"
    text.write_bytes(
        "Statement\u00a0of 5 May 2024: 18 people are political prisoners.\r\n".encode()
    )
    return ["add-source", str(text), "--root", str(root), "--id", "statement-2024", "--title",
            "Statement", "--publisher", "Ministry", "--published", "2024-05-05", "--language",
            "en"]  # fmt: skip


def _prepare_reanchor(root: Path) -> list[str]:
    source = root / "claims" / "sources" / "mini-report-2024.txt"
    revised = root.parent / "revised.txt"
    revised.write_bytes(b"Preface.\n" + source.read_bytes())
    return ["reanchor", "--root", str(root), "mini-report-2024", str(revised), "--date",
            "2026-11-22"]  # fmt: skip


def _prepare_release(root: Path) -> list[str]:
    record = root / "claims" / "records" / "2024" / "talks-outcome-unknown-2024.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "notes: Checked again.\n")
    git(root, "commit", "--quiet", "-am", "A correction")
    return ["release", "--root", str(root), "--date", "2026-11-22"]


def _prepare_build(root: Path) -> list[str]:
    assert main(["build", "--root", str(root), "--out", str(root / "dist")]) == 0
    record = root / "claims" / "records" / "2024" / "talks-outcome-unknown-2024.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "notes: Checked again.\n")
    return ["build", "--root", str(root), "--out", str(root / "dist")]


COMMANDS = {
    "fmt": _prepare_fmt,
    "new": _prepare_new,
    "add-source": _prepare_add_source,
    "reanchor": _prepare_reanchor,
    "release": _prepare_release,
    "build": _prepare_build,
}


@attrs.frozen
class Scene:
    """A prepared repository (copied for each try), its command, and the states it may be in."""

    original: Path
    args: list[str]
    old: dict[str, bytes | int]
    new: dict[str, bytes | int]
    writes: int

    def fresh(self, where: Path) -> tuple[Path, list[str]]:
        root = where / "repo"
        shutil.copytree(self.original, root, symlinks=True)
        args = [arg.replace(str(self.original), str(root)) for arg in self.args]
        return root, args


def _scene(command: str, where: Path, faults: Faults) -> Scene:
    original = _repository(where / "original")
    args = COMMANDS[command](original)
    old = _tree(original)
    clean = where / "clean"
    clean.mkdir()
    shutil.copytree(original, clean / "repo", symlinks=True)
    clean_args = [arg.replace(str(original), str(clean / "repo")) for arg in args]
    faults.count = 0
    assert main(clean_args) == 0
    writes = faults.count
    return Scene(original, args, old, _tree(clean / "repo"), writes)


def _settle(root: Path, args: list[str]) -> None:
    """The next run: any command that opens the repository (a build must build)."""
    if args[0] == "build":
        assert main(args) == 0
    else:
        main(["validate", "--root", str(root)])


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_a_failing_write_leaves_the_old_state_or_the_new(  # noqa: PLR0917
    command: str,
    error: int,
    tmp_path: Path,
    faults: Faults,
    no_git_config: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scene = _scene(command, tmp_path, faults)
    assert scene.writes >= 1
    for failing in range(1, scene.writes + 1):
        root, args = scene.fresh(tmp_path / f"try-{failing}")
        faults.count, faults.failing, faults.errno = 0, failing, error
        code = main(args)
        faults.failing = 0
        err = capsys.readouterr().err
        assert "Traceback" not in err and code in (0, 2), (failing, code, err)
        _assert_old_new_or_decided(root, scene, failing)
        _settle(root, args)
        if _tree(root) == scene.old:  # nothing was written: running again writes it all
            assert main(args) == 0, (failing, capsys.readouterr())
        assert _tree(root) == scene.new, failing


def _assert_old_new_or_decided(root: Path, scene: Scene, failing: int) -> None:
    """The files are in the old state or the new, apart from the tool's own transient files;
    or the journal holds a decided write, which every claims command finishes before it reads
    anything (so no command ever sees the state in between)."""
    after = _tree(root, transient=False)
    journal = state.of_repository(root).journal
    decided = journal.is_file() and '"committed"' in journal.read_text(encoding="utf-8")
    assert after in (_visible(scene.old), _visible(scene.new)) or decided, failing


def _transient(name: str) -> bool:
    return any(mark in part for part in Path(name).parts for mark in TRANSIENT)


def _visible(tree: dict[str, bytes | int]) -> dict[str, bytes | int]:
    return {k: v for k, v in tree.items() if not _transient(k)}


def kill_at(failing: int) -> None:
    """In a child process: die at the `failing`-th write, fsync or rename, the way a killed
    process dies (no cleanup, no finally)."""
    count = [0]

    def hit() -> None:
        count[0] += 1
        if count[0] == failing:
            os._exit(137)

    count_writes(hit, setattr)


def _killed(args: list[str], failing: int) -> Ran:
    """Run the command in a forked child (everything already imported, so each try is quick)
    that dies at the `failing`-th write; how it ended, and what it printed."""
    reading, writing_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child never returns to pytest)
        os.close(reading)
        sys.stdout = sys.stderr = os.fdopen(writing_end, "w", buffering=1)
        code = 99  # an exception escaped main(): a traceback, which the parent reports
        try:
            kill_at(failing)
            code = int(main(args))
        finally:
            os._exit(code)
    os.close(writing_end)
    with os.fdopen(reading) as output:
        printed = output.read()
    _, status = os.waitpid(child, 0)
    return Ran(os.waitstatus_to_exitcode(status), "", printed)


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_killed_command_leaves_the_old_state_or_the_new_and_the_next_run_cleans_up(
    command: str, tmp_path: Path, faults: Faults, no_git_config: None
) -> None:
    scene = _scene(command, tmp_path, faults)
    faults.failing = 0
    killed = 0
    for failing in range(1, scene.writes + 1):
        root, args = scene.fresh(tmp_path / f"try-{failing}")
        result = _killed(args, failing)
        assert result.returncode in (137, 0), (failing, result.stderr)
        killed += result.returncode == 137
        assert "Traceback" not in result.stderr
        _assert_old_new_or_decided(root, scene, failing)
        _settle(root, args)
        if _tree(root) == scene.old:
            assert main(args) == 0, failing
        assert _tree(root) == scene.new, failing
    assert killed == scene.writes  # every try died where it was meant to


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 512 KiB (tmpfs), for root only."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a size-limited tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this system does not let tests mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_leaves_the_repository_as_it_was(
    small_disk: Path, no_git_config: None, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repository(small_disk)
    args = _prepare_reanchor(root)
    old = _tree(root)
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as stream:  # fill the disk to the last block
        try:
            while True:
                stream.write(b"\0" * 1024)
        except OSError:
            pass
    assert main(args) == 2
    assert "No space left on device" in capsys.readouterr().err
    filler.unlink()
    main(["validate", "--root", str(root)])
    assert _tree(root) == old
    assert main(args) == 0
    assert _tree(root) != old
