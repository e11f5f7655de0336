"""The one way every output and cache entry is written: atomically, and only over what may be replaced.

A file is written beside its destination under a temporary name and renamed over it when complete,
so a reader never sees half a file and a failure (an error, a full disk, Ctrl-C) leaves the previous
file as it was and no temporary file behind. Only a regular file or a missing path is replaced:

- a symbolic link is written *through*: its target is the file replaced, the link stays a link;
- a device, a named pipe (FIFO) or a socket is refused with :class:`OutputError` naming the path (a
  rename would put a regular file in its place: ``/dev/full`` become a file, a pipe lose its reader);
- a folder is refused, but for :func:`atomic_path` ``directory=True`` over a missing or empty one.

New files and folders get the usual permissions, ``0o666`` (``0o777``) less the process's umask; a
file replaced keeps its own mode. This module imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import IO, Iterator

from geo._errors import TumenAtlasError

__all__ = ["OutputError", "atomic_open", "atomic_path", "check_output", "write_atomic"]


class OutputError(TumenAtlasError, OSError):
    """An output path that must not be written over (a device, a pipe, a socket, a folder)."""

    def __str__(self) -> str:  # OSError's own str would show "(errno) None"
        return self.args[0] if self.args else "cannot write output"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def check_output(path: str | os.PathLike, *, directory: bool = False) -> Path:
    """The path that writing ``path`` replaces: ``path`` itself, or the file a symbolic link leads to.

    Raises :class:`OutputError` naming ``path`` when it is a device, a pipe, a socket, or a folder
    (unless ``directory``, where an empty folder is fine and a file is not). Cheap: commands call it
    before their work so that a bad ``--out`` fails in a moment, not after a build."""
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except NotADirectoryError as e:
        raise OutputError(f"{given}: cannot write: a parent of it is a file, not a folder") from e
    kind = _kind(st.st_mode)
    if directory:
        if kind is None:
            raise OutputError(f"{given}: is a file, not a folder")
        if kind != "a folder":
            raise OutputError(f"{given}: is {kind}; outputs are written only to regular files, folders or new paths")
        if any(target.iterdir()):
            raise OutputError(f"{given}: folder is not empty (written only into an empty or new one)")
        return target
    if kind is not None:
        via = f" (a link to {target})" if target != given else ""
        raise OutputError(f"{given}{via}: is {kind}, not a regular file; refusing to write over it "
                          "(outputs are written only to regular files or new paths)")
    return target


def umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path, directory: bool) -> int:
    try:
        st = os.stat(target)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)  # a file replaced keeps its mode
    except OSError:
        pass
    return (0o777 if directory else 0o666) & ~umask()


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            p.unlink()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, directory: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` to write (a file, or with ``directory`` a folder of files),
    renamed over ``path`` when the block ends without error and removed on any error. Yields the
    temporary path; the destination is :func:`check_output`'s."""
    target = check_output(path, directory=directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target, directory)
    if directory:
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    else:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, mode)  # mkstemp and mkdtemp make private files and folders
        check_output(path, directory=directory)  # nothing else took the name meanwhile
        if directory and target.is_dir():
            target.rmdir()  # empty (checked); a folder cannot be renamed over another
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb", **kw) -> Iterator[IO]:
    """``open(path, mode)`` on a temporary file renamed over ``path`` when the block succeeds."""
    if not mode.startswith("w"):
        raise ValueError(f"atomic_open writes: mode must start with 'w', got {mode!r}")
    with atomic_path(path) as tmp, open(tmp, mode, **kw) as f:
        yield f


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; returns ``path``."""
    with atomic_open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
