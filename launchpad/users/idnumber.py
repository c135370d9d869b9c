"""Mainland resident ID numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
sequence, and a check digit over the first 17 (ISO 7064 MOD 11-2, where 10 is written X).
15-digit numbers issued before 1999 have a 2-digit year and no check digit; they are converted
to the 18-digit form, which is what every current system stores."""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata

from launchpad.phrases import Phrase, phrase

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# The province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao, 83 for the
# residence permits of Taiwan residents) — a first pair outside them is a typing error.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})


EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]")
FIFTEEN = re.compile(r"[0-9]{15}")
# How Excel shows, and saves into a CSV, a long number it stored as one: 1.10105E+17
# (or, formatted "0", its first 15 digits and zeros).
SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+")


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(map(operator.mul, map(int, first17), WEIGHTS)) % 11]


def upgrade_15(number: str) -> str:
    """The 18-digit form of a 15-digit number (born in the 1900s, as all of them were)."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_digit(first17)


def check_id_number(value: str, today: datetime.date | None = None) -> tuple[str, Phrase | None]:
    """The number in its 18-digit form with an upper-case X, and why it is wrong if it is."""
    # Typed in full width (an input method's mode) or in groups with spaces: the same digits.
    number = "".join(unicodedata.normalize("NFKC", value).split()).upper()
    if SCIENTIFIC.fullmatch(number):
        return value, phrase("users.id_lossy")
    if FIFTEEN.fullmatch(number):
        number = upgrade_15(number)
    if not EIGHTEEN.fullmatch(number):
        return number, phrase("users.id_shape", length=len(number))
    if number[:2] not in PROVINCES:
        return number, phrase("users.id_region", region=number[:6])
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return number, phrase("users.id_birth", digits=number[6:14])
    if not datetime.date(1900, 1, 1) <= born <= (today or datetime.date.today()):
        return number, phrase("users.id_birth", digits=number[6:14])
    expected = check_digit(number[:17])
    if number[17] != expected:
        # Excel keeps 15 digits of a number: saved from a cell formatted "0", the rest are zeros.
        lost = number.endswith("000")
        return number, phrase("users.id_lossy") if lost else phrase("users.id_check_digit", got=number[17],
                                                                        expected=expected)
    return number, None
