"""Translations: compiling the Qt Linguist files, finding the compiled ones, and re-extracting the strings.

The ``.ts`` files live in ``resources/translations/`` (one per language, ``kiosk_<lang>.ts``) and are compiled to
``.qm`` with ``pyside6-lrelease``: by ``installer/setup.sh`` for a checkout, by the package build for a wheel
(``compile_translations(folder)``). A checkout that was never compiled still works: ``qm_file`` compiles into the
kiosk's data folder on first use.

    python -m kiosk.i18n extract     # re-read every tr() in kiosk/ui/ (and the domain's refusals, see
                                     # kiosk.i18n_domain) into the .ts files (translations are kept)
    python -m kiosk.i18n compile DIR # the .qm files into DIR
    python -m kiosk.i18n check       # fails when an entry is unfinished or untranslated
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.domain.language import LANGUAGES
from kiosk.resources import ResourceMissing, resource_path, resources_dir

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")  # English is the source language
SOURCES = Path(__file__).resolve().parent  # the package the strings are read from


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)  # the venv's bin/ (PySide6 installs the tools there)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (it comes with PySide6)")
    return found


def ts_file(lang: str) -> Path:
    return resources_dir() / "translations" / f"kiosk_{lang}.ts"


def compile_translations(folder: Path) -> list[Path]:
    """Compile every ``resources/translations/*.ts`` into ``folder``; returns the .qm files written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for lang in TRANSLATED:
        qm = folder / f"kiosk_{lang}.qm"
        done = subprocess.run([_tool("pyside6-lrelease"), str(ts_file(lang)), "-qm", str(qm)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0 or not qm.exists():
            raise RuntimeError(f"pyside6-lrelease failed for {lang}: {done.stderr or done.stdout}")
        out.append(qm)
    return out


def qm_file(lang: str) -> Path | None:
    """The compiled translation for ``lang`` (None for English), compiling it on first use in a checkout."""
    if lang == "en":
        return None
    source = ts_file(lang)
    try:
        built = resource_path("translations", f"kiosk_{lang}.qm")
        if not source.exists() or built.stat().st_mtime >= source.stat().st_mtime:
            return built  # an installed package, or a checkout compiled since the .ts last changed
    except ResourceMissing:
        pass
    from kiosk.settings import data_dir

    cached = data_dir() / "translations" / f"kiosk_{lang}.qm"
    if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
        compile_translations(cached.parent)
    return cached


def sources() -> list[Path]:
    """The files lupdate reads: the Qt side (the domain's text for emails is in kiosk.domain.language)."""
    return sorted((SOURCES / "ui").rglob("*.py"))


def extract(langs: tuple[str, ...] = TRANSLATED) -> str:
    """Regenerate the domain's sentences (``kiosk.i18n_domain``), then run pyside6-lupdate over the UI sources into
    each .ts (new strings come in unfinished); its report."""
    from kiosk import i18n_domain

    reports = ["kiosk/ui/domain_text.py regenerated\n" if i18n_domain.write() else ""]
    for lang in langs:
        ts = ts_file(lang)
        done = subprocess.run([_tool("pyside6-lupdate"), *map(str, sources()), "-ts", str(ts),
                               "-source-language", "en", "-target-language", lang, "-locations", "none",
                               "-no-obsolete"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pyside6-lupdate failed: {done.stderr or done.stdout}")
        reports.append(done.stdout + done.stderr)
    return "".join(reports)


def unfinished(ts: Path) -> list[str]:
    """The entries of a .ts with no finished translation: ``context: source``."""
    bad = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
                if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                    continue
                bad.append(f"{name}: {msg.findtext('source')}")
    return bad


def reverse_catalogue(lang: str) -> dict[str, str]:
    """translation -> source for ``lang`` (so a screen already shown in it can be put back in English)."""
    out: dict[str, str] = {}
    for msg in ET.parse(ts_file(lang)).getroot().iter("message"):
        tr = msg.find("translation")
        if tr is not None and tr.text and msg.findtext("source"):
            out.setdefault(tr.text, msg.findtext("source") or "")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["extract"]:
        print(extract(), end="")
        missing = [f"{lang}: {m}" for lang in TRANSLATED for m in unfinished(ts_file(lang))]
        print(f"{len(missing)} unfinished entries" + ("".join(f"\n  {m}" for m in missing[:50])))
        return 0
    if args[:1] == ["compile"] and len(args) == 2:
        for qm in compile_translations(Path(args[1])):
            print(qm)
        return 0
    if args[:1] == ["check"]:
        missing = [f"{lang}: {m}" for lang in TRANSLATED for m in unfinished(ts_file(lang))]
        for m in missing:
            print(m)
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
