"""Any notes text a technician can type survives the CSV file (quotes, delimiters, new lines, formulas)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain import device_csv
from kiosk.domain.validation import clean_text

# What devices.set_fields stores in notes: trimmed text without control characters other than new line and tab.
notes_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t,;\"'=+-@ "),
    min_size=1, max_size=60,
).map(lambda t: clean_text(t, field="notes", max_len=4000)).filter(bool)


class _NoPlaces(device_csv._Places):
    def __init__(self) -> None:  # no database: the rows below name no campus or room
        self.campuses, self.rooms, self.rooms_named, self.by_id = {}, {}, {}, {}


@settings(max_examples=150, deadline=None)
@given(notes=notes_text, serial=notes_text.filter(lambda t: "\n" not in t and len(t) <= 64))
def test_exported_cells_read_back_exactly(notes: str, serial: str) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(device_csv.COLUMNS)
    writer.writerow(["DS100001", device_csv._escape(serial)] + [""] * 11 + [device_csv._escape(notes)])
    data = out.getvalue().encode("utf-8-sig")
    text, encoding = device_csv.decode_bytes(data)
    delimiter = device_csv.detect_delimiter(text)
    table = device_csv._read_table(text, delimiter)
    assert (encoding, delimiter, table.source_format) == ("utf-8-sig", ",", "kiosk")
    [(row, rec)] = table.records
    parsed = device_csv._parse_row(row, rec, table, _NoPlaces(), [])
    assert parsed.values == {"serial": serial, "notes": notes}


def test_the_domain_modules_load_neither_qt_nor_opencv() -> None:
    code = (
        "import io, sys\n"
        "from kiosk.domain import labels, device_csv\n"
        "labels.render_pdf([labels.DeviceLabel('DS100001')], 'avery5160', io.BytesIO())\n"
        "bad = [m for m in ('PySide6', 'cv2') if m in sys.modules]\n"
        "sys.exit(f'imported {bad}' if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr or done.stdout
