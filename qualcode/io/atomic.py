"""Writing an output file so that a reader never sees half of it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def write_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a temporary file beside ``out``, which then takes the name in one step
    (a crash or error leaves the old file, or none, never a partial one)."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
