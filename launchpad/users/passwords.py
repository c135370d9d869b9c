"""Initial passwords: random per user, hashed in the target's scheme, handed out once.

A plain password lives only in this process's memory and in the hand-out file: never in the
store, the audit log, a log line, a report or a file on the target's host. RuoYi checks
passwords with Spring's BCryptPasswordEncoder, which expects `$2a$`; the bcrypt library writes
`$2b$`, the same algorithm with a different tag (it differs only for passwords longer than
255 bytes), so the tag is rewritten. A new account's `pwd_update_date` stays NULL, which is
how RuoYi knows the password is the initial one and asks for a new one at first login.

bcrypt at cost 10 takes ~95 ms per hash on one core, and the library releases the GIL while
it works, so hashing runs on a thread per core.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Characters a person can read off paper without confusing them (no 0/O, 1/l/I).
ClassName = Literal["lower", "upper", "digit", "symbol"]
ALL_CLASSES: list[ClassName] = ["lower", "upper", "digit", "symbol"]
CLASSES = {
    "lower": "abcdefghijkmnpqrstuvwxyz",
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "digit": "23456789",
    "symbol": "@#%+=?",
}


class PasswordPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    length: int = Field(12, ge=8, le=64)
    classes: list[ClassName] = Field(
        default_factory=lambda: list(ALL_CLASSES), min_length=1,
        description="Every password has at least one character of each class.")
    cost: int = Field(10, ge=4, le=16, description="bcrypt cost (RuoYi's default is 10; each +1 doubles the time).")


def generate(policy: PasswordPolicy) -> str:
    pool = "".join(CLASSES[c] for c in policy.classes)
    chars = [secrets.choice(CLASSES[c]) for c in policy.classes]
    chars += [secrets.choice(pool) for _ in range(policy.length - len(chars))]
    for i in range(len(chars) - 1, 0, -1):  # Fisher–Yates with the secrets generator
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def bcrypt_2a(password: str, cost: int) -> str:
    import bcrypt

    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=cost)).decode("ascii")
    return "$2a$" + hashed[4:]


@dataclass(frozen=True)
class Issued:
    key: str
    password: str  # shown only in the hand-out
    hashed: str


def issue(keys: Iterable[str], policy: PasswordPolicy, on_done: Callable[[int], None] | None = None) -> list[Issued]:
    """A fresh password and its hash for each key, hashed on every core."""
    plain = [(key, generate(policy)) for key in keys]
    done = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = []
        for (key, password), hashed in zip(plain, pool.map(lambda item: bcrypt_2a(item[1], policy.cost), plain),
                                           strict=True):
            results.append(Issued(key, password, hashed))
            done += 1
            if on_done is not None:
                on_done(done)
    return results
