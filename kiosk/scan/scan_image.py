"""`kiosk scan-image`: decode still images with the full strategy and print one line per file."""

from __future__ import annotations

import json
import time
from typing import TextIO

from kiosk.scan.pipeline import Mode, ScanPipeline
from kiosk.scan.sources import read_image


def run_scan_image(
    paths: list[str],
    *,
    as_json: bool,
    live: bool,
    out: TextIO,
    err: TextIO,
    pipeline: ScanPipeline | None = None,
) -> int:
    """Decode each file (thorough mode, or the kiosk's per-frame budget with `live`).

    With `as_json`, prints one JSON object per file:
    {"file", "codes": [{"text", "format", "tag", "engine"}], "ms"}; an unreadable file gives
    {"file", "error"} on `out` and a message on `err`. Returns 0 when every file could be
    read as an image (whether or not it held a code) and 1 otherwise.
    """
    pipe = pipeline or ScanPipeline()
    mode: Mode = "live" if live else "thorough"
    status = 0
    for path in paths:
        t0 = time.perf_counter()
        try:
            image = read_image(path)
        except (OSError, ValueError) as exc:
            status = 1
            message = str(exc) if isinstance(exc, ValueError) else f"{path}: {exc.strerror or exc}"
            print(f"scan-image: {message}", file=err)
            if as_json:
                print(json.dumps({"file": path, "error": message}), file=out)
            continue
        pipe.reset()
        result = pipe.decode_detailed(image, mode)
        ms = round((time.perf_counter() - t0) * 1000.0, 1)
        if as_json:
            codes = [{"text": c.text, "format": c.format, "tag": c.tag, "engine": c.engine} for c in result.codes]
            print(json.dumps({"file": path, "codes": codes, "ms": ms}), file=out)
            continue
        if not result.codes:
            print(f"{path}: no code found ({ms} ms)", file=out)
        for c in result.codes:
            tag = f" tag={c.tag}" if c.tag else ""
            print(f"{path}: {c.text} [{c.format}, {c.engine}]{tag} ({ms} ms)", file=out)
        for r in result.rejections:
            print(f"{path}: rejected [{r.format}]: {r.reason}", file=out)
    return status
