"""Writing files so that a crash, a full disk or a killed process never leaves one half-written,
and so that nothing a pull request plants can steer a write.

- `write_file`: one file, replaced atomically: its new content goes to a temporary file beside
  it, is flushed to disk, and is renamed over it.
- `write_files`: several files of a repository, all or nothing. Each new content goes to a
  temporary file beside its target and is flushed to disk; a journal in the repository's state
  folder (`builder.state`: the git directory, never the working tree) then records which
  temporary file becomes which file, and from that moment the write is decided: the renames
  follow, and if they are interrupted, the next run finishes them (`recover`). Interrupted
  before, nothing has changed and the next run removes the temporary files. A journal read
  back is checked: every path relative, inside the repository, reached through no link that
  leads out, and the temporary file the tool's own name beside its target. Files keep their
  permission bits (a new one gets 0666 less the umask); a symlink is never written through.
- `atomic_folder`: a whole folder (a build, a site), written hidden beside its target and
  renamed into place once complete; the previous folder stays whole throughout, and is
  replaced only if it is empty or the tool's own earlier output.
- `lock`: one writer at a time in a repository or an output folder; the second is told who
  holds the lock, and waits for nothing. Lock files live in state folders, are opened without
  following links, and must be regular files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath

import attrs

from builder.errors import ExternalError, UsageError
from builder.state import State


class BusyError(ExternalError):
    """Another claims command holds the lock."""


@attrs.frozen
class FileWrite:
    """New content for the file at `path`; with `new`, the file must not exist yet."""

    path: Path
    content: bytes
    new: bool = False


def write_file(write: FileWrite) -> None:
    """Replace (or create) one file atomically: a crash leaves the old content or the new."""
    _check_target(write)
    temporary = _temporary(write.path)
    try:
        write.path.parent.mkdir(parents=True, exist_ok=True)
        _write_temporary(temporary, write.content, _mode_for(write.path))
        temporary.replace(write.path)
        _sync_folder(write.path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):  # not there, or its folder cannot be made at all
            temporary.unlink()
        raise _failure(error, "the file was left as it was") from error


def write_files(writes: Sequence[FileWrite], state: State) -> None:
    """Write every file or none, each inside the repository `state.root`; the journal in the
    state folder is where the decision is recorded meanwhile."""
    journal, root = state.journal, state.root
    for write in writes:
        _check_target(write)
        if not _inside(write.path.parent, root):
            raise UsageError(
                f"{write.path} lies outside the repository or in a hidden folder (a folder on its "
                "way is a symlink that leads there); claims does not write through links: "
                "replace it with the folder"
            )
    plan = [(_temporary(write.path), write.path) for write in writes]
    try:
        _write_journal(journal, root, "prepared", plan)
        for (temporary, _), write in zip(plan, writes, strict=True):
            write.path.parent.mkdir(parents=True, exist_ok=True)
            _write_temporary(temporary, write.content, _mode_for(write.path))
        _write_journal(journal, root, "committed", plan)
    except OSError as error:
        _undo(plan, journal)
        raise _failure(error, "nothing was changed") from error
    try:
        _finish(plan, journal)
    except OSError as error:
        raise _failure(error, "the next claims command finishes the write") from error


def recover(state: State) -> str | None:
    """Finish or undo a write that was interrupted; say which, or None if there was none.

    Only while nobody writes: a command holding the lock is not interrupted but busy, and its
    journal is left alone. Taking the lock also clears one a killed process left. Where there
    is no journal, nothing is done and no lock taken: reading needs no lock."""
    if not os.path.lexists(state.journal):
        return None
    try:
        with lock(state.lock, "the repository"):
            return _recover(state.journal, state.root)
    except BusyError:
        return None


def _recover(journal: Path, root: Path) -> str | None:
    for leftover in journal.parent.glob(f"{journal.name}.*.tmp"):
        leftover.unlink()  # a journal that was being written when the process died
    try:
        state = json.loads(read_regular(journal, _MAX_JOURNAL_BYTES))
        plan = [_planned(root, temporary, target) for temporary, target in state["files"]]
        committed = state["state"] == "committed"
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ExternalError(
            f"{journal} is damaged ({error}); check the files it names and remove it"
        ) from error
    if committed:
        _finish(plan, journal)
        return f"finished an interrupted write of {len(plan)} files"
    _undo(plan, journal)
    return f"undid an interrupted write: its {len(plan)} files were left as they were"


_MAX_JOURNAL_BYTES = 64 * 1024 * 1024
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.claims-[0-9a-f]{8}\.tmp", re.DOTALL)


def _planned(root: Path, temporary: str, target: str) -> tuple[Path, Path]:
    """One file of a journal read back, checked to be what `write_files` writes: a path
    relative to `root` and inside it, reached through no symlink that leads out, whose
    temporary file is the tool's own name for it, beside it."""
    if not (isinstance(temporary, str) and isinstance(target, str)):
        raise ValueError("a file of the journal is not a pair of paths")
    relative = PurePosixPath(target)
    named = _TEMPORARY.fullmatch(PurePosixPath(temporary).name)
    if (
        not relative.parts
        or relative.is_absolute()
        or ".." in relative.parts
        or PurePosixPath(temporary).parent != relative.parent
        or named is None
        or named["name"] != relative.name
    ):
        raise ValueError(f"{temporary!r} is not the temporary file of {target!r} in {root}")
    pair = (root / temporary, root / target)
    if not _inside(pair[1].parent, root) or any(path.is_symlink() for path in pair):
        raise ValueError(f"{target!r} leads outside {root} or is a symlink")
    return pair


