"""The one way files are written: atomically, keeping their modes, several all or nothing, and
an interrupted write finished or undone by the next run."""

from __future__ import annotations

import errno
import json
import os
import re
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


# What each refusal and failure says -----------------------------------------------------------


def test_a_file_in_folders_not_made_yet_is_written_with_them(tmp_path: Path) -> None:
    write_file(FileWrite(tmp_path / "a" / "b" / "one.yaml", b"one"))
    write_files([FileWrite(tmp_path / "c" / "d" / "two.yaml", b"two")], _state(tmp_path))
    assert (tmp_path / "a" / "b" / "one.yaml").read_bytes() == b"one"
    assert (tmp_path / "c" / "d" / "two.yaml").read_bytes() == b"two"


def test_a_failed_write_says_what_failed_where_and_what_was_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, content: bytes, mode: int) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(writing, "_write_temporary", full)
    with pytest.raises(ExternalError) as one:
        write_file(FileWrite(tmp_path / "a", b"a"))
    assert one.value.message.startswith("cannot write: No space left on device (")
    assert one.value.message.endswith("); the file was left as it was")
    with pytest.raises(ExternalError) as several:
        write_files([FileWrite(tmp_path / "b", b"b")], _state(tmp_path))
    assert several.value.message.endswith("); nothing was changed")


def test_a_rename_that_fails_after_the_decision_is_left_to_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.replace

    def failing(source: str, target: str) -> None:
        if Path(target).name == "a":
            raise OSError(5, "Input/output error")  # no file name: none is shown
        real(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(ExternalError) as failed:
        write_files([FileWrite(tmp_path / "a", b"a")], _state(tmp_path))
    assert failed.value.message == (
        "cannot write: Input/output error; the next claims command finishes the write"
    )
    monkeypatch.setattr(os, "replace", real)
    assert recover(_state(tmp_path)) == "finished an interrupted write of 1 files"
    assert (tmp_path / "a").read_bytes() == b"a"


def test_the_journal_names_the_files_from_the_root_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    real = writing._write_temporary
    state = _state(tmp_path)

    def watched(path: Path, content: bytes, mode: int) -> None:
        if path.parent == tmp_path / "records":
            seen.append(json.loads(state.journal.read_text()))
        real(path, content, mode)

    monkeypatch.setattr(writing, "_write_temporary", watched)
    write_files([FileWrite(tmp_path / "records" / "x.yaml", b"x")], state)
    [journal] = seen
    assert journal["state"] == "prepared"  # type: ignore[index]
    [[temporary, target]] = journal["files"]  # type: ignore[index]
    assert target == "records/x.yaml"
    assert re.fullmatch(r"records/\.x\.yaml\.claims-[0-9a-f]{8}\.tmp", temporary)
    assert not state.journal.exists()


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("outside/x.yaml", "lies outside the repository or in a hidden folder"),
        ("root/.git/x.yaml", "lies outside the repository or in a hidden folder"),
    ],
)
def test_nothing_is_written_outside_the_root_or_in_its_hidden_folders(
    tmp_path: Path, where: str, message: str
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(UsageError) as refused:
        write_files([FileWrite(tmp_path / where, b"x")], _state(root))
    assert message in refused.value.message
    assert refused.value.message.endswith(
        "(a folder on its way is a symlink that leads there); claims does not write through "
        "links: replace it with the folder"
    )
    assert not (tmp_path / where).exists()


def test_what_a_write_refuses_to_replace_is_named_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "target").write_text("kept")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "target")
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(UsageError) as link:
        write_file(FileWrite(tmp_path / "link.yaml", b"x"))
    assert link.value.message == (
        f"{tmp_path / 'link.yaml'} is a symlink; claims does not write through links: "
        "replace it with the file itself"
    )
    with pytest.raises(UsageError) as folder:
        write_file(FileWrite(tmp_path / "folder.yaml", b"x"))
    assert folder.value.message == f"{tmp_path / 'folder.yaml'} is not a regular file"


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ([[1, "a"]], "a file of the journal is not a pair of paths"),
        ([["x", 1]], "a file of the journal is not a pair of paths"),
        ([["/abs/.a.claims-00000000.tmp", "/abs/a"]], "is not the temporary file of"),
        ([["../.a.claims-00000000.tmp", "../a"]], "is not the temporary file of"),
        ([[".a.claims-00000000.tmp", ""]], "is not the temporary file of"),
        ([["other/.a.claims-00000000.tmp", "a"]], "is not the temporary file of"),
        ([[".b.claims-00000000.tmp", "a"]], "is not the temporary file of"),
        ([[".a.claims-0000.tmp", "a"]], "is not the temporary file of"),
        ([["sub/.a.claims-00000000.tmp", "sub/a"]], "leads outside"),
        ([[".link.claims-00000000.tmp", "link"]], "or is a symlink"),
    ],
    ids=[
        "temporary",
        "target",
        "absolute",
        "parent",
        "empty",
        "folder",
        "name",
        "form",
        "linked-folder",
        "link",
    ],
)
def test_a_journal_naming_anything_but_the_tools_own_files_is_damaged(
    tmp_path: Path, files: list[list[object]], why: str
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "sub").symlink_to(tmp_path)
    (root / "link").symlink_to(tmp_path / "victim")
    (tmp_path / "victim").write_text("victim")
    state = _state(root)
    state.journal.write_text(json.dumps({"state": "committed", "files": files}))
    with pytest.raises(ExternalError) as damaged:
        recover(state)
    assert f"{state.journal} is damaged (" in damaged.value.message
    assert why in damaged.value.message
    if why.startswith("a file"):  # the whole reason, nothing around it
        assert f"({why})" in damaged.value.message
    assert damaged.value.message.endswith("); check the files it names and remove it")
    assert (tmp_path / "victim").read_text() == "victim"


