"""The tag rule: real tags and asset URLs pass, room labels pass through, malformed payloads are refused with a reason."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.scan.tag_rule import (
    CHECK_LUHN,
    CHECK_MOD37_36,
    TagRule,
    luhn_digit,
    luhn_ok,
    mod37_36_char,
    mod37_36_ok,
)

RULE = TagRule()
TAG_ALPHABET = string.ascii_uppercase + string.digits
tags = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(TAG_ALPHABET),
    st.text(alphabet=TAG_ALPHABET + "-", min_size=2, max_size=31),
)


@pytest.mark.parametrize(
    ("payload", "tag"),
    [
        ("DS104233", "DS104233"),
        ("https://assets.example.org/device?tag=DS104233", "DS104233"),
        ("https://assets.example.org/d/DS104233", "DS104233"),
        ("HTTPS://assets.example.org/d/DS104233/", "DS104233"),
        ("http://assets.example.org/lookup?asset=DS104233&x=1", "DS104233"),
        ("ROOM:123e4567-e89b-12d3-a456-426614174000", None),
    ],
)
def test_tags_urls_and_room_labels_are_accepted(payload: str, tag: str | None) -> None:
    verdict = RULE.check(payload)
    assert verdict.accepted and verdict.tag == tag


@given(tags)
def test_every_well_formed_tag_is_its_own_tag(tag: str) -> None:
    assert RULE.check(tag).tag == tag
    assert RULE.check(f"https://assets.example.org/device?tag={tag}").tag == tag


@given(st.text(min_size=1, max_size=40).filter(lambda s: any(ord(c) < 32 or ord(c) == 127 for c in s)))
def test_control_characters_are_refused(payload: str) -> None:
    verdict = RULE.check(payload)
    assert not verdict.accepted
    assert verdict.reason == "payload contains control characters"


@given(st.text(alphabet=TAG_ALPHABET, min_size=513, max_size=2000))
def test_overlong_payloads_are_refused(payload: str) -> None:
    verdict = RULE.check(payload)
    assert not verdict.accepted and "too long" in verdict.reason


@given(st.text(min_size=0, max_size=60))
def test_arbitrary_text_is_either_a_valid_tag_or_refused_with_a_reason(payload: str) -> None:
    verdict = RULE.check(payload)
    if verdict.accepted:
        assert verdict.tag is None or RULE.check_tag(verdict.tag).accepted
        assert verdict.tag is not None or payload.startswith("ROOM:")
    else:
        assert verdict.reason and verdict.tag is None


@given(st.text(alphabet=string.ascii_lowercase + " .,!?/", min_size=1, max_size=40))
def test_lowercase_and_punctuated_text_is_not_a_tag(payload: str) -> None:
    verdict = RULE.check(payload)
    assert not verdict.accepted
    assert verdict.reason


def test_prefixes_restrict_tags_to_the_district() -> None:
    rule = TagRule(prefixes=("DS", "LIB"))
    assert rule.check("LIB00042").tag == "LIB00042"
    verdict = rule.check("XX104233")
    assert not verdict.accepted and "does not start with DS or LIB" in verdict.reason


def test_url_without_a_tag_and_foreign_hosts_are_refused() -> None:
    assert RULE.check("https://assets.example.org/").reason == "URL carries no asset tag"
    rule = TagRule(url_hosts=("assets.example.org",))
    assert rule.check("https://assets.example.org/d/DS104233").tag == "DS104233"
    assert "not an asset host" in rule.check("https://evil.example.com/d/DS104233").reason


def test_luhn_check_digit() -> None:
    rule = TagRule(check_digit=CHECK_LUHN)
    good = "DS10423" + luhn_digit("10423")
    assert rule.check(good).tag == good
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert "fails its luhn check digit" in rule.check(bad).reason
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")


@given(st.text(alphabet=TAG_ALPHABET, min_size=3, max_size=20), st.data())
def test_mod37_36_catches_every_single_character_error(body: str, data: st.DataObject) -> None:
    tag = body + mod37_36_char(body)
    assert mod37_36_ok(tag)
    assert TagRule(check_digit=CHECK_MOD37_36).check(tag).tag == tag
    i = data.draw(st.integers(0, len(tag) - 1))
    wrong = data.draw(st.sampled_from(TAG_ALPHABET).filter(lambda c: c != tag[i]))
    assert not mod37_36_ok(tag[:i] + wrong + tag[i + 1 :])


def test_unknown_check_algorithm_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="unknown check digit"):
        TagRule(check_digit="crc32")