def _inside(path: Path, root: Path) -> bool:
    """Whether `path` is in `root` once every link is followed, and not in a hidden folder
    (the git directory above all, where a file could be a hook)."""
    real, real_root = path.resolve(), root.resolve()
    return real.is_relative_to(real_root) and not any(
        part.startswith(".") for part in real.relative_to(real_root).parts
    )


def read_regular(path: Path, limit: int, *, follow: bool = False) -> bytes:
    """The bytes of the regular file `path`, at most `limit` (else ValueError): a FIFO, a
    device or a folder is refused unread (ValueError), and a symlink is refused (OSError)
    unless `follow`. The way the tool reads back state of its own, and reads its inputs."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError(f"{path} is not a regular file")
        content = stream.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"{path} is larger than {limit:,} bytes")
    return content


def _check_target(write: FileWrite) -> None:
    if write.path.is_symlink():
        raise UsageError(
            f"{write.path} is a symlink; claims does not write through links: "
            "replace it with the file itself"
        )
    if write.new and write.path.exists():
        raise UsageError(f"{write.path} already exists and is never overwritten")
    if write.path.exists() and not write.path.is_file():
        raise UsageError(f"{write.path} is not a regular file")


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.claims-{secrets.token_hex(4)}.tmp")


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_temporary(path: Path, content: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_journal(journal: Path, root: Path, state: str, plan: list[tuple[Path, Path]]) -> None:
    files = [[os.path.relpath(t, root), os.path.relpath(f, root)] for t, f in plan]
    _write_state(journal, {"state": state, "files": files})


def _write_state(path: Path, document: object) -> None:
    """Replace the state file `path` (a journal, a folder record) atomically and durably."""
    content = json.dumps(document).encode()
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        _write_temporary(temporary, content, 0o644)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _finish(plan: list[tuple[Path, Path]], journal: Path) -> None:
    for temporary, target in plan:
        if temporary.exists():
            temporary.replace(target)
    for folder in {target.parent for _, target in plan}:
        _sync_folder(folder)
    journal.unlink(missing_ok=True)


def _undo(plan: list[tuple[Path, Path]], journal: Path) -> None:
    for temporary, _ in plan:
        temporary.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _failure(error: OSError, outcome: str) -> ExternalError:
    where = f" ({error.filename})" if error.filename else ""
    return ExternalError(f"cannot write: {error.strerror}{where}; {outcome}")


# A whole folder -----------------------------------------------------------------------------


@contextlib.contextmanager
def lock(path: Path, what: str) -> Iterator[None]:
    """Hold the lock file `path` while writing `what`; if another process holds it, refuse at
    once, saying which process that is. The lock ends with the process, however it ends, and
    its file is removed when it is released. A lock file is opened without following a
    symlink, and must be a regular file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    while True:
        descriptor = _open_lock(path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            holder = os.read(descriptor, 300).decode("utf-8", "replace").strip() or "unknown"
            os.close(descriptor)
            raise BusyError(
                f"another claims command is writing {what} ({holder}); "
                "wait for it to finish, then run this one again"
            ) from error
        try:
            if os.fstat(descriptor).st_ino == path.lstat().st_ino:
                break  # the lock file is still the one at `path`, not one just released
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"process {os.getpid()}: claims {' '.join(sys.argv[1:])}".encode())
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        raise UsageError(
            f"cannot take the lock {path}: {error.strerror} (a lock is a regular file, never "
            "a symlink or a folder): remove it"
        ) from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UsageError(f"the lock {path} is not a regular file: remove it")
    return descriptor


