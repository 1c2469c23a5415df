"""Where the program's data files are: `resources/` and `migrations/`, from a wheel or a checkout alike.

Both folders live at the top of the repository (the design card fixes them there) and are mapped into the
package at build time as ``kiosk._resources`` and ``kiosk._migrations`` (see ``setup.py``). An editable
install maps the same names onto the checkout's folders, and a PyInstaller bundle carries them as data, so
every caller asks here and never builds a path into the source tree.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as _importlib_resources
from pathlib import Path


class ResourceMissing(FileNotFoundError):
    """A file the program ships is not where the installed package says it is."""


@cache
def _root(package: str) -> Path:
    try:
        root = _importlib_resources.files(package)
    except ModuleNotFoundError as exc:  # a broken install: say which part is missing
        raise ResourceMissing(f"the installed program has no {package} data ({exc})") from exc
    path = Path(str(root))
    if not path.is_dir():
        raise ResourceMissing(f"the installed program's {package} data is not a folder: {path}")
    return path


def resources_dir() -> Path:
    """The folder holding the shipped resources (icons, translations, examples, service files)."""
    return _root("kiosk._resources")


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource, e.g. ``resource_path("icons", "printer.svg")``.

    Raises ResourceMissing (a FileNotFoundError) if the file is not shipped.
    """
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceMissing(f"resource not found: {'/'.join(parts)} (looked in {resources_dir()})")
    return path


def migrations_dir() -> Path:
    """The Alembic script folder (env.py, versions/) the program upgrades databases with."""
    return _root("kiosk._migrations")
