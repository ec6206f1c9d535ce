"""`claims publish`: a built folder to the Hub or a git repository, tagged v<version>."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from builder import extras
from builder.cli.common import Subcommands
from builder.errors import ExitCode, UsageError


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "publish",
        help="upload a build and tag it v<version>",
        description="Publish a built folder (checked against its SHA256SUMS first) to a "
        "Hugging Face dataset repository (--repo-id; the token comes from HF_TOKEN) or to a "
        "git repository (--git), as one commit tagged v<version>. Files of the previous version "
        "that the build lacks are deleted. With --git, the files are stored byte for byte "
        "(the target's .gitattributes converts or filters none of them), and the branch and "
        "the tag are pushed in one atomic push: both land or neither, and publishing again "
        "finishes the job. An existing tag is never moved: publishing the same files again "
        "does nothing, different files are refused.",
    )
    command.add_argument("folder", type=Path, metavar="DIST_DIR")
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--repo-id", metavar="OWNER/NAME", help="the Hub dataset repository")
    target.add_argument("--git", metavar="PATH_OR_URL", help="a git repository to push to")
    command.add_argument(
        "--dry-run", action="store_true", help="say what would be done, change nothing"
    )
    command.add_argument(
        "--init",
        action="store_true",
        help="with --git, create a local target that does not exist (a bare repository on main)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    publish = extras.require("builder.publish", "claims publish")
    token = os.environ.get("HF_TOKEN") or None
    if args.repo_id and not token and not args.dry_run:
        raise UsageError("set HF_TOKEN to a Hugging Face token with write access to publish")
    built = publish.Built.read(args.folder)
    if args.git:
        done = publish.publish_git(built, args.git, dry_run=args.dry_run, init=args.init)
    else:
        done = publish.publish_hub(built, args.repo_id, token=token, dry_run=args.dry_run)
    print("\n".join(done))
    return ExitCode.OK