# A whole folder -----------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_folder(
    target: Path, marker: str, state: Path, say: Callable[[str], None] = lambda _: None
) -> Iterator[Path]:
    """Yield an empty folder; on success it becomes `target`, on any error it disappears.

    `target` is replaced only if it is empty or holds `marker`, the file the writer always
    writes into its output (its own earlier output), and never if it is a symlink. One
    writer at a time holds the lock in `state`, a folder outside the working tree, where the
    names of the hidden folders in use are recorded too: an interrupted run leaves a
    `.NAME.partial-*` folder, or the old output waiting as `.NAME.previous-*`, and the next
    run puts back or removes exactly those, and nothing else of that name. `say` is told of
    each such repair.
    """
    with lock(state / "lock", f"the folder {target}"):
        record = state / "folder.json"
        for repair in _recover_folder(target, record):
            say(repair)
        _require_own(target, marker)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
        previous = target.with_name(f".{target.name}.previous-{secrets.token_hex(4)}")
        _write_state(record, {"folders": [partial.name, previous.name]})
        partial.mkdir()
        try:
            yield partial
            if not (partial / marker).is_file():
                raise AssertionError(f"the output lacks its marker {marker}")
            _replace_folder(partial, target, previous)
        except BaseException:
            if partial.exists():
                shutil.rmtree(partial)
            raise
        record.unlink(missing_ok=True)


def _require_own(target: Path, marker: str) -> None:
    """`target` may be replaced: it is missing, empty, or the tool's own earlier output."""
    if target.is_symlink():
        raise UsageError(f"{target} is a symlink; claims does not write through links: remove it")
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder: choose a folder")
    with os.scandir(target) as entries:
        empty = next(entries, None) is None
    marked = target / marker
    if not empty and not (marked.is_file() and not marked.is_symlink()):
        raise UsageError(
            f"{target} holds files claims did not write (it has no {marker}); claims replaces "
            "only an empty folder or its own earlier output: choose another folder"
        )


def _replace_folder(partial: Path, target: Path, previous: Path) -> None:
    """Put `partial` in the place of `target`: in one step where the system can swap two
    folders (Linux), else in two renames, the old folder waiting aside as `previous`."""
    if not target.exists():
        partial.rename(target)
        return
    if exchange(partial, target):
        shutil.rmtree(partial)  # which now holds the old folder
        return
    target.rename(previous)
    try:
        partial.rename(target)
    except BaseException:
        previous.rename(target)
        raise
    shutil.rmtree(previous)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(first))


def _recover_folder(target: Path, record: Path) -> list[str]:
    """Undo what an interrupted run left, as its record names it: put back a displaced
    output, drop a partial folder; say what was done. Only names of the tool's own form, for
    this target, are acted on: a record that names anything else is damaged."""
    try:
        names = json.loads(read_regular(record, 4096))["folders"]
        own = re.compile(rf"\.{re.escape(target.name)}\.(partial|previous)-[0-9a-f]{{8}}")
        if not all(isinstance(name, str) and own.fullmatch(name) for name in names):
            raise ValueError(f"it names a folder that is not one of {target.name}'s own")
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ExternalError(
            f"{record} is damaged ({error}); check the folders beside {target} and remove it"
        ) from error
    done = []
    for name in names:
        leftover = target.with_name(name)
        if not leftover.is_dir() or leftover.is_symlink():
            continue
        if ".previous-" in name and not target.exists():
            leftover.rename(target)
            done.append(f"put back {target}, which an interrupted run had moved aside")
        else:
            shutil.rmtree(leftover)
            done.append(f"removed {name}, left by an interrupted run")
    record.unlink()
    return done
