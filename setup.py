"""Build hook: the top-level `migrations/` and `resources/` folders become the package's data.

They stay at the top of the repository (the design card fixes them there) and are mapped into the package
as ``kiosk._migrations`` and ``kiosk._resources``: a wheel carries them, an editable install maps them onto
the checkout, and the program finds them through ``kiosk.resources``. Translations (``.ts``) are compiled to
``.qm`` into the build when ``kiosk.i18n`` provides its compiler.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA_PACKAGES = {"kiosk._migrations": "migrations", "kiosk._resources": "resources"}


class BuildPy(build_py):
    """Also compiles Qt translations into the built package (the `.qm` files are never committed)."""

    def run(self) -> None:
        super().run()
        ts_dir = HERE / "resources" / "translations"
        if not any(ts_dir.glob("*.ts")):
            return
        out = Path(self.build_lib) / "kiosk" / "_resources" / "translations"
        out.mkdir(parents=True, exist_ok=True)
        import sys

        sys.path.insert(0, str(HERE))
        try:
            from kiosk.i18n import compile_translations  # type: ignore[import-not-found]
        except ImportError:
            return
        finally:
            sys.path.pop(0)
        compile_translations(out)


def data_packages() -> dict[str, list[str]]:
    """Every folder of the data trees as a package name, with all its files as package data."""
    found: dict[str, list[str]] = {}
    for name, folder in DATA_PACKAGES.items():
        root = HERE / folder
        for sub in sorted(p for p in [root, *root.rglob("*")] if p.is_dir() and p.name != "__pycache__"):
            rel = sub.relative_to(root).parts
            found[".".join((name, *rel))] = ["*"]
    return found


DATA = data_packages()

setup(
    packages=find_packages(include=["kiosk", "kiosk.*"]) + sorted(DATA),
    package_dir=DATA_PACKAGES,
    package_data=DATA,
    exclude_package_data={name: ["*.pyc"] for name in DATA},
    cmdclass={"build_py": BuildPy},
)
