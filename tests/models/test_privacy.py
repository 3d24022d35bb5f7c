"""Masked personal data as it appears on lists and slips."""

from __future__ import annotations

import pytest

from models.privacy import mask_id, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张小丽", "张*丽"),
        ("王五", "王*"),
        ("欧阳小明", "欧**明"),
        ("李", "*"),
        (" 张小丽 ", "张*丽"),
        ("阿依古丽·买买提", "阿***·**提"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("43010219900101123X", "4301************3X"),
        ("11010519491231002X", "1101************2X"),
        ("430102900101123", "4301*********23"),
        ("E12345678", "E1*****78"),
        ("USA110078052701", "USA1*********01"),
        ("AB12", "****"),
    ],
)
def test_mask_id(number: str, masked: str) -> None:
    assert mask_id(number) == masked


def test_masked_id_hides_birth_date_and_keeps_length() -> None:
    masked = mask_id("43010219900101123X")
    assert len(masked) == 18
    assert "19900101" not in masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("073186661234", "073*****1234"), ("12345", "***45")],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("mask", [mask_name, mask_id, mask_phone])
@pytest.mark.parametrize("empty", [None, "", "  "])
def test_empty_inputs_give_empty_text(mask, empty) -> None:  # type: ignore[no-untyped-def]
    assert mask(empty) == ""
