"""Initial passwords: random per user or a site rule, hashed in the target's scheme, handed out once.

A plain password lives only in this process's memory and in the import's hand-out folder (the
hand-out, and while the import is unfinished the passwords hashed so far, hashing_progress.py):
never in the store, the audit log, a log line, a report or a file on the target's host.

Schemes (`passwords.scheme` in the mapping):
- `bcrypt` (RuoYi-Vue): Spring's BCryptPasswordEncoder expects `$2a$`; the bcrypt library
  writes `$2b$`, the same algorithm with a different tag (it differs only for passwords longer
  than 255 bytes), so the tag is rewritten. A new account's `pwd_update_date` stays NULL, which
  is how RuoYi knows the password is the initial one and asks for a new one at first login.
- `shiro_md5` (RuoYi's Shiro edition): hex `md5(login_name + password + salt)`, the salt six
  random hex digits in the target's salt column, as RuoYi's own PasswordService does.
- `pbkdf2`: PBKDF2-HMAC with a configurable hash, iterations and salt, written in Django's
  `pbkdf2_sha256$iterations$salt$hash` or the target's declared format.
- `sm3` (sites on Chinese national cryptography, GB/T 32905): hex `SM3(password + salt)`, the
  salt in the target's salt column (or none when `salt_column` is null).

A site rule (`passwords.rule`, e.g. `Gov@{id_number[-6:]}`) replaces the random password with one
made from the row's fields. A rule that would give users the same password is refused: it must
use the key or a unique field, and an apply where it still gives two users one password stops
before anything is written.

bcrypt at cost 10 takes ~95 ms per hash on one core; bcrypt and hashlib's PBKDF2 release the
GIL while they work, so hashing runs on a thread per core.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.errors import UsageError
from launchpad.phrases import phrase

# Characters a person can read off paper without confusing them (no 0/O, 1/l/I).
ClassName = Literal["lower", "upper", "digit", "symbol"]
ALL_CLASSES: list[ClassName] = ["lower", "upper", "digit", "symbol"]
CLASSES = {
    "lower": "abcdefghijkmnpqrstuvwxyz",
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "digit": "23456789",
    "symbol": "@#%+=?",
}
Scheme = Literal["bcrypt", "shiro_md5", "pbkdf2", "sm3"]
# {field} or {field[start:stop]}: the row's value of a mapping field, or a slice of it.
RULE_PART = re.compile(r"\{([a-z][a-z0-9_]{0,39})(?:\[(-?\d{1,3})?:(-?\d{1,3})?\])?\}")
PBKDF2_PART = re.compile(r"\{(algorithm|iterations|salt|hash)\}")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pbkdf2(Model):
    hash: Literal["sha1", "sha256", "sha512"] = "sha256"
    iterations: int = Field(600_000, ge=1, le=10_000_000)
    salt_length: int = Field(22, ge=8, le=64, description="Random letters and digits.")
    encoding: Literal["base64", "hex"] = Field("base64", description="How the derived key is written.")
    format: str = Field("pbkdf2_{algorithm}${iterations}${salt}${hash}",
                        description="The stored text; placeholders {algorithm} {iterations} {salt} {hash}.")

    @model_validator(mode="after")
    def _format(self) -> Pbkdf2:
        found = set(PBKDF2_PART.findall(self.format))
        if not {"salt", "hash"} <= found:
            raise ValueError(phrase("rule.format_parts"))
        if "{" in PBKDF2_PART.sub("", self.format) or "}" in PBKDF2_PART.sub("", self.format):
            raise ValueError(phrase("rule.format_only"))
        return self


class PasswordPolicy(Model):
    scheme: Scheme = Field("bcrypt", description="How the target stores passwords.")
    length: int = Field(12, ge=8, le=64)
    classes: list[ClassName] = Field(
        default_factory=lambda: list(ALL_CLASSES), min_length=1,
        description="Every password has at least one character of each class.")
    cost: int = Field(10, ge=4, le=16, description="bcrypt cost (RuoYi's default is 10; each +1 doubles the time).")
    pbkdf2: Pbkdf2 = Field(default_factory=Pbkdf2)
    salt_column: str | None = Field(
        "salt", pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="The users table's column for the salt of shiro_md5 and sm3 (null: sm3 without salt).")
    rule: str | None = Field(
        None, min_length=1, max_length=200,
        description="A site rule instead of random passwords: text with {field} or {field[-6:]} from the row.")

    @model_validator(mode="after")
    def _consistent(self) -> PasswordPolicy:
        if self.scheme == "shiro_md5" and self.salt_column is None:
            raise ValueError(phrase("rule.shiro_salt"))
        if self.rule is not None:
            rule_fields(self.rule)
        return self


def rule_fields(rule: str) -> list[str]:
    """The fields a rule uses; a rule that could give every user the same password is refused."""
    parts = list(RULE_PART.finditer(rule))
    rest = RULE_PART.sub("", rule)
    if "{" in rest or "}" in rest:
        raise ValueError(phrase("rule.password_braces", rule=rule))
    if not parts:
        raise ValueError(phrase("rule.password_no_field", rule=rule))
    for part in parts:
        start, stop = part.group(2), part.group(3)
        if start is not None and stop is not None and int(start) * int(stop) >= 0 and int(stop) <= int(start):
            raise ValueError(phrase("rule.password_empty", rule=rule, part=part.group(0)))
    return [part.group(1) for part in parts]


def apply_rule(rule: str, values: Mapping[str, str]) -> str:
    def one(part: re.Match[str]) -> str:
        value = values.get(part.group(1), "")
        if part.group(2) is None and part.group(3) is None and ":" not in part.group(0):
            return value
        start = int(part.group(2)) if part.group(2) is not None else None
        stop = int(part.group(3)) if part.group(3) is not None else None
        return value[start:stop]

    return RULE_PART.sub(one, rule)


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


def shiro_md5(login: str, password: str, salt: str) -> str:
    return hashlib.md5((login + password + salt).encode("utf-8")).hexdigest()


def pbkdf2_text(spec: Pbkdf2, password: str, salt: str) -> str:
    key = hashlib.pbkdf2_hmac(spec.hash, password.encode("utf-8"), salt.encode("utf-8"), spec.iterations)
    encoded = base64.b64encode(key).decode("ascii") if spec.encoding == "base64" else key.hex()
    parts = {"algorithm": spec.hash, "iterations": str(spec.iterations), "salt": salt, "hash": encoded}
    return PBKDF2_PART.sub(lambda m: parts[m.group(1)], spec.format)


def sm3_hex(data: bytes) -> str:
    from gmssl import func, sm3

    return str(sm3.sm3_hash(func.bytes_to_list(data)))


@dataclass(frozen=True)
class Hashed:
    text: str  # the password column
    salt: str | None = None  # the salt column, for schemes that keep it apart


def hash_password(policy: PasswordPolicy, login: str, password: str) -> Hashed:
    if policy.scheme == "bcrypt":
        return Hashed(bcrypt_2a(password, policy.cost))
    if policy.scheme == "shiro_md5":
        salt = secrets.token_hex(3)  # six hex digits, as RuoYi's ShiroUtils.randomSalt()
        return Hashed(shiro_md5(login, password, salt), salt)
    if policy.scheme == "pbkdf2":
        salt = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(policy.pbkdf2.salt_length))
        return Hashed(pbkdf2_text(policy.pbkdf2, password, salt))
    salt = secrets.token_hex(8) if policy.salt_column else ""
    return Hashed(sm3_hex((password + salt).encode("utf-8")), salt if policy.salt_column else None)


def verify(policy: PasswordPolicy, login: str, password: str, hashed: Hashed) -> bool:
    """Whether `password` is the one `hashed` was made from, as the target would check it."""
    if policy.scheme == "bcrypt":
        import bcrypt

        return bool(bcrypt.checkpw(password.encode("utf-8"), ("$2b$" + hashed.text[4:]).encode("ascii")))
    if policy.scheme == "shiro_md5":
        expected = shiro_md5(login, password, hashed.salt or "")
    elif policy.scheme == "pbkdf2":
        pattern = re.escape(policy.pbkdf2.format)
        for name in ("algorithm", "iterations", "salt", "hash"):
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^$]*)", 1)
        found = re.fullmatch(pattern, hashed.text)
        expected = pbkdf2_text(policy.pbkdf2, password, found.group("salt")) if found else ""
    else:
        expected = sm3_hex((password + (hashed.salt or "")).encode("utf-8"))
    return hmac.compare_digest(expected, hashed.text)


@dataclass(frozen=True)
class ForUser:
    key: str
    login: str  # what shiro_md5 hashes with the password
    fields: Mapping[str, str] = field(default_factory=dict)  # the row's values a site rule uses


@dataclass(frozen=True)
class Issued:
    key: str
    password: str  # shown only in the hand-out
    hashed: str
    salt: str | None = None


def choose(users: Sequence[ForUser], policy: PasswordPolicy) -> list[tuple[ForUser, str]]:
    """Each user's plain password: random, or the site rule's (refused, before anything is
    written, when a row lacks what the rule uses or two users would share one)."""
    if policy.rule is None:
        return [(user, generate(policy)) for user in users]
    needed = rule_fields(policy.rule)
    chosen: list[tuple[ForUser, str]] = []
    owner: dict[str, str] = {}
    for user in users:
        missing = [name for name in needed if not user.fields.get(name)]
        if missing:
            raise UsageError(phrase("users.rule_field_missing", fields=missing, user=user.key),
                             hint=phrase("users.rule_field_missing_hint"))
        password = apply_rule(policy.rule, user.fields)
        other = owner.setdefault(password, user.key)
        if other != user.key:
            raise UsageError(phrase("users.rule_same_password", other=other, user=user.key),
                             hint=phrase("users.rule_same_password_hint"))
        chosen.append((user, password))
    return chosen


def hash_all(chosen: Sequence[tuple[ForUser, str]], policy: PasswordPolicy,
             on_done: Callable[[int], None] | None = None,
             keep: Callable[[Issued], None] | None = None) -> list[Issued]:
    """The chosen passwords hashed on every core, each handed to `keep` as it is done (before
    `on_done`). An exception from `on_done` (a stop asked for) drops the hashes not yet started
    instead of waiting hours for them."""
    results = []
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    try:
        hashed = pool.map(lambda item: hash_password(policy, item[0].login, item[1]), chosen)
        for (user, password), one in zip(chosen, hashed, strict=True):
            results.append(Issued(user.key, password, one.text, one.salt))
            if keep is not None:
                keep(results[-1])
            if on_done is not None:
                on_done(len(results))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def issue(users: Iterable[ForUser], policy: PasswordPolicy,
          on_done: Callable[[int], None] | None = None) -> list[Issued]:
    """A fresh password and its hash for each user."""
    return hash_all(choose(list(users), policy), policy, on_done)
