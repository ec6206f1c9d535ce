"""`claims publish`: a build committed and tagged in a git repository or on the Hub, the tag
never moved; end to end through a Hub-compatible mirror and `datasets.load_dataset`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pyarrow.parquet as pq
import pytest
from huggingface_hub import HfApi
from huggingface_hub.hf_api import CommitInfo, GitRefInfo, GitRefs, RepoFile

from builder.cli import main
from builder.dataset.checksums import write_checksums
from builder.errors import InvalidDataError
from builder.publish import Built, _blob_id, publish_hub
from tests.conftest import CASES, CLAIMS_COMMAND, Run, git

MINI = CASES / "dataset"
OWNER, NAME = "test-owner", "mini-claims"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Builds of two versions, made once for the module (tests copy one before changing it):
    0.1.0 with a train and a test split, and 0.2.0 with a claim added, one removed, and every
    claim in train."""
    tmp_path = tmp_path_factory.mktemp("versions")
    root = tmp_path / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    dataset = root / "claims" / "dataset.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8").replace("1.2.3", "0.1.0"))
    build = ("build", "--root", str(root), "--out", str(tmp_path / "dist"))
    assert main(list(build)) == 0
    records = root / "claims" / "records" / "2024"
    (records / "cafe-talks-continue-2024.yaml").unlink()
    text = (records / "death-penalty-abolished-2024.yaml").read_text(encoding="utf-8")
    (records / "death-penalty-repeated-2024.yaml").write_text(
        text.replace("id: death-penalty-abolished-2024", "id: death-penalty-repeated-2024")
    )
    text = dataset.read_text(encoding="utf-8").replace("0.1.0", "0.2.0")
    dataset.write_text(text.replace("splits:\n  train: 3\n  test: 1\n", ""))
    assert main(list(build)) == 0
    return tmp_path / "dist" / "0.1.0", tmp_path / "dist" / "0.2.0"


@pytest.fixture
def bare(tmp_path: Path, no_git_config: None) -> Path:
    """An empty bare repository where a mirror expects a dataset repository, and no git
    identity configured (as on a CI runner)."""
    path = tmp_path / "mirrors" / "datasets" / OWNER / NAME
    path.parent.mkdir(parents=True)
    git(tmp_path, "init", "--quiet", "--bare", str(path))
    return path


def _files_at(repository: Path, revision: str) -> list[str]:
    return git(repository, "ls-tree", "-r", "--name-only", revision).splitlines()


def test_publish_commits_and_tags_each_version_and_drops_stale_shards(
    versions: tuple[Path, Path], bare: Path, claims: Run
) -> None:
    first, second = versions
    for build in (first, second):
        result = claims("publish", build, "--git", bare)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].startswith(f"tagged v{build.name} = ")
    assert git(bare, "tag", "--list").splitlines() == ["v0.1.0", "v0.2.0"]
    assert git(bare, "cat-file", "-t", "v0.2.0") == "tag"  # annotated
    assert sorted(_files_at(bare, "v0.1.0")) == sorted(
        [
            ".gitattributes",
            *(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()),
        ]
    )
    assert "claims/test-00000-of-00001.parquet" in _files_at(bare, "v0.1.0")
    # Version 0.2.0 has no test split: its shard is gone from the repository.
    assert "claims/test-00000-of-00001.parquet" not in _files_at(bare, "v0.2.0")
    assert git(bare, "rev-parse", "main") == git(bare, "rev-parse", "v0.2.0^{commit}")


