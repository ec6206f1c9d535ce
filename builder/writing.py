"""Writing files so that a crash, a full disk or a killed process never leaves one half-written.

- `write_file`: one file, replaced atomically: its new content goes to a temporary file beside
  it, is flushed to disk, and is renamed over it.
- `write_files`: several files, all or nothing. Each new content goes to a temporary
  file beside its target and is flushed to disk; a journal then records which temporary file
  becomes which file, and from that moment the write is decided: the renames follow, and if
  they are interrupted, the next run finishes them (`recover`). Interrupted before, nothing has
  changed and the next run removes the temporary files. Files keep their permission bits (a new
  one gets 0666 less the umask); a symlink is never written through.
- `atomic_folder`: a whole folder (a build), written hidden beside its target and renamed into
  place once complete; the previous folder stays whole throughout.
- `lock`: one writer at a time in a repository or an output folder; the second is told who
  holds the lock, and waits for nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import attrs

from builder.errors import ExternalError, UsageError


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
        temporary.unlink(missing_ok=True)
        raise _failure(error, "the file was left as it was") from error


def write_files(writes: Sequence[FileWrite], journal: Path) -> None:
    """Write every file or none; `journal` is where the decision is recorded meanwhile."""
    for write in writes:
        _check_target(write)
    plan = [(_temporary(write.path), write.path) for write in writes]
    try:
        _write_journal(journal, "prepared", plan)
        for (temporary, _), write in zip(plan, writes, strict=True):
            write.path.parent.mkdir(parents=True, exist_ok=True)
            _write_temporary(temporary, write.content, _mode_for(write.path))
        _write_journal(journal, "committed", plan)
    except OSError as error:
        _undo(plan, journal)
        raise _failure(error, "nothing was changed") from error
    try:
        _finish(plan, journal)
    except OSError as error:
        raise _failure(error, "the next claims command finishes the write") from error


def recover(journal: Path, lock_file: Path) -> str | None:
    """Finish or undo a write that was interrupted; say which, or None if there was none.

    Only while nobody writes: a command holding `lock_file` is not interrupted but busy, and
    its journal is left alone. Taking the lock also clears one a killed process left."""
    try:
        with lock(lock_file, "the repository"):
            return _recover(journal)
    except BusyError:
        return None


def _recover(journal: Path) -> str | None:
    for leftover in journal.parent.glob(f"{journal.name}.*.tmp"):
        leftover.unlink()  # a journal that was being written when the process died
    try:
        state = json.loads(journal.read_text(encoding="utf-8"))
        plan = [(journal.parent / t, journal.parent / f) for t, f in state["files"]]
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


def _write_journal(journal: Path, state: str, plan: list[tuple[Path, Path]]) -> None:
    base = journal.parent
    files = [[os.path.relpath(t, base), os.path.relpath(f, base)] for t, f in plan]
    content = json.dumps({"state": state, "files": files}, indent=1).encode("utf-8")
    temporary = journal.with_name(f"{journal.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_temporary(temporary, content, 0o644)
        temporary.replace(journal)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(base)


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
    its file is removed when it is released."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
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
            if os.fstat(descriptor).st_ino == path.stat().st_ino:
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


@contextlib.contextmanager
def atomic_folder(target: Path, say: Callable[[str], None] = lambda _: None) -> Iterator[Path]:
    """Yield an empty folder; on success it becomes `target`, on any error it disappears.

    An interrupted build leaves only a hidden `.NAME.partial-*` folder, which the next one
    sweeps away. Between the two renames of a replacement, the old folder waits as
    `.NAME.previous-*`, and the next build puts it back if the process died right there.
    `say` is told of each such repair. A target that is a symlink is refused.
    """
    if target.is_symlink():
        raise UsageError(f"{target} is a symlink; claims does not write through links: remove it")
    target.parent.mkdir(parents=True, exist_ok=True)
    for repair in _recover_folder(target):
        say(repair)
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    partial.mkdir()
    try:
        yield partial
        _replace_folder(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _replace_folder(partial: Path, target: Path) -> None:
    """Put `partial` in the place of `target`: in one step where the system can swap two
    folders (Linux), else in two renames, the old folder waiting aside in between."""
    if not target.exists():
        partial.rename(target)
        return
    if exchange(partial, target):
        _remove(partial)  # which now holds the old folder
        return
    previous = target.with_name(f".{target.name}.previous-{secrets.token_hex(4)}")
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


def _recover_folder(target: Path) -> list[str]:
    """Undo what an interrupted build left: restore a displaced output, drop partial folders;
    say what was done."""
    done = []
    for leftover in sorted(target.parent.glob(f".{target.name}.previous-*")):
        if target.exists():
            _remove(leftover)
        else:
            leftover.rename(target)
            done.append(f"put back {target}, which an interrupted build had moved aside")
    for leftover in sorted(target.parent.glob(f".{target.name}.partial-*")):
        _remove(leftover)
        done.append(f"removed {leftover.name}, left by an interrupted build")
    return done


def _remove(path: Path) -> None:
    """Remove a folder, or a link or file of that name (never what a link points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
