"""Build the site into a staging folder, then swap it in (the ``site`` command's work).

MkDocs cleans its output folder before it writes, so a failed build would
leave a half-written site. Here MkDocs writes to ``.<site>-build`` next to
the target; only when it succeeds is the old folder replaced (two renames),
so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from generator.write.files import OutsideRoot, check_apart, check_replaceable, swap_in

DEFAULT_EPOCH = "1767225600"  # 2026-01-01: fixed, so two builds are byte-identical


def mkdocs_command(config: Path, site_dir: Path, *, strict: bool = True, quiet: bool = False) -> list[str]:
    """The ``mkdocs build`` command line for one build."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict"]
    command += ["-f", str(config), "-d", str(site_dir)]
    return command + (["-q"] if quiet else [])


def build_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a reproducible build (``SOURCE_DATE_EPOCH`` fixed unless set)."""
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra or {})
    return env


def kb_folder(config: Path | str, env: Mapping[str, str] | None = None) -> Path:
    """The KB folder a build of ``config`` reads: ``$KB_DIR`` (``env``'s, else this process's) or ``kb/`` beside it.

    The one rule for both sides of a build: :func:`build_site` checks its
    output against this folder before MkDocs starts, and the MkDocs hook reads it.
    """
    override = (env or {}).get("KB_DIR") or os.environ.get("KB_DIR")
    return Path(override) if override else Path(os.path.abspath(config)).parent / "kb"


def site_inputs(config: Path, env: Mapping[str, str] | None = None) -> dict[str, Path]:
    """The folders a build reads: the KB (:func:`kb_folder`) and the config's ``docs_dir``."""
    root = Path(os.path.abspath(config)).parent
    return {"the knowledge-base folder": kb_folder(config, env), "the docs folder": root / _docs_dir(config)}


def _docs_dir(config: Path) -> str:
    """The config's ``docs_dir`` (``docs`` when unreadable: MkDocs then reports the config itself)."""

    class _Lenient(yaml.SafeLoader):
        pass

    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name and friends
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient)  # a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "docs"
    value = data.get("docs_dir") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else "docs"


def build_site(
    site_dir: Path,
    *,
    config: Path = Path("mkdocs.yml"),
    strict: bool = True,
    quiet: bool = False,
    env: Mapping[str, str] | None = None,
) -> int:
    """Build with MkDocs into a staging folder and swap it into ``site_dir`` on success.

    Raises:
        OutsideRoot: if ``site_dir`` is a link, or overlaps what the build
            reads (the KB, the docs folder, the folder of the config or the current folder).
        WrongKind: if ``site_dir`` exists and is not a folder.

    Returns:
        MkDocs' exit code (0 on success; the previous ``site_dir`` is untouched otherwise).
    """
    if Path(os.path.abspath(site_dir)).is_symlink():
        # Building would replace the folder the link points to, wherever it is.
        raise OutsideRoot(f"'{site_dir}' is a symbolic link; the site is built only into a real folder")
    check_apart(site_dir, site_inputs(config, env), around=[Path.cwd(), config.parent])
    check_replaceable(site_dir, folder=True)
    site_dir = Path(os.path.abspath(site_dir))
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.with_name(f".{site_dir.name}-build")
    if staging.is_symlink():
        staging.unlink()  # the link only, never what it points to
    shutil.rmtree(staging, ignore_errors=True)
    command = mkdocs_command(config, staging, strict=strict, quiet=quiet)
    result = subprocess.run(command, env=build_env(env), check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return result.returncode
    swap_in(staging, site_dir)
    return 0
