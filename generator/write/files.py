"""Atomic writes: the write stage's two primitives.

A file is written to a temporary name and renamed (:func:`write_atomic`,
used by every command that writes); a folder is built beside its target and
swapped in with renames (:func:`swap_in`, used by the site build), so a
failed command never leaves a half-written output behind.

Disk access is confined to ``load/`` (reading, git included) and ``write/``
(this module, the site build and the MkDocs adapter); the CLI writes only
through :func:`write_atomic`.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


class OutsideRoot(OSError):
    """A write that would land outside the folder it must stay in (through a link)."""


class OverlapsInput(OutsideRoot):
    """An output folder that would replace (or be written into) a folder the command reads."""


def check_apart(out: Path, inputs: Mapping[str, Path], around: Iterable[Path] = ()) -> None:
    """Refuse an output folder that a replace-on-success write would destroy an input with.

    ``out`` may be neither equal to, above nor inside any folder of ``inputs``
    (mapped from a name for the message, such as "the knowledge-base folder").
    Nor may it be equal to or above a folder of ``around`` (the current folder,
    the config's folder): replacing it would delete the repository. Links are
    followed, so a link to an input is refused too.

    Raises:
        OverlapsInput: naming ``out`` and the input it overlaps.
    """
    target = Path(os.path.realpath(out))
    for what, folder in inputs.items():
        real = Path(os.path.realpath(folder))
        if target == real or target in real.parents or real in target.parents:
            raise OverlapsInput(f"'{out}' overlaps {what} '{folder}'; choose an output folder apart from it")
    for folder in around:
        real = Path(os.path.realpath(folder))
        if target == real or target in real.parents:
            raise OverlapsInput(f"'{out}' holds '{folder}', which replacing it would delete; choose another folder")


def check_inside(path: Path, root: Path) -> None:
    """Refuse ``path`` unless its folder is ``root`` or below it, with no link on the way.

    Raises:
        OutsideRoot: if the folder of ``path`` resolves outside ``root``, or
            ``root`` itself is a link.
    """
    base = Path(os.path.abspath(root))
    if base.is_symlink():
        raise OutsideRoot(f"'{root}' is a symbolic link; nothing is written through it")
    real_base = Path(os.path.realpath(base))
    folder = Path(os.path.abspath(path)).parent
    # The nearest existing ancestor decides where new folders would be created.
    existing = folder
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    real = Path(os.path.realpath(existing))
    if not (real == real_base or real_base in real.parents):
        raise OutsideRoot(f"'{path}' leads outside '{root}' (through a symbolic link); nothing was written")
    probe = folder
    while probe != base and base in probe.parents:
        if probe.is_symlink():
            raise OutsideRoot(f"'{probe}' is a symbolic link; nothing is written through it")
        probe = probe.parent


class WrongKind(OSError):
    """An output path held by another kind of node: a device, pipe or socket, or a file where a folder goes."""


def check_replaceable(path: Path, *, folder: bool) -> None:
    """Refuse to replace ``path`` unless it is missing, a link, or of the kind the write makes.

    Writes rename over their target, so a device, pipe or socket there would
    itself be replaced (``-o /dev/null`` would turn the null device into a
    file or a folder).

    Raises:
        WrongKind: naming ``path`` and what it is.
    """
    if path.is_symlink() or not path.exists() or (path.is_dir() if folder else path.is_file()):
        return
    kind = "a folder" if path.is_dir() else "a file" if path.is_file() else "a device, pipe or socket"
    wanted = "folder" if folder else "regular file"
    raise WrongKind(errno.EEXIST, f"is {kind}, not a {wanted}; nothing was written", str(path))


def write_atomic(path: Path, content: str | bytes, *, root: Path | None = None) -> None:
    """Write one file via a temporary file and rename.

    With ``root``, the file must stay inside that folder: no link on its
    way may lead elsewhere (:func:`check_inside`). A link at ``path`` itself
    is replaced, never written through; anything but a regular file there is
    refused (:func:`check_replaceable`).

    Raises:
        OutsideRoot: when ``root`` is given and ``path`` would leave it.
        WrongKind: when ``path`` is a folder, device, pipe or socket.
    """
    if root is not None:
        check_inside(path, root)
    check_replaceable(path, folder=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Replace folder ``target`` by ``staging`` with renames (old tree removed after).

    Raises:
        WrongKind: if ``target`` is not a folder (:func:`check_replaceable`).
    """
    check_replaceable(target, folder=True)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-"))
        os.replace(target, old / "tree")
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old)
