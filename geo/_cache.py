"""A small on-disk cache for derived data (user cache directory; ``TUMEN_ATLAS_CACHE`` overrides it).

Entries are keyed by a fingerprint of everything they are derived from (the code that computes
them and the package data it reads), written atomically, and rebuilt when unreadable.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    env = os.environ.get("TUMEN_ATLAS_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tumen-atlas"))


def fingerprint(*parts: bytes | str | Path) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, Path):
            h.update(p.read_bytes())
        elif isinstance(p, str):
            h.update(p.encode())
        else:
            h.update(p)
    return h.hexdigest()[:16]


def load(name: str, key: str) -> Any | None:
    path = cache_dir() / f"{name}-{key}.pkl"
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception as e:  # a corrupt entry is rebuilt, never trusted
        log.warning("ignoring unreadable cache entry %s: %s", path, e)
        return None


def store(name: str, key: str, value: Any, *, keep_latest: int = 1) -> None:
    """Write one entry atomically; of the entries of that name, keep only the ``keep_latest`` newest."""
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        target = d / f"{name}-{key}.pkl"
        os.replace(tmp, target)
        others = sorted((p for p in d.glob(f"{name}-*.pkl") if p != target), key=lambda p: p.stat().st_mtime, reverse=True)
        prune(name, keep=[target, *others[: keep_latest - 1]])
    except OSError as e:
        log.warning("could not write cache entry %s in %s: %s", name, d, e)


def prune(name: str, keep: Iterable[Path]) -> None:
    """Delete cached ``name-*`` files other than ``keep`` (derived from older code or data)."""
    keep = {Path(k).name for k in keep}
    for old in cache_dir().glob(f"{name}-*"):
        if old.name not in keep and old.suffix in (".pkl", ".aho"):
            try:
                old.unlink()
            except OSError:
                pass


def cached(name: str, parts: Iterable[bytes | str | Path], compute: Callable[[], Any]) -> Any:
    """``compute()``, or its cached value for the same fingerprint of ``parts``."""
    key = fingerprint(*parts)
    value = load(name, key)
    if value is None:
        value = compute()
        store(name, key, value)
    return value
