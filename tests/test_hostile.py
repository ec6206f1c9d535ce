"""Every file under cases/hostile/ is something a hostile contributor (or bad luck) could send:
run against a fresh copy of the fixture repository, it must end with its documented exit code,
name what it is about, print no traceback and no raw control character, and change nothing
outside the repository. Adding a case is adding a file:

    # kind: N what kind of failure it guards against (1-8, as in SECURITY.md)
    # case: what must happen, in words
    # run: COMMAND ARGS            the claims command line; {root}, {outside}, {build} are filled in
    # expect: EXIT [CODE]          the exit code, and a problem code that must be reported
    # names: TEXT                  text the output must hold (the file or argument concerned)
    # place: PATH                  where the content below the header goes (inside {root});
                                   {outside} in the content is filled in
    # link: PATH -> TARGET         a symlink to make first (in place of a file or folder)
    # victim: NAME                 a file {outside}/NAME to make first: it must be left alone
    # fifo: PATH                   a named pipe to make first (inside {root})
    # deep: PATH N                 N folders nested one in another below PATH
    # before: COMMAND ARGS         a claims command to run first (it must succeed)
    # env: NAME=VALUE              an environment variable for the run
    # lacks: PATH TEXT             a file that must not contain TEXT afterwards
    # absent: PATH                 a path (inside {root}) that must not exist afterwards
    # silent: TEXT                 text the output must not hold
    # unchanged: PATH              a file of the repository that must keep its bytes
    # git: no                      the repository is not a git repository
    #---
    the content, byte for byte (for `place`)

Values may spell characters as \\n, \\xNN and \\uNNNN, and a backslash as \\\\.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

import pytest

from builder.report import visible
from tests.conftest import CASES, MINI, Run, files_below, git

HOSTILE = sorted((CASES / "hostile").iterdir())
SEPARATOR = b"#---\n"
KINDS = range(1, 9)


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return {"n": "\n", "\\": "\\"}.get(code) or chr(int(code[1:], 16))

    return re.sub(r"\\(\\|n|x[0-9a-f]{2}|u[0-9a-f]{4})", one, text)


def _case(path: Path) -> tuple[dict[str, list[str]], bytes]:
    raw = path.read_bytes()
    head, _, content = raw.partition(SEPARATOR)
    fields: dict[str, list[str]] = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.removeprefix("# ").partition(": ")
        fields.setdefault(key, []).append(value)
    return fields, content


def _remove_nested(deepest: Path, levels: int) -> None:
    """Remove nested empty folders from the bottom up (shutil.rmtree recurses)."""
    for folder in [deepest, *deepest.parents][:levels]:
        folder.rmdir()


def _words(command: str, names: dict[str, str]) -> list[str]:
    return [_unescape(word).format(**names) for word in command.split(" ") if word]


def test_the_corpus_covers_every_kind_with_several_cases() -> None:
    kinds = [int(_case(path)[0]["kind"][0].split()[0]) for path in HOSTILE]
    assert all(kinds.count(kind) >= 5 for kind in KINDS), kinds
    assert len(HOSTILE) >= 60


def _prepare(
    fields: dict[str, list[str]],
    content: bytes,
    root: Path,
    outside: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Make what the case's header asks for: files, links, victims, pipes, nested folders."""
    names = {"root": str(root), "outside": str(outside)}
    for place in fields.get("place", []):
        target = root / _unescape(place)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.replace(b"{outside}", str(outside).encode()))
    for link in fields.get("link", []):
        name, _, target = link.partition(" -> ")
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if (root / name).is_dir() and not (root / name).is_symlink():
            shutil.rmtree(root / name)
        (root / name).unlink(missing_ok=True)
        (root / name).symlink_to(target.format(**names, build=str(root / "dist" / "1.2.3")))
    for victim in fields.get("victim", []):
        (outside / victim).write_text("victim\n")
    for fifo in fields.get("fifo", []):
        os.mkfifo(root / fifo)
    for deep in fields.get("deep", []):
        folder, _, levels = deep.partition(" ")
        nested = root / folder
        for _ in range(int(levels)):  # one at a time: mkdir(parents=True) recurses
            nested /= "d"
            nested.mkdir(parents=True, exist_ok=True)
        request.addfinalizer(functools.partial(_remove_nested, nested, int(levels)))


@pytest.mark.parametrize("path", HOSTILE, ids=[path.name for path in HOSTILE])
def test_hostile_input_is_refused_cleanly(  # noqa: PLR0917
    path: Path,
    tmp_path: Path,
    claims: Run,
    monkeypatch: pytest.MonkeyPatch,
    no_git_config: None,
    request: pytest.FixtureRequest,
) -> None:
    fields, content = _case(path)
    root = tmp_path / "root"
    shutil.copytree(MINI / "claims", root / "claims")
    outside = tmp_path / "outside"
    outside.mkdir()
    names = {"root": str(root), "outside": str(outside), "build": str(root / "dist" / "1.2.3")}
    if fields.get("git") != ["no"]:
        git(tmp_path, "init", "--quiet", "--initial-branch=main", str(root))
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "Fixture")
    for before in fields.get("before", []):
        done = claims(*_words(before, names))
        assert done.returncode == 0, done.stderr
    _prepare(fields, content, root, outside, request)
    for setting in fields.get("env", []):
        name, _, value = setting.partition("=")
        monkeypatch.setenv(name, value)
    around = files_below(tmp_path, skip=root)
    kept = {name: (root / name).read_bytes() for name in fields.get("unchanged", [])}

    result = claims(*_words(fields["run"][0], names))

    exit_code, *codes = fields["expect"][0].split()
    output = result.stdout + result.stderr
    assert result.returncode == int(exit_code), output
    assert "Traceback" not in output
    places = [re.escape(visible(_unescape(place))) for place in fields.get("place", [])]
    where = f"^({'|'.join(places)}):[0-9]+:[0-9]+: " if places else "(^|: )"
    for code in codes:  # reported, and at the file the case placed
        assert re.search(rf"{where}{code} ", output, re.MULTILINE), output
    for text in fields.get("names", []):
        assert _unescape(text).format(**names) in output, output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\u202a-\u202e]", output)
    for text in fields.get("silent", []):
        assert _unescape(text) not in output, output
    for absent in fields.get("absent", []):
        assert not os.path.lexists(root / absent), absent
    for check in fields.get("lacks", []):
        file, _, text = check.partition(" ")
        assert _unescape(text) not in (root / file).read_text(encoding="utf-8")
    assert {name: (root / name).read_bytes() for name in kept} == kept
    assert files_below(tmp_path, skip=root) == around  # nothing outside the repository changed
