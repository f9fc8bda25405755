"""What git knows about the sources: the commit a build comes from, and when files last changed.

Read-only and tolerant: outside a git work tree, without ``git`` on the
PATH, or when git fails, the stamp is ``"unknown"``. ``SOURCE_COMMIT`` in the
environment wins (for builds from a tarball, where CI knows the commit).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

UNKNOWN_COMMIT = "unknown"
_SHA_RE = re.compile(r"^[0-9a-f]{7,64}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def git_commit(where: Path | str = ".") -> str:
    """The commit checked out at ``where`` (full hash), or ``"unknown"``.

    Args:
        where: A file or folder inside the work tree (e.g. the KB folder).
    """
    override = os.environ.get("SOURCE_COMMIT", "").strip().lower()
    if _SHA_RE.match(override):
        return override
    folder = Path(where)
    if not folder.is_dir():
        folder = folder.parent
    if not folder.is_dir():
        return UNKNOWN_COMMIT
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            errors="replace",  # git prints file and ref names as raw bytes (core.quotepath=false)
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN_COMMIT
    sha = result.stdout.strip()
    return sha if result.returncode == 0 and _SHA_RE.match(sha) else UNKNOWN_COMMIT


def short_commit(commit: str) -> str:
    """The first 12 characters of a commit hash (``unknown`` stays as is)."""
    return commit[:12]


def last_changed(folder: Path | str) -> dict[str, str]:
    """When each file under ``folder`` was last changed in git, as ``YYYY-MM-DD``.

    The committer date of the newest commit touching the file (so two builds
    of one commit agree), keyed by the path relative to ``folder``. Empty
    outside a git work tree or when git fails; uncommitted files are absent.
    """
    root = Path(folder)
    if not root.is_dir():
        return {}
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--relative", "--no-renames", "--", "."],
            capture_output=True,
            text=True,
            errors="replace",  # git prints file and ref names as raw bytes (core.quotepath=false)
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    dates: dict[str, str] = {}
    for commit in result.stdout.split("\0")[1:]:
        date, *names = commit.strip("\n").split("\n")
        if not _DATE_RE.match(date):
            continue
        for name in names:
            if name:
                dates.setdefault(name, date)  # newest commit first
    return dates