# Output folders ----------------------------------------------------------------------------


def _output(tmp_path: Path, target: Path, marker: str = "MARK") -> None:
    with writing.atomic_folder(target, marker, tmp_path / "state") as folder:
        (folder / marker).write_text("mine")
        (folder / "page.html").write_text("new")


def test_an_output_replaces_an_empty_folder_or_its_own_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    _output(tmp_path, target)  # empty
    _output(tmp_path, target)  # its own
    assert (target / "page.html").read_text() == "new"
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("kept")
    (foreign / "MARK").symlink_to(tmp_path / "out" / "MARK")
    with pytest.raises(UsageError) as refused:
        _output(tmp_path, foreign)
    assert refused.value.message == (
        f"{foreign} holds files claims did not write (it has no MARK); claims replaces only an "
        "empty folder or its own earlier output: choose another folder"
    )
    assert (foreign / "notes.txt").read_text() == "kept"


def test_an_output_that_is_a_link_or_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path)
    (tmp_path / "file").write_text("kept")
    with pytest.raises(UsageError) as link:
        _output(tmp_path, tmp_path / "link")
    assert link.value.message == (
        f"{tmp_path / 'link'} is a symlink; claims does not write through links: remove it"
    )
    with pytest.raises(UsageError) as file:
        _output(tmp_path, tmp_path / "file")
    assert file.value.message == f"{tmp_path / 'file'} is a file, not a folder: choose a folder"


def _record(tmp_path: Path, names: list[object]) -> None:
    (tmp_path / "state").mkdir(exist_ok=True)
    (tmp_path / "state" / "folder.json").write_text(json.dumps({"folders": names}))


