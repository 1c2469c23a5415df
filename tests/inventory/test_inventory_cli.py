"""`kiosk labels`, `kiosk import devices` and `kiosk export devices`: output, files and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from kiosk import cli

DATA = Path(__file__).parent / "data"
BAD_FILE = (DATA / "bad-devices.csv").read_bytes()


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def url(district_url: str) -> str:
    return district_url


def test_export_edit_import_through_the_command(url: str, tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    code, text = run("export", "devices", str(path), "--url", url)
    assert code == 0 and "exported 80 devices" in text
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",in_service,", ",in_repair,").replace(",spare,", ",in_repair,")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    code, text = run("import", "devices", str(path), "--url", url)
    assert code == 0, text
    assert "80 rows (kiosk columns): 0 created, 1 updated, 79 unchanged" in text
    code, text = run("import", "devices", str(path), "--url", url, "--no-update", "--json")
    assert code == 0 and json.loads(text)["skipped_existing"] == 80
    code, text = run("export", "devices", "-", "--url", url, "--campus", "LE01")
    assert code == 0 and text.startswith("asset_tag,serial,") and ",LE01," in text


def test_a_snipe_it_file_through_the_command(url: str) -> None:
    code, text = run("import", "devices", str(DATA / "snipeit-assets.csv"), "--url", url)
    assert code == 0, text
    assert "8 rows (Snipe-IT columns): 8 created" in text
    assert "columns not imported: Company, Checked Out To" in text


def test_bad_rows_exit_2_with_nothing_imported_and_good_rows_exit_1(url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    code, text = run("import", "devices", str(path), "--url", url)
    err = capsys.readouterr().err
    assert code == 2 and "nothing was imported" in text
    assert "  bad row 3 (OK-0002): purchase date '2026-02-30' is not a date" in text
    assert err.startswith("kiosk: error: 9 bad rows; nothing was imported") and err.count("\n") == 1
    code, text = run("import", "devices", str(path), "--url", url, "--mode", "good-rows", "--json")
    report = json.loads(text)
    assert code == 1 and report["created"] == 2 and len(report["errors"]) == 9 and report["committed"]
    code, text = run("import", "devices", str(path), "--url", url, "--mode", "good-rows")
    assert code == 1 and "2 unchanged, 9 bad rows not imported" in text


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"serial\r\nX\r\n", "no asset tag column"), (None, "No such file")],
)
def test_unreadable_files_are_one_line_errors(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              data: bytes | None, needle: str) -> None:
    path = tmp_path / "in.csv"
    if data is not None:
        path.write_bytes(data)
    code, _ = run("import", "devices", str(path), "--url", url)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kiosk: error: ") and needle in err and err.count("\n") == 1


def test_labels_command_writes_a_pdf_and_refuses_bad_requests(url: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "labels.pdf"
    code, text = run("labels", "--tags", "DS100001,DS100002,DS100003", "--sheet", "dymo30252", "--out", str(out),
                     "--url", url, "--json")
    assert code == 0
    info = json.loads(text)
    assert info["payloads"] == ["DS100001", "DS100002", "DS100003"] and info["pages"] == 3
    assert len(pdfium.PdfDocument(str(out))) == 3
    code, text = run("labels", "--rooms", "LE01", "--sheet", "l7160", "--out", str(out), "--url", url)
    assert code == 0 and "on 2 pages" in text
    code, text = run("labels", "--rooms", "LE01/Library", "--out", str(out), "--url", url)
    assert code == 0 and "wrote 1 label on 1 page" in text
    capsys.readouterr()
    for argv, needle in [
        (["--room", "LE01/Nowhere"], "no room 'Nowhere'"),
        (["--registered-today"], "no devices were registered on"),
        (["--tags", "DS100001", "--sheet", "avery5160", "--skip", "30"], "skip must be between 0 and 29"),
        (["--tags", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "--code", "code128"], "too wide"),
    ]:
        code, _ = run("labels", *argv, "--out", str(tmp_path / "x.pdf"), "--url", url)
        err = capsys.readouterr().err
        assert code == 2 and needle in err and err.count("\n") == 1, (argv, err)
    assert not (tmp_path / "x.pdf").exists()


def test_the_labels_command_prints_the_stock_the_labels_module_recommends(monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/labels.md: the default stock is chosen from the scanning figures in one place, labels.DEFAULT_CODE.
    from kiosk.domain import labels

    assert cli.build_parser().parse_args(["labels", "--tags", "DS100001", "--out", "x.pdf"]).code == labels.DEFAULT_CODE
    other = next(c for c in labels.CODE_CHOICES if c != labels.DEFAULT_CODE)
    monkeypatch.setattr(labels, "DEFAULT_CODE", other)
    assert cli.build_parser().parse_args(["labels", "--tags", "DS100001", "--out", "x.pdf"]).code == other
