"""ui layer: Qt widgets, item models, undo commands and workers (see docs/ARCHITECTURE.md).

Importing this package first guards against a reference-counting defect of some PySide6
releases (seen with 6.12.0 on Python 3.11): each call of a C++ method that returns void drops
a reference to ``None`` that it never took. Python 3.12 made ``None`` immortal, so there it is
harmless; on 3.11 a working session of a few minutes brings the count to zero and the
interpreter aborts ("deallocating None"). The guard gives ``None`` a count no session can use
up, which is what 3.12 does by design. It only acts on 3.11, and only when the count sits
where CPython keeps it (the first field of the object), so it never writes blind.
"""

import sys


def _keep_none_alive() -> None:
    import ctypes

    cell = ctypes.c_ssize_t.from_address(id(None))
    if cell.value == sys.getrefcount(None) - 1:
        cell.value += 1 << 40


if sys.version_info < (3, 12):
    _keep_none_alive()
