"""On a seeded district, every report renders in every format through `kiosk report`; the other commands run."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.domain import schema, seed
from kiosk.domain.db import Database
from kiosk.domain.reports import REPORTS


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('district')}/district.sqlite3"
    db = Database(url)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=300, tickets=600, hash_passwords=False,
                                   as_of=datetime.now(UTC).date()))
    db.dispose()
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_renders_in_every_format(name: str, seeded_url: str, tmp_path: Path) -> None:
    code, text = _run("report", name, "--url", seeded_url, "--json")
    assert code == 0
    data = json.loads(text)
    assert data["report"] == name and data["pages"]
    code, text = _run("report", name, "--url", seeded_url, "--csv")
    assert code == 0
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert blocks and all(b.startswith("# ") for b in blocks)
    header = next(csv.reader(io.StringIO(blocks[0].split("\n", 1)[1])))
    first_table = next(iter(data["pages"][0]["tables"].values()))
    if first_table:
        assert header == list(first_table[0].keys())
    html_file = tmp_path / f"{name}.html"
    code, _ = _run("report", name, "--url", seeded_url, "--html", "--out", str(html_file))
    assert code == 0
    page = html_file.read_text()
    assert page.startswith("<!doctype html>") and page.count('<section class="page"') == len(data["pages"])
    pdf_file = tmp_path / f"{name}.pdf"
    code, _ = _run("report", name, "--url", seeded_url, "--pdf", "--out", str(pdf_file))
    assert code == 0 and pdf_file.read_bytes().startswith(b"%PDF")
    code, text = _run("report", name, "--url", seeded_url)
    assert code == 0 and text.strip()


def test_charts_are_svg_in_html(seeded_url: str, tmp_path: Path) -> None:
    out = tmp_path / "objectives.html"
    assert _run("report", "objectives", "--url", seeded_url, "--html", "--out", str(out))[0] == 0
    assert out.read_text().count("<svg") == 3  # one chart per objective


def test_weekly_pdf_has_a_page_per_technician(seeded_url: str, tmp_path: Path) -> None:
    import pypdfium2

    out = tmp_path / "weekly.pdf"
    assert _run("report", "weekly", "--url", seeded_url, "--pdf", "--out", str(out))[0] == 0
    data = json.loads(_run("report", "weekly", "--url", seeded_url, "--json")[1])
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) >= len(data["pages"])


def test_bad_report_options_are_one_line_errors(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("report", "weekly", "--url", seeded_url, "--week", "2026-W99")[0] == 2
    assert capsys.readouterr().err.strip() == "kiosk: error: 2026 has no week 99"
    assert _run("report", "weekly", "--url", seeded_url, "--from", "2026-09-01")[0] == 2
    assert "--from and --to go together" in capsys.readouterr().err
    assert _run("report", "weekly", "--url", seeded_url, "--campus", "NOPE")[0] == 2
    assert capsys.readouterr().err.startswith("kiosk: error:")
    assert _run("report", "weekly", "--url", seeded_url, "--pdf")[0] == 2
    assert "--pdf needs --out" in capsys.readouterr().err


def test_escalate_mail_and_status_export_commands(seeded_url: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = _run("escalate", "--url", seeded_url)
    assert code == 0 and "open tickets" in text
    code, text = _run("escalate", "--url", seeded_url)
    assert code == 0 and text.strip().endswith(", 0 new escalations")
    monkeypatch.setenv("KIOSK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KIOSK_SMTP_PORT", "9")  # discard port: nothing listens, the mail stays queued
    monkeypatch.setenv("KIOSK_SMTP_SECURITY", "none")
    code, text = _run("mail", "send", "--url", seeded_url)
    assert text.startswith("sent 0")
    assert code in (0, 1)
    code, text = _run("status", "export", str(tmp_path / "site"), "--url", seeded_url)
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert "index.html" in files and len(files) > 1
    index = (tmp_path / "site" / "index.html").read_text()
    assert all(f'href="{f}"' in index for f in files if f != "index.html")


def test_long_tables_are_cut_in_pdf_but_kept_in_csv() -> None:
    import pypdfium2

    from kiosk.domain.reports.base import Page, Report, Table
    from kiosk.domain.reports.render import PDF_MAX_ROWS, to_csv, to_pdf

    rows = [[f"T{i:04d}", i] for i in range(PDF_MAX_ROWS + 100)]
    report = Report("backlog", "Backlog", None, None, datetime(2026, 9, 14, tzinfo=UTC),
                    [Page("summary", "Backlog", tables=[Table("breached", "Breached", ["ticket", "n"], rows)])])
    pdf = pypdfium2.PdfDocument(to_pdf(report))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert f"First {PDF_MAX_ROWS} of {PDF_MAX_ROWS + 100} rows" in text
    assert f"T{PDF_MAX_ROWS - 1:04d}" in text and f"T{PDF_MAX_ROWS:04d}" not in text
    assert to_csv(report).count("\nT") == PDF_MAX_ROWS + 100
