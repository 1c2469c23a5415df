"""`kiosk parts count`: a stock count from a file of part-label scans, through the same use-case as the screen
(kiosk/domain/stock_count.py): expected against counted, one ledger adjustment per part that differs with the
count in its note, a dry run that writes nothing, every unknown label named with its line, an empty count refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.domain import parts, stock_count
from kiosk.domain.db import Actor
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import Kiosk, PartMovement
from tests.repairdesk.conftest import Desk


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _stock(desk: Desk) -> dict[str, int]:
    with desk.db.read() as ctx:
        return {x.code: x.stock for x in parts.stock_lines(ctx.session, campus=desk.campus_id) if x.stocked}


def test_a_count_from_a_file_of_scans(desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(desk.db.url)
    with desk.db.unit() as ctx:
        parts.add_part(ctx, code="KB-3110", name="Keyboard 3110", unit_cost_cents=3200, reorder_level=1)
        parts.add_part(ctx, code="LCD-116", name="LCD panel", unit_cost_cents=4500)
        parts.receive(ctx, "KB-3110", 4, campus="LE01")
        parts.receive(ctx, "LCD-116", 1, campus="LE01")
    scans = tmp_path / "shelf.txt"
    scans.write_text("# the tech room's shelf, 2 December\nPART:KB-3110\nPART:KB-3110\nkb-3110\n\n", encoding="utf-8")
    code, text = _run("parts", "count", str(scans), "--campus", "LE01", "--dry-run", "--url", url)
    assert code == 0, capsys.readouterr().err
    assert "KB-3110          expected     4  counted     3  -1" in text and "nothing was written" in text
    assert _stock(desk) == {"KB-3110": 4, "LCD-116": 1}
    code, text = _run("parts", "count", str(scans), "--campus", "LE01", "--by", "mlopez", "--url", url, "--json")
    assert code == 0, capsys.readouterr().err
    got = json.loads(text)
    assert got["applied"] is True and got["adjusted"] == ["KB-3110", "LCD-116"]  # the panel was not on the shelf
    assert _stock(desk) == {"KB-3110": 3, "LCD-116": 0}
    with desk.db.read() as ctx:
        notes = sorted((m.delta, m.note, m.actor_id == desk.tech_id) for m in ctx.session.scalars(
            select(PartMovement).where(PartMovement.reason == "count")))
    assert notes == [(-1, "counted 0, the ledger had 1", True), (-1, "counted 3, the ledger had 4", True)]
    bad = tmp_path / "bad.txt"
    bad.write_text("PART:KB-3110\nPART:NOPE-1\nPART:??\n", encoding="utf-8")
    code, _ = _run("parts", "count", str(bad), "--campus", "LE01", "--url", url)
    err = capsys.readouterr().err
    assert code == 2 and "line 2: no part NOPE-1 in the catalogue" in err and "line 3:" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert _run("parts", "count", str(empty), "--campus", "LE01", "--url", url)[0] == 2
    assert "nothing was scanned" in capsys.readouterr().err
    assert _stock(desk) == {"KB-3110": 3, "LCD-116": 0}


def test_a_kiosk_counts_only_its_own_campus_and_only_with_a_technician(desk: Desk) -> None:
    with desk.db.unit() as ctx:
        parts.add_part(ctx, code="KB-3110", name="Keyboard 3110", unit_cost_cents=3200)
        now = ctx.clock.now()
        kiosk = Kiosk(campus_id=desk.campus_id, name="front desk", created_at=now, updated_at=now)
        ctx.session.add(kiosk)
        ctx.session.flush()
        kid = kiosk.id
    with desk.db.unit(Actor(kiosk_id=kid)) as ctx, pytest.raises(PermissionDenied):
        stock_count.apply(ctx, desk.campus_id, {"KB-3110": 2})
    with desk.db.unit(Actor(kiosk_id=kid, staff_id=desk.tech_id)) as ctx:
        with pytest.raises(PermissionDenied, match="own campus"):
            stock_count.apply(ctx, desk.other_campus_id, {"KB-3110": 2})
        with pytest.raises(InvalidInput, match="line 1: .* is not a part code"):
            stock_count.tally(ctx.session, ["PART:"])
        assert stock_count.apply(ctx, desk.campus_id, {"KB-3110": 2}).adjusted[0].counted == 2


def test_part_shelf_labels_scan_back_as_their_payload(tmp_path: Path) -> None:
    """The shelf labels the count scans: Code128 and QR both read back as PART:<code> (zxing-cpp, the kiosk's
    decoder), and the count takes that text."""
    import pypdfium2
    import zxingcpp

    from kiosk.domain import labels

    out = tmp_path / "parts.pdf"
    labels.render_pdf([labels.PartLabel("KB-3110", "Keyboard 3110"), labels.PartLabel("LCD-116", "LCD panel")],
                      "avery5160", out, code="both", district="Riverside Unified")
    pdf = pypdfium2.PdfDocument(str(out))
    image = pdf[0].render(scale=3).to_pil().convert("RGB")
    pdf.close()
    read = sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image))
    assert read == [("Code128", "PART:KB-3110"), ("Code128", "PART:LCD-116"), ("QRCode", "PART:KB-3110"),
                    ("QRCode", "PART:LCD-116")]
    assert {stock_count.part_code(text) for _, text in read} == {"KB-3110", "LCD-116"}
