"""One cell's value: the mapping's transforms, then the field's check. Each check returns the
value as the target will store it (a phone number without +86 and dashes, an ISO date, an
18-digit ID number) and, when the value cannot be used, why."""

from __future__ import annotations

import datetime
import re

from launchpad.phrases import Phrase, phrase
from launchpad.users.idnumber import check_id_number
from launchpad.users.mapping import FieldSpec

MOBILE = re.compile(r"1[3-9]\d{9}")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?")
SPACES = re.compile(r"\s+")
PHONE_PUNCTUATION = re.compile(r"[\s\-()（）]")
COUNTRY_CODE = re.compile(r"^(\+?86)(?=1\d{10}$)")
EIGHT_DIGITS = re.compile(r"\d{8}")
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def transform(value: str, spec: FieldSpec) -> str:
    if spec.transforms == ["trim"]:  # the default, on most columns of 100,000 rows
        return value.strip()
    for step in spec.transforms:
        if step == "trim":
            value = value.strip()
        elif step == "halfwidth":
            value = value.translate(FULL_WIDTH)
        elif step == "upper":
            value = value.upper()
        elif step == "lower":
            value = value.lower()
        elif step == "no_spaces":
            value = SPACES.sub("", value)
    return value


def check_value(value: str, spec: FieldSpec, today: datetime.date | None = None) -> tuple[str, Phrase | None]:
    """`value` after transforms: empty values are only a problem when required. `today` bounds
    an ID number's birth date (the system's date when not given)."""
    if not value:
        return value, phrase("users.required") if spec.required else None
    if spec.check == "text" and spec.codes is None and spec.max_length is None:
        return value, None
    if spec.check == "id_number":
        value, problem = check_id_number(value, today)
    elif spec.check == "mobile":
        value, problem = check_mobile(value)
    elif spec.check == "email":
        problem = None if EMAIL.fullmatch(value) else phrase("users.email")
    elif spec.check == "date":
        value, problem = check_date(value)
    else:
        problem = None
    if problem is None and spec.codes is not None:
        value, problem = check_code(value, spec.codes)
    if problem is None and spec.max_length is not None and len(value) > spec.max_length:
        problem = phrase("users.too_long", length=len(value), limit=spec.max_length)
    return value, problem


def check_mobile(value: str) -> tuple[str, Phrase | None]:
    digits = PHONE_PUNCTUATION.sub("", value.translate(FULL_WIDTH))
    digits = COUNTRY_CODE.sub("", digits)
    if MOBILE.fullmatch(digits):
        return digits, None
    return value, phrase("users.mobile")


def check_date(value: str) -> tuple[str, Phrase | None]:
    text = value.translate(FULL_WIDTH).strip()
    if EIGHT_DIGITS.fullmatch(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE.fullmatch(text)
    if match is None:
        return value, phrase("users.date_shape")
    try:
        day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return value, phrase("users.date_invalid")
    return day.isoformat(), None


def check_code(value: str, codes: dict[str, str]) -> tuple[str, Phrase | None]:
    folded = {key.strip().casefold(): code for key, code in codes.items()}
    code = folded.get(value.strip().casefold())
    if code is None:
        return value, phrase("users.code", allowed=list(codes))
    return code, None
