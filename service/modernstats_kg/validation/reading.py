"""Read a file to validate safely: regular files only, never more than a size cap.

`mskg validate` takes paths from its user, and a path can name a device (`/dev/zero` never ends), a FIFO (reading
blocks until a writer comes) or a huge file. The file is opened without blocking, checked with `fstat` on the open
descriptor (so what is checked is what is read) and read up to the cap plus one byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..content import ContentError
from .limits import MAX_FILE_BYTES

__all__ = ["MAX_FILE_BYTES", "read_regular_file"]


def read_regular_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`; `ContentError` (naming the file) when it is not a regular file or is over `max_bytes`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise ContentError(f"cannot read file ({exc.strerror or exc})", path=path) from exc
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ContentError(f"not a regular file ({_kind(mode)})", path=path)
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise ContentError(f"cannot read file ({exc.strerror or exc})", path=path) from exc
    if len(data) > max_bytes:
        raise ContentError(f"larger than the {max_bytes:,}-byte limit for a file to validate", path=path)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"
