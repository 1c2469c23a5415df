"""The `kiosk` command: the seed → ticket → device story, JSON output, and one-line errors with exit 2."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.domain import db as db_module


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


def test_seed_then_file_a_ticket_then_see_it_on_the_device(any_url: str) -> None:
    code, text = run("seed", "--url", any_url, "--devices", "200", "--tickets", "100", "--as-of", "2026-09-14",
                     "--json")
    assert code == 0
    summary = json.loads(text)
    tag = summary["sample_tags"][0]
    assert summary["devices"] == 200 and summary["tickets"] == 100

    code, text = run("ticket", "new", "--url", any_url, "--tag", tag, "--category", "screen",
                     "--description", "Cracked screen, top left", "--reporter", "204511", "--json")
    assert code == 0
    number = json.loads(text)["number"]

    code, text = run("devices", "show", tag, "--url", any_url, "--json")
    assert code == 0
    shown = json.loads(text)
    assert number in [t["number"] for t in shown["tickets"]]
    assert shown["asset_tag"] == tag

    code, text = run("--url", any_url, "ticket", "list", "--status", "new")  # global option before the command
    assert code == 0 and number in text

    code, text = run("ticket", "show", number.lower(), "--url", any_url)
    assert code == 0 and "Cracked screen, top left" in text


def test_devices_set_changes_fields(sqlite_url: str) -> None:
    run("seed", "--url", sqlite_url, "--devices", "20", "--tickets", "0")
    code, _ = run("devices", "set", "DS100003", "status=spare", "notes=On the shelf", "--url", sqlite_url)
    assert code == 0
    _, text = run("devices", "show", "DS100003", "--url", sqlite_url, "--json")
    assert json.loads(text)["status"] == "spare"


def _one_line_error(capsys: pytest.CaptureFixture[str], code: int, needle: str) -> None:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("kiosk: error: "), err
    assert needle in err, err


def test_bad_input_gets_one_line_and_exit_code_2(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run("seed", "--url", sqlite_url, "--devices", "20", "--tickets", "0")
    capsys.readouterr()
    code, _ = run("ticket", "new", "--url", sqlite_url, "--tag", "ZZ0000", "--category", "screen",
                  "--description", "broken", "--reporter", "1234")
    _one_line_error(capsys, code, "no device has asset tag ZZ0000")
    code, _ = run("ticket", "new", "--url", sqlite_url, "--tag", "DS100001", "--category", "teleport",
                  "--description", "broken", "--reporter", "1234")
    _one_line_error(capsys, code, "unknown category 'teleport'")
    code, _ = run("devices", "show", "DS100001", "--url", "mysql:/nonsense:::")
    _one_line_error(capsys, code, "database")
    code, _ = run("devices", "show", "DS100001", "--url", "not a url")
    _one_line_error(capsys, code, "malformed database URL")
    code, _ = run("devices", "show", "DS100001", "--url", "postgresql+psycopg://postgres@127.0.0.1:9/none")
    _one_line_error(capsys, code, "cannot reach the database server")
    code, _ = run("devices", "set", "DS100001", "colour")
    _one_line_error(capsys, code, "expected FIELD=VALUE")


def test_a_newer_database_is_refused(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("db", "upgrade", "--url", sqlite_url)[0] == 0
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    capsys.readouterr()
    code, _ = run("devices", "show", "DS100001", "--url", sqlite_url)
    _one_line_error(capsys, code, "newer than this program")


def test_a_read_only_database_is_reported(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run("seed", "--url", sqlite_url, "--devices", "20", "--tickets", "0")
    capsys.readouterr()
    path = sqlite_url.removeprefix("sqlite:///")
    ro_url = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, _ = run("ticket", "new", "--url", ro_url, "--tag", "DS100001", "--category", "screen",
                  "--description", "broken", "--reporter", "1234")
    _one_line_error(capsys, code, "read-only")


def test_a_full_disk_is_reported_and_nothing_is_half_written(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("db", "upgrade", "--url", sqlite_url)[0] == 0
    real = db_module._sqlite_pragmas

    def tiny_disk(conn: object, record: object) -> None:
        real(conn, record)
        conn.execute("PRAGMA max_page_count = 80")  # type: ignore[attr-defined]

    monkeypatch.setattr(db_module, "_sqlite_pragmas", tiny_disk)
    capsys.readouterr()
    code, _ = run("seed", "--url", sqlite_url, "--devices", "3000", "--tickets", "0")
    _one_line_error(capsys, code, "disk is full")
    monkeypatch.setattr(db_module, "_sqlite_pragmas", real)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT count(*) FROM devices").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM campuses").fetchone() == (0,)


def test_demo_seeds_once_and_shows_a_device(tmp_path: Path) -> None:
    code, text = run("demo")
    assert code == 0 and "seeding the demo district" in text and "tickets (" in text
    code, text = run("demo")
    assert code == 0 and "seeding" not in text


def test_python_dash_m_kiosk_works() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "kiosk", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("kiosk ")


def test_scan_image_reads_a_label_and_reports_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import barcode
    from barcode.writer import ImageWriter

    label = barcode.get("code128", "DS104233", writer=ImageWriter()).save(str(tmp_path / "label"))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    code, text = run("scan-image", label, str(broken), "--json")
    assert code == 1  # one file could not be read
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["codes"][0]["tag"] == "DS104233" and lines[0]["codes"][0]["format"] == "Code128"
    assert "error" in lines[1]
