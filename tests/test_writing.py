"""The one way files are written: atomically, keeping their modes, several all or nothing, and
an interrupted write finished or undone by the next run."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from builder import writing
from builder.errors import ExternalError, UsageError
from builder.state import State
from builder.writing import FileWrite, recover, write_file, write_files


def _state(root: Path) -> State:
    """The state folder of a repository at `root`, as the tool keeps it: outside the files."""
    folder = root.parent / f"{root.name}-state"
    folder.mkdir(exist_ok=True)
    return State(root, folder)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o444, 0o664])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "record.yaml"
    path.write_text("old\n")
    path.chmod(mode)
    write_file(FileWrite(path, b"new\n"))
    assert (path.read_bytes(), _mode(path)) == (b"new\n", mode)
    write_files([FileWrite(path, b"newer\n"), FileWrite(tmp_path / "b", b"b")], _state(tmp_path))
    assert (path.read_bytes(), _mode(path)) == (b"newer\n", mode)


def test_a_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_file(FileWrite(tmp_path / "new.yaml", b"x", new=True))
    finally:
        os.umask(umask)
    assert _mode(tmp_path / "new.yaml") == 0o644


def test_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    target = tmp_path / "target.yaml"
    target.write_text("kept\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="does not write through links"):
        write_file(FileWrite(link, b"changed\n"))
    assert target.read_text() == "kept\n" and link.is_symlink()


def test_an_existing_file_is_never_overwritten_when_a_new_one_is_asked_for(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("kept")
    with pytest.raises(UsageError, match="never overwritten"):
        write_files(
            [FileWrite(tmp_path / "b", b"b", new=True), FileWrite(tmp_path / "a", b"x", new=True)],
            _state(tmp_path),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert (tmp_path / "a").read_text() == "kept"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("failing", range(4))
def test_a_failure_while_preparing_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    for name in "abc":
        (tmp_path / name).write_text(f"old {name}")
    before = _files(tmp_path)
    real = writing._write_temporary
    calls = []

    def full_disk(path: Path, content: bytes, mode: int) -> None:
        calls.append(path)
        if len(calls) > failing:
            raise OSError(28, "No space left on device", str(path))
        real(path, content, mode)

    monkeypatch.setattr(writing, "_write_temporary", full_disk)
    writes = [FileWrite(tmp_path / name, f"new {name}".encode()) for name in "abc"]
    with pytest.raises(ExternalError, match=r"No space left on device.*nothing was changed"):
        write_files(writes, _state(tmp_path))
    assert _files(tmp_path) == before


def test_a_write_interrupted_after_its_decision_is_finished_by_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in "abc":
        (tmp_path / name).write_text(f"old {name}")
    renamed = []
    real = Path.replace

    def killed(self: Path, target: Path) -> Path:
        if Path(target).parent == tmp_path and Path(target).name in "abc":
            if renamed:
                raise KeyboardInterrupt  # the process dies after the first file's rename
            renamed.append(target)
        return real(self, target)

    monkeypatch.setattr(Path, "replace", killed)
    writes = [FileWrite(tmp_path / name, f"new {name}".encode()) for name in "abc"]
    with pytest.raises(KeyboardInterrupt):
        write_files(writes, _state(tmp_path))
    monkeypatch.undo()
    assert json.loads(_state(tmp_path).journal.read_text())["state"] == "committed"
    assert recover(_state(tmp_path)) == "finished an interrupted write of 3 files"
    assert _files(tmp_path) == {name: f"new {name}".encode() for name in "abc"}
    assert recover(_state(tmp_path)) is None


def test_a_write_interrupted_before_its_decision_is_undone_by_recover(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old a")
    temporary = tmp_path / ".a.claims-00000000.tmp"
    temporary.write_text("new a")
    _state(tmp_path).journal.write_text(
        json.dumps({"state": "prepared", "files": [[temporary.name, "a"]]})
    )
    assert recover(_state(tmp_path)) == (
        "undid an interrupted write: its 1 files were left as they were"
    )
    assert _files(tmp_path) == {"a": b"old a"}


def test_a_damaged_journal_is_reported_not_trusted(tmp_path: Path) -> None:
    _state(tmp_path).journal.write_text('{"state": "comm')
    with pytest.raises(ExternalError, match="is damaged"):
        recover(_state(tmp_path))


def test_a_second_writer_is_refused_and_told_who_holds_the_lock(tmp_path: Path) -> None:
    with writing.lock(tmp_path / "lock", "the repository"):
        with (
            pytest.raises(writing.BusyError, match=r"another claims command is writing the "),
            writing.lock(tmp_path / "lock", "the repository"),
        ):
            pass
        assert f"process {os.getpid()}" in (tmp_path / "lock").read_text()
    assert not (tmp_path / "lock").exists()
    with writing.lock(tmp_path / "lock", "the repository"):  # released: free again
        pass


def test_every_file_is_on_disk_before_it_takes_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename is durable only if the renamed file's content was flushed first, and its folder
    after: otherwise a power cut can leave an empty file where the old one stood."""
    synced: list[str] = []
    renamed: list[tuple[str, str, int]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{descriptor}").readlink()))
        real_fsync(descriptor)

    def replace(source: str, target: str, **kwargs: object) -> None:
        renamed.append((os.fspath(source), os.fspath(target), len(synced)))
        real_replace(source, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    (tmp_path / "a").write_text("old a")
    write_file(FileWrite(tmp_path / "a", b"new a"))
    write_files([FileWrite(tmp_path / name, name.encode()) for name in "bc"], _state(tmp_path))
    targets = {target for _, target, _ in renamed}
    assert {str(tmp_path / name) for name in "abc"} <= targets
    for source, target, done in renamed:
        assert source in synced[:done], f"{source} renamed to {target} before it was flushed"
        parent = str(Path(target).parent)
        assert parent in synced[done:], f"{parent} not flushed after {target} was renamed"