def test_publishing_a_version_again_does_nothing_and_never_moves_its_tag(
    versions: tuple[Path, Path], bare: Path, claims: Run, tmp_path: Path
) -> None:
    first = versions[0]
    claims("publish", first, "--git", bare)
    tagged = git(bare, "rev-parse", "v0.1.0")
    again = claims("publish", first, "--git", bare)
    assert again.returncode == 0
    assert "already published" in again.stdout
    # Another build of the same version, say after a record was corrected without a release.
    impostor = tmp_path / "other" / "0.1.0"
    shutil.copytree(first, impostor)
    with (impostor / "claimreview.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("{}\n")
    write_checksums(impostor)
    refused = claims("publish", impostor, "--git", bare)
    assert refused.returncode == 1
    assert "already has a tag v0.1.0 with different files" in refused.stderr
    assert git(bare, "rev-parse", "v0.1.0") == tagged
    assert git(bare, "rev-list", "--count", "main") == "1"


def test_dry_run_lists_the_plan_and_changes_nothing(
    versions: tuple[Path, Path], bare: Path, claims: Run
) -> None:
    result = claims("publish", versions[0], "--git", bare, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would commit: A claims/train-00000-of-00001.parquet" in result.stdout
    assert result.stdout.splitlines()[-1] == f"would tag v0.1.0 on main of {bare}"
    assert git(bare, "tag", "--list") == ""


def test_a_build_changed_after_it_was_written_is_not_published(
    versions: tuple[Path, Path], bare: Path, claims: Run, tmp_path: Path
) -> None:
    edited = tmp_path / "edited" / "0.1.0"
    shutil.copytree(versions[0], edited)
    card = edited / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "edited\n")
    result = claims("publish", edited, "--git", bare)
    assert result.returncode == 1
    assert "README.md changed after the build: build it again" in result.stderr
    assert git(bare, "tag", "--list") == ""


# The Hub, through huggingface_hub's HfApi -------------------------------------------------------


def _hub(**configure: object) -> mock.MagicMock:
    api = mock.create_autospec(HfApi, instance=True, spec_set=True)
    for name, value in configure.items():
        getattr(api, name).return_value = value
    return api


def test_hub_publish_creates_uploads_and_tags(versions: tuple[Path, Path]) -> None:
    built = Built.read(versions[0])
    commit = CommitInfo(
        commit_url=f"https://huggingface.co/datasets/{OWNER}/{NAME}/commit/abc123",
        commit_message="Release v0.1.0",
        commit_description="",
        oid="abc123",
    )
    api = _hub(repo_exists=False, upload_folder=commit)
    with mock.patch("builder.publish.HfApi", return_value=api) as make:
        done = publish_hub(built, f"{OWNER}/{NAME}", token="hf_token")
    make.assert_called_once_with(token="hf_token")
    api.create_repo.assert_called_once_with(f"{OWNER}/{NAME}", repo_type="dataset", exist_ok=True)
    api.upload_folder.assert_called_once_with(
        repo_id=f"{OWNER}/{NAME}",
        repo_type="dataset",
        folder_path=built.folder,
        commit_message="Release v0.1.0",
        delete_patterns=["*.parquet"],
    )
    api.create_tag.assert_called_once_with(
        f"{OWNER}/{NAME}",
        tag="v0.1.0",
        tag_message="Release v0.1.0",
        revision="abc123",
        repo_type="dataset",
    )
    assert done[-1] == "tagged v0.1.0 = abc123"


def _remote_files(built: Built, *, tamper: str | None = None) -> list[RepoFile]:
    """The build as the Hub's tree API lists it: parquet files in LFS (by SHA-256), the others
    by git blob id, and the .gitattributes the Hub adds."""
    files = [RepoFile(path=".gitattributes", size=10, oid="0" * 40)]
    for name, digest in built.files.items():
        path = built.folder / name
        size = path.stat().st_size
        if name.endswith(".parquet"):
            lfs = {"size": size, "oid": digest, "pointerSize": 130}
            files.append(RepoFile(path=name, size=size, oid="1" * 40, lfs=lfs))
        else:
            blob = _blob_id(path) if name != tamper else "2" * 40
            files.append(RepoFile(path=name, size=size, oid=blob))
    return files


@pytest.mark.parametrize("tampered", [False, True])
def test_hub_publish_of_a_tagged_version_compares_files_and_never_moves_the_tag(
    versions: tuple[Path, Path], tampered: bool
) -> None:
    built = Built.read(versions[0])
    refs = GitRefs(
        branches=[],
        converts=[],
        tags=[GitRefInfo(name="v0.1.0", ref="refs/tags/v0.1.0", target_commit="abc123")],
    )
    remote = _remote_files(built, tamper="README.md" if tampered else None)
    api = _hub(repo_exists=True, list_repo_refs=refs, list_repo_tree=remote)
    with mock.patch("builder.publish.HfApi", return_value=api):
        if tampered:
            with pytest.raises(
                InvalidDataError, match=r"already has a tag v0\.1\.0 with different"
            ):
                publish_hub(built, f"{OWNER}/{NAME}", token="hf_token")
        else:
            done = publish_hub(built, f"{OWNER}/{NAME}", token="hf_token")
            assert "nothing to do" in done[0]
    api.list_repo_tree.assert_called_once_with(
        f"{OWNER}/{NAME}", recursive=True, revision="v0.1.0", repo_type="dataset"
    )
    api.upload_folder.assert_not_called()
    api.create_tag.assert_not_called()


def test_hub_dry_run_only_reads(versions: tuple[Path, Path]) -> None:
    built = Built.read(versions[0])
    api = _hub(repo_exists=False)
    with mock.patch("builder.publish.HfApi", return_value=api):
        done = publish_hub(built, f"{OWNER}/{NAME}", token=None, dry_run=True)
    assert done[0] == f"would create the dataset repository {OWNER}/{NAME}"
    assert done[-1] == "would tag v0.1.0"
    api.create_repo.assert_not_called()
    api.upload_folder.assert_not_called()


def test_hub_publish_without_a_token_is_a_usage_error(
    versions: tuple[Path, Path], claims: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    result = claims("publish", versions[0], "--repo-id", f"{OWNER}/{NAME}")
    assert result.returncode == 2
    assert "set HF_TOKEN" in result.stderr


# End to end: publish into git, serve it as the Hub would, load it with datasets ---------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mirror(bare: Path, tmp_path: Path) -> Iterator[str]:
    """olah serving the bare repository's parent folder read-only on loopback; its address."""
    port = _free_port()
    config = tmp_path / "olah.toml"
    config.write_text(
        "[basic]\n"
        f'host = "127.0.0.1"\nport = {port}\n'
        f'repos-path = "{tmp_path / "olah-cache"}"\n'
        f'mirrors-path = ["{bare.parents[2]}"]\n'
        "[accessibility]\noffline = true\n"
    )
    olah = Path(sys.executable).with_name("olah-cli")
    with subprocess.Popen(
        [str(olah), "--config", str(config), "--log-path", str(tmp_path / "olah-logs")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as server:
        address = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{address}/api/datasets/{OWNER}/{NAME}/refs", server)
            yield address
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the mirror exited"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the mirror did not answer at {url}")


LOAD = """
import json, sys
from datasets import load_dataset
rows = load_dataset(sys.argv[1], "claims", revision=sys.argv[2])
print(json.dumps({split: sorted(rows[split]["id"]) for split in rows}))
"""


def _online() -> dict[str, str]:
    """The environment without the test suite's offline switch."""
    return {k: v for k, v in os.environ.items() if not k.startswith("HF_HUB_OFFLINE")}


def _run_online(code: str, *args: str, **environment: str) -> str:
    """Run Python `code` in a process that may reach the network (or a mirror)."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=_online() | environment,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_published_versions_load_by_tag_through_a_hub_mirror(
    versions: tuple[Path, Path], bare: Path, mirror: str, claims: Run, tmp_path: Path
) -> None:
    for build in versions:
        assert claims("publish", build, "--git", bare).returncode == 0
    for build in versions:
        loaded = _run_online(
            LOAD,
            f"{OWNER}/{NAME}",
            f"v{build.name}",
            HF_ENDPOINT=mirror,
            HF_HOME=str(tmp_path / "hf-home"),
        )
        assert json.loads(loaded) == _ids_by_split(build)
    # The two versions differ: the second dropped one claim and added another.
    assert _ids_by_split(versions[0]) != _ids_by_split(versions[1])


def _ids_by_split(build: Path) -> dict[str, list[str]]:
    return {
        shard.name.split("-")[0]: sorted(pq.read_table(shard, columns=["id"])["id"].to_pylist())
        for shard in sorted((build / "claims").glob("*.parquet"))
    }


# The real Hub, when a token is given -----------------------------------------------------------


@pytest.mark.skipif(not os.environ.get("HF_TOKEN"), reason="set HF_TOKEN to test the real Hub")
def test_publish_to_the_real_hub_and_load_the_tag(
    versions: tuple[Path, Path], claims: Run, tmp_path: Path
) -> None:
    """Opt-in: publishes the fixture's 0.1.0 to CLAIMS_TEST_REPO_ID (default
    USER/claims-publish-test), publishes it again (nothing to do: builds are reproducible),
    and loads the tag back."""
    repo_id = os.environ.get("CLAIMS_TEST_REPO_ID") or _run_online(
        "from huggingface_hub import whoami; print(whoami()['name'] + '/claims-publish-test')"
    )
    command = [CLAIMS_COMMAND, "publish", str(versions[0]), "--repo-id", repo_id]
    outputs = []
    for _ in range(2):
        result = subprocess.run(
            command, capture_output=True, text=True, env=_online(), check=False, timeout=600
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert "tagged v0.1.0" in outputs[0] or "nothing to do" in outputs[0]
    assert "nothing to do" in outputs[1]
    loaded = _run_online(LOAD, repo_id, "v0.1.0", HF_HOME=str(tmp_path / "hf-home"))
    assert json.loads(loaded) == _ids_by_split(versions[0])


def test_a_missing_target_gets_the_command_that_makes_it_or_init_makes_it(
    versions: tuple[Path, Path], tmp_path: Path, claims: Run, no_git_config: None
) -> None:
    target = tmp_path / "new" / "mini-claims.git"
    refused = claims("publish", versions[0], "--git", target)
    assert refused.returncode == 2
    assert f"git init --bare --initial-branch=main {target}" in refused.stderr
    assert not target.exists()
    dry = claims("publish", versions[0], "--git", target, "--init", "--dry-run")
    assert dry.returncode == 0 and not target.exists()
    made = claims("publish", versions[0], "--git", target, "--init")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"created the bare repository {target}")
    assert claims("publish", versions[1], "--git", target).returncode == 0


def test_a_clone_of_the_target_checks_out_main_with_gitattributes_and_no_warning(
    versions: tuple[Path, Path], bare: Path, tmp_path: Path, claims: Run
) -> None:
    """A fresh bare repository's HEAD says master; after publishing it says main."""
    for build in versions:
        assert claims("publish", build, "--git", bare).returncode == 0
    clone = subprocess.run(
        ["git", "clone", str(bare), str(tmp_path / "clone")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert clone.returncode == 0, clone.stderr
    assert "warning" not in clone.stderr.lower()
    assert git(tmp_path / "clone", "branch", "--show-current") == "main"
    attributes = (tmp_path / "clone" / ".gitattributes").read_text(encoding="utf-8")
    assert "*.parquet filter=lfs diff=lfs merge=lfs -text" in attributes
    assert (tmp_path / "clone" / "claims" / "train-00000-of-00001.parquet").is_file()


def test_a_hub_dry_run_without_network_still_lists_the_plan(
    versions: tuple[Path, Path], claims: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests run with HF_HUB_OFFLINE=1: no request can leave."""
    result = claims("publish", versions[0], "--repo-id", f"{OWNER}/{NAME}", "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"could not reach the Hub to see what {OWNER}/{NAME} holds")
    assert "would upload: claims/train-00000-of-00001.parquet" in lines
    assert lines[-1] == "would tag v0.1.0"


# Atomic pushes and files stored as built ---------------------------------------------------------


def _refuse_branch_updates(bare: Path) -> Path:
    """An update hook in the target that refuses every branch update and takes tags."""
    hook = bare / "hooks" / "update"
    hook.write_text(
        '#!/bin/sh\ncase "$1" in refs/heads/*) echo "branches are frozen" >&2; exit 1;; esac\n'
    )
    hook.chmod(0o755)
    return hook


def test_a_refused_branch_update_publishes_no_tag_and_a_retry_publishes_both(
    versions: tuple[Path, Path], bare: Path, claims: Run
) -> None:
    """The branch and the tag go in one atomic push: the target takes both or neither, and
    publishing again once the target takes pushes does the whole job."""
    first, second = versions
    assert claims("publish", first, "--git", bare).returncode == 0
    hook = _refuse_branch_updates(bare)
    refused = claims("publish", second, "--git", bare)
    assert refused.returncode == 2
    assert git(bare, "tag", "--list").splitlines() == ["v0.1.0"]
    assert git(bare, "rev-parse", "main") == git(bare, "rev-parse", "v0.1.0^{commit}")
    assert f"nothing was published to {bare}" in refused.stderr
    hook.unlink()
    retried = claims("publish", second, "--git", bare)
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.splitlines()[-1].startswith("tagged v0.2.0 = ")
    assert git(bare, "tag", "--list").splitlines() == ["v0.1.0", "v0.2.0"]
    assert git(bare, "rev-parse", "main") == git(bare, "rev-parse", "v0.2.0^{commit}")


def test_a_tag_published_without_its_branch_is_finished_by_publishing_again(
    versions: tuple[Path, Path], bare: Path, claims: Run, tmp_path: Path
) -> None:
    """A target left with the tag but not the branch (by a push that was not atomic) gets
    its branch moved to the tag, and after that has nothing to do."""
    first, second = versions
    assert claims("publish", first, "--git", bare).returncode == 0
    elsewhere = tmp_path / "elsewhere.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(bare), str(elsewhere))
    assert claims("publish", second, "--git", elsewhere).returncode == 0
    git(elsewhere, "push", "--quiet", str(bare), "refs/tags/v0.2.0")
    assert git(bare, "rev-parse", "main") == git(bare, "rev-parse", "v0.1.0^{commit}")
    dry = claims("publish", second, "--git", bare, "--dry-run")
    assert dry.stdout == f"would move main of {bare} to v0.2.0, which is not on it yet\n"
    finished = claims("publish", second, "--git", bare)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith("v0.2.0 was published without main: moved main to it")
    assert git(bare, "rev-parse", "main") == git(bare, "rev-parse", "v0.2.0^{commit}")
    again = claims("publish", second, "--git", bare)
    assert "already published" in again.stdout and "nothing to do" in again.stdout


EVIL_CONFIG = """\
[core]
\tautocrlf = true
[filter "evil"]
\tclean = tr a-z A-Z
\tsmudge = tr A-Z a-z
\trequired = true
"""


@pytest.fixture
def converting_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_git_config: None
) -> Callable[[], None]:
    """Call it to give the machine's git a configuration that converts line ends
    (core.autocrlf) and defines a filter that rewrites what it stores."""
    config = tmp_path / "gitconfig"
    config.write_text(EVIL_CONFIG)
    return lambda: monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


@pytest.mark.parametrize(
    "attributes",
    ["* text eol=crlf\n", "* filter=evil\n", "*.parquet filter=evil\n*.md text eol=crlf\n"],
)
def test_the_target_s_attributes_do_not_change_the_published_bytes(
    versions: tuple[Path, Path],
    bare: Path,
    claims: Run,
    converting_git: Callable[[], None],
    attributes: str,
) -> None:
    """A target whose .gitattributes converts line ends or runs a filter (one the machine's
    git configuration defines, as git-lfs does for `filter=lfs`) receives every file of the
    build byte for byte: each blob at the tag has the digest SHA256SUMS lists, and the
    target keeps its .gitattributes."""
    work = bare.parent / "work"
    git(bare.parent, "clone", "--quiet", str(bare), str(work))
    (work / ".gitattributes").write_text(attributes)
    git(work, "add", ".gitattributes")
    git(work, "commit", "--quiet", "-m", "Attributes")
    git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    kept = git(bare, "rev-parse", "main:.gitattributes")
    converting_git()
    build = versions[0]
    result = claims("publish", build, "--git", bare)
    assert result.returncode == 0, result.stderr
    listed = dict(
        reversed(line.split("  ", 1))
        for line in (build / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    )
    published = {}
    for name in listed:
        blob = subprocess.run(
            ["git", "cat-file", "blob", f"v0.1.0:{name}"], cwd=bare, capture_output=True, check=True
        ).stdout
        published[name] = hashlib.sha256(blob).hexdigest()
    assert published == listed
    assert git(bare, "rev-parse", "v0.1.0:SHA256SUMS") == _blob_id(build / "SHA256SUMS")
    assert git(bare, "rev-parse", "v0.1.0:.gitattributes") == kept
