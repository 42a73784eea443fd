"""Writing files so that a reader never sees half of one.

Everything is written to a temporary file in the target's folder and moved
into place with ``os.replace`` only when complete: on any error the temporary
file is removed and an existing file at the target is left untouched.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..rules.errors import SkrFeeError


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it there on success."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SkrFeeError(f"Mappen '{folder}' finns inte: ange en befintlig mapp för '{target.name}'.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise SkrFeeError(f"Kan inte skriva i mappen '{folder}': behörighet saknas.") from None
    os.close(fd)
    tmp_path = Path(tmp)
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
