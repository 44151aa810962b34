"""Find the folders that ship with the library: inside the package, else beside it.

A wheel maps ``templates/`` and ``courses/`` into the package; an editable install or a
source checkout leaves them at the top level of the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir() and any(p.name != "__init__.py" for p in inside.iterdir()):
        return inside
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"cannot find the {name!r} folder inside or beside {PACKAGE_DIR}")
