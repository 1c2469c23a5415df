"""Render one sample page of every label stock to docs/screenshots/labels-<stock>.png (run by hand)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pypdfium2 as pdfium

from kiosk.domain import labels as L

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "Demo Springs Independent School District"


def sample(stock: L.LabelSheet) -> list[L.Label]:
    """A mix of device labels (both codes, room line) and, after them, two room labels."""
    n = min(stock.per_page - 2, 13) if not stock.roll else 1
    devices: list[L.Label] = [L.DeviceLabel(f"DS{100120 + i}", f"AEL01 · A1{i + 1:02d}") for i in range(n)]
    if stock.roll:
        return devices
    rooms: list[L.Label] = [L.RoomLabel(uuid.UUID(int=0x1234_5678_9ABC_4DEF_8123_4567_89AB_CDE0 + i), name,
                                        "Aspen Elementary") for i, name in enumerate(("Library", "Lab 2"))]
    return devices + rooms


def render(stock: L.LabelSheet, labels: list[L.Label], png: Path, dpi: int = 150) -> None:
    pdf_path = png.with_suffix(".pdf")
    L.render_pdf(labels, stock, pdf_path, code="both", district=DISTRICT)
    page = pdfium.PdfDocument(str(pdf_path))[0]
    page.render(scale=dpi / 72).to_pil().save(png)
    pdf_path.unlink()


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for stock in L.SHEETS.values():
        png = out / f"labels-{stock.key}.png"
        render(stock, sample(stock), png, dpi=300 if stock.roll else 110)
        print(png.relative_to(ROOT))
    room = L.RoomLabel(uuid.UUID(int=0x1234_5678_9ABC_4DEF_8123_4567_89AB_CDE0), "Library", "Aspen Elementary")
    png = out / "labels-dymo30252-room.png"
    render(L.SHEETS["dymo30252"], [room], png, dpi=300)
    print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