def test_an_interrupted_output_is_repaired_from_its_record_only(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _output(tmp_path, target)
    target.rename(tmp_path / ".out.previous-0000abcd")  # the crash came between the renames
    (tmp_path / ".out.partial-0000abcd").mkdir()
    (tmp_path / ".out.partial-0000abcd" / "MARK").write_text("half")
    (tmp_path / ".out.partial-1111abcd").mkdir()  # not in the record: left alone
    _record(tmp_path, [".out.partial-0000abcd", ".out.previous-0000abcd"])
    said: list[str] = []
    with writing.atomic_folder(target, "MARK", tmp_path / "state", said.append) as folder:
        assert (target / "page.html").read_text() == "new"  # put back before anything else
        (folder / "MARK").write_text("mine")
    assert said == [
        "removed .out.partial-0000abcd, left by an interrupted run",
        f"put back {target}, which an interrupted run had moved aside",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.partial-1111abcd", "out", "state"]


@pytest.mark.parametrize(
    "names",
    [["../victim"], [".other.partial-0000abcd"], [5], [".out.previous-0000abcd/.."]],
    ids=["escape", "another-output", "not-a-name", "trailing"],
)
def test_a_record_naming_anything_but_the_outputs_own_folders_is_damaged(
    tmp_path: Path, names: list[object]
) -> None:
    (tmp_path / "victim").mkdir()
    _record(tmp_path, names)
    with pytest.raises(ExternalError) as damaged:
        _output(tmp_path, tmp_path / "out")
    assert damaged.value.message.startswith(f"{tmp_path / 'state' / 'folder.json'} is damaged (")
    if names != [5]:
        assert "(it names a folder that is not one of out's own)" in damaged.value.message
    assert damaged.value.message.endswith(
        f"); check the folders beside {tmp_path / 'out'} and remove it"
    )
    assert (tmp_path / "victim").is_dir()


def test_a_recorded_partial_folder_is_never_put_in_place_of_the_output(tmp_path: Path) -> None:
    (tmp_path / ".out.partial-0000abcd").mkdir()
    (tmp_path / ".out.partial-0000abcd" / "MARK").write_text("half")
    _record(tmp_path, [".out.partial-0000abcd"])
    with writing.atomic_folder(tmp_path / "out", "MARK", tmp_path / "state") as folder:
        assert not (tmp_path / "out").exists()
        (folder / "MARK").write_text("mine")
    assert (tmp_path / "out" / "MARK").read_text() == "mine"


def test_two_folders_are_swapped_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("a")
    (tmp_path / "b").mkdir()
    assert writing.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert not list((tmp_path / "a").iterdir())
    with pytest.raises(OSError) as missing:
        writing.exchange(tmp_path / "missing", tmp_path / "b")
    assert (missing.value.errno, missing.value.strerror) == (
        errno.ENOENT,
        os.strerror(errno.ENOENT),
    )
    assert missing.value.filename == str(tmp_path / "missing")


def test_without_a_swap_an_output_is_replaced_in_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot swap two folders (no renameat2), the old output is moved aside,
    the new one renamed into place, the old one removed; if the second rename fails, the old
    output is put back as it was."""
    monkeypatch.setattr(writing.ctypes, "CDLL", lambda *args, **kwargs: object())
    assert not writing.exchange(tmp_path / "a", tmp_path / "b")
    target = tmp_path / "out"
    _output(tmp_path, target)
    (target / "page.html").write_text("old")
    _output(tmp_path, target)
    assert (target / "page.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "state"]
    (target / "page.html").write_text("old")
    real = Path.rename

    def failing(self: Path, to: Path) -> Path:
        if Path(to) == target and ".partial-" in self.name:
            raise OSError(errno.EIO, "Input/output error")
        return real(self, to)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError):
        _output(tmp_path, target)
    assert (target / "page.html").read_text() == "old"


def test_a_state_folder_is_made_with_its_parents_and_kept_private(tmp_path: Path) -> None:
    state = State(tmp_path, tmp_path / "git" / "claims" / "key")
    write_files([FileWrite(tmp_path / "a", b"a")], state)
    assert _mode(tmp_path / "git" / "claims" / "key") == 0o700
    assert (tmp_path / "a").read_bytes() == b"a"


def test_a_lock_that_is_a_link_or_not_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "victim").write_text("victim")
    (tmp_path / "link").symlink_to(tmp_path / "victim")
    os.mkfifo(tmp_path / "pipe")
    link = pytest.raises(UsageError, match=r"cannot take the lock .*link: Too many levels")
    with link, writing.lock(tmp_path / "link", "the repository"):
        pass
    pipe = pytest.raises(UsageError, match=r"the lock .*pipe is not a regular file: remove it")
    with pipe, writing.lock(tmp_path / "pipe", "the repository"):
        pass
    assert (tmp_path / "victim").read_text() == "victim"


def test_state_is_read_only_from_a_regular_file_within_its_limit(tmp_path: Path) -> None:
    """How the tool reads back its own state and its inputs: a symlink only when asked to
    follow one, never a FIFO (refused at once, without waiting for a writer), at most `limit`
    bytes."""
    (tmp_path / "three").write_bytes(b"abc")
    (tmp_path / "link").symlink_to(tmp_path / "three")
    os.mkfifo(tmp_path / "pipe")
    assert writing.read_regular(tmp_path / "three", 3) == b"abc"
    with pytest.raises(ValueError, match=r"three is larger than 2 bytes$"):
        writing.read_regular(tmp_path / "three", 2)
    assert writing.read_regular(tmp_path / "link", 3, follow=True) == b"abc"
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        writing.read_regular(tmp_path / "link", 3)
    with pytest.raises(ValueError, match=r"pipe is not a regular file$"):
        writing.read_regular(tmp_path / "pipe", 3)
