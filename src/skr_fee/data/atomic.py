"""Writing files so that a reader never sees half of one.

Everything is written to a temporary file in the target's folder and moved
into place with ``os.replace`` only when complete: on any error the temporary
file is removed and an existing file at the target is left untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..rules.errors import SkrFeeError


def _temporary_beside(target: Path) -> Path:
    """An empty temporary file in ``target``'s folder (so that a rename puts it in place), or one
    Swedish line on why the folder cannot have it."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SkrFeeError(f"Mappen '{folder}' finns inte: ange en befintlig mapp för '{target.name}'.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise SkrFeeError(f"Kan inte skriva i mappen '{folder}': behörighet saknas.") from None
    os.close(fd)
    return Path(tmp)


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it there on success."""
    target = Path(target)
    tmp_path = _temporary_beside(target)
    try:
        yield tmp_path
        if target.exists() and not os.access(target, os.W_OK):
            raise SkrFeeError(f"Filen '{target}' är skrivskyddad och skrevs inte över.")
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as e:
        raise SkrFeeError(f"Kunde inte skriva '{target}': {e.strerror or e}.") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def atomic_files(targets: list[Path]) -> Iterator[list[Path]]:
    """All or nothing for a set of files: yields a temporary path beside each target; when the
    block ends, every target is checked (a folder in the way, a read-only file), each existing
    target is kept under a second name, and the new files are renamed into place. Any failure on the way (a file
    locked by another program, a full disk) puts back exactly what was there, so the folder is as
    before; only then are the old files removed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target in targets:
            staged.append((target, _temporary_beside(target)))
        try:
            yield [tmp for _, tmp in staged]
        except OSError as e:  # while a file was being made: a full disk, a folder that refuses files
            raise SkrFeeError(f"Kunde inte skriva filerna i '{staged[0][0].parent}': {e.strerror or e}; inga filer "
                              "ändrades.") from None
        for target, _ in staged:
            if target.is_dir():
                raise SkrFeeError(f"'{target}' är en mapp: flytta eller byt namn på den, så skrivs filen där.")
            if target.exists() and not os.access(target, os.W_OK):
                raise SkrFeeError(f"Filen '{target}' är skrivskyddad; inga filer skrevs.")
        _commit(staged)
    finally:
        for _, tmp in staged:
            if tmp.exists():
                tmp.unlink()


def _keep(target: Path) -> Path:
    """The old file kept under a second name until the set is in place: a hard link (no copy),
    or a copy where the file system has no links (some network shares)."""
    kept = target.with_name(f".{target.name}.{os.getpid()}.gammal")
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)
    return kept


def _commit(staged: list[tuple[Path, Path]]) -> None:
    """Each new file replaces its target in one rename; a target that refuses is never touched,
    and those already replaced get their old file back."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for target, tmp in staged:
            kept = _keep(target) if target.exists() else None
            try:
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except OSError:
                if kept is not None:
                    kept.unlink(missing_ok=True)
                raise
            done.append((target, kept))
    except OSError as e:
        for target, kept in reversed(done):
            if kept is not None:
                os.replace(kept, target)
            else:
                target.unlink(missing_ok=True)
        name = next(t.name for t, _ in staged if t not in {d for d, _ in done})
        reason = "den är öppen i ett annat program eller låst" if isinstance(e, PermissionError) else (e.strerror or e)
        raise SkrFeeError(f"Kunde inte skriva '{name}' ({reason}); inga filer ändrades. Stäng filen och försök "
                          "igen.") from None
    for _, kept in done:
        if kept is not None:
            kept.unlink(missing_ok=True)
