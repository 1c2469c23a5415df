"""Asset-tag rule: which payloads are tags, which pass through, and why the rest are rejected."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

CHECK_NONE = "none"
CHECK_LUHN = "luhn"  # mod-10 Luhn over the tag's digits; the last character is the check digit
CHECK_MOD37_36 = "iso7064-mod37-36"  # ISO/IEC 7064 MOD 37,36 over 0-9A-Z (hyphens ignored)
CHECK_ALGORITHMS = (CHECK_NONE, CHECK_LUHN, CHECK_MOD37_36)

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEFAULT_PATTERN = r"^[A-Z0-9][A-Z0-9-]{2,31}$"  # the product's rule while a district sets none


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of checking one payload: `accepted`, the tag (or None) and a reason when refused."""

    accepted: bool
    tag: str | None = None
    reason: str = ""


@dataclass(slots=True)
class TagRule:
    """Configurable asset-tag rule.

    A payload is accepted when it is a pass-through payload (e.g. a room label `ROOM:<uuid>`,
    tag=None) or when it yields a tag: either the payload itself or, for an http(s) URL, the
    value of one of `url_query_keys` or the last path segment. The tag must fully match
    `pattern`, start with one of `prefixes` (if any) and carry a valid check character when
    `check_digit` is not "none". Everything else is rejected with a reason.
    """

    pattern: str = DEFAULT_PATTERN
    prefixes: tuple[str, ...] = ()
    check_digit: str = CHECK_NONE
    passthrough_prefixes: tuple[str, ...] = ("ROOM:",)
    url_query_keys: tuple[str, ...] = ("tag", "asset", "asset_tag", "assettag")
    url_hosts: tuple[str, ...] = ()  # empty: any host
    max_payload_length: int = 512
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.check_digit not in CHECK_ALGORITHMS:
            raise ValueError(f"unknown check digit algorithm {self.check_digit!r}; use one of {CHECK_ALGORITHMS}")
        self._regex = re.compile(self.pattern)

    def check(self, payload: str) -> Verdict:
        """Decide whether a decoded payload is acceptable and which tag it carries."""
        if not payload:
            return Verdict(False, reason="empty payload")
        if len(payload) > self.max_payload_length:
            return Verdict(False, reason=f"payload too long ({len(payload)} > {self.max_payload_length} characters)")
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in payload):
            return Verdict(False, reason="payload contains control characters")
        for prefix in self.passthrough_prefixes:
            if payload.startswith(prefix) and len(payload) > len(prefix):
                return Verdict(True, tag=None)
        if payload.lower().startswith(("http://", "https://")):
            candidate, why = self._tag_from_url(payload)
            if candidate is None:
                return Verdict(False, reason=why)
        else:
            candidate = payload
        return self.check_tag(candidate)

    def check_tag(self, candidate: str) -> Verdict:
        """Check a bare tag against the pattern, the prefixes and the check character."""
        if not self._regex.fullmatch(candidate):
            return Verdict(False, reason=f"{_preview(candidate)!r} does not look like an asset tag")
        if self.prefixes and not candidate.startswith(self.prefixes):
            return Verdict(False, reason=f"{_preview(candidate)!r} does not start with {' or '.join(self.prefixes)}")
        if not check_character_ok(candidate, self.check_digit):
            return Verdict(False, reason=f"{_preview(candidate)!r} fails its {self.check_digit} check digit")
        return Verdict(True, tag=candidate)

    def _tag_from_url(self, url: str) -> tuple[str | None, str]:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None, "malformed URL"
        host = (parts.hostname or "").lower()
        if self.url_hosts and host not in self.url_hosts:
            return None, f"URL host {host!r} is not an asset host"
        query = parse_qs(parts.query)
        for key in self.url_query_keys:
            values = query.get(key)
            if values:
                return values[0], ""
        segments = [unquote(s) for s in parts.path.split("/") if s]
        if segments:
            return segments[-1], ""
        return None, "URL carries no asset tag"


def district_rule(pattern: str | None = None, prefixes: tuple[str, ...] = (), check_digit: str = CHECK_NONE,
                  passthrough_prefixes: tuple[str, ...] = ("ROOM:",)) -> TagRule:
    """The rule for one district's tags (``kiosk.domain.district.tag_rule_facts``): its pattern (or the product's
    default), prefixes and check digit. A district pattern that no longer compiles falls back to the default
    pattern rather than refusing every scan (the district file and the admin screens check it when it is set)."""
    try:
        re.compile(pattern or DEFAULT_PATTERN)
    except re.error:
        pattern = None
    return TagRule(pattern=pattern or DEFAULT_PATTERN, prefixes=tuple(prefixes),
                   check_digit=check_digit if check_digit in CHECK_ALGORITHMS else CHECK_NONE,
                   passthrough_prefixes=passthrough_prefixes)


def _preview(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def luhn_ok(digits: str) -> bool:
    """Mod-10 Luhn check over a string of digits whose last digit is the check digit."""
    if len(digits) < 2 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to `digits`."""
    for d in "0123456789":
        if luhn_ok(digits + d):
            return d
    raise ValueError("no Luhn digit")  # pragma: no cover - one always exists


def mod37_36_char(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid) check character for `body` (0-9, A-Z; hyphens ignored)."""
    p = 36
    for ch in body.replace("-", ""):
        s = (p + _ALNUM.index(ch)) % 36 or 36
        p = (2 * s) % 37
    return _ALNUM[(37 - p) % 36]


def mod37_36_ok(text: str) -> bool:
    """True when the last character of `text` is its valid MOD 37,36 check character."""
    body = text.replace("-", "")
    if len(body) < 2 or any(ch not in _ALNUM for ch in body):
        return False
    return mod37_36_char(body[:-1]) == body[-1]


def check_character_ok(tag: str, algorithm: str) -> bool:
    """Validate the check character of `tag` with the named algorithm ("none" always passes)."""
    if algorithm == CHECK_NONE:
        return True
    if algorithm == CHECK_LUHN:
        digits = "".join(ch for ch in tag if ch.isdigit())
        return tag[-1:].isdigit() and luhn_ok(digits)
    if algorithm == CHECK_MOD37_36:
        return mod37_36_ok(tag)
    raise ValueError(f"unknown check digit algorithm {algorithm!r}")
