"""The initial passwords hashed so far, kept so that an import killed or stopped while it hashes
resumes where it stopped instead of hashing again from the first user.

bcrypt at cost 10 takes ~95 ms a hash: 100,000 users are more than an hour on two cores, which a
laptop going to sleep, a closed terminal or a kill would otherwise throw away. Each password is
kept with its hash in the import's hand-out folder (0700), in a file of its own (0600) beside
the hand-out that will hold it anyway: never in the store, the audit log or a log line. The
file is appended to and synced every FLUSH_SECONDS, so a kill loses at most that much hashing
(a line it cut short is left out), and a fast scheme (microseconds a hash) syncs a few times,
not once a user. It is removed, audited, once the hand-out is written, when the import is
rolled back, or with the hand-outs (`users handout ID --remove`). A user given a new password
(`users handout ID --reset`) is taken out of it first: its old password must never be handed
out again.

Its first line is a digest of the password policy it was hashed under: a resume under another
policy (the mapping changed the scheme, the cost or the rule) hashes afresh. A kept user is never
hashed again, so a user has one password in the file: the one its hash was written with, since
hashing ends (and the file is synced) before the first batch is sent. That is why a resume can
hand out the users a killed apply had already inserted, and why the estimate a person reads
before the resume counts only the users still to hash (importing.prepare_import).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from launchpad.oserrors import os_reason
from launchpad.phrases import phrase
from launchpad.users.annotate import CannotWrite
from launchpad.users.passwords import Issued, PasswordPolicy
from launchpad.workspace.durable import sync_directory

FILE_NAME = "hashing-in-progress.jsonl"
FLUSH_SECONDS = 2.0  # the most hashing a kill can cost

AuditFn = Callable[[str, str, dict[str, Any]], None]


class HashingProgress:
    """The file of one import's passwords hashed so far."""

    def __init__(self, folder: Path, policy: PasswordPolicy, audit: AuditFn) -> None:
        self.path = folder / FILE_NAME
        self.policy = hashlib.sha256(policy.model_dump_json().encode("utf-8")).hexdigest()
        self.audit = audit
        self._held: list[Issued] = []
        self._flushed = time.monotonic()

    def kept(self, *, discard_other: bool = True) -> dict[str, Issued]:
        """The users hashed by an earlier attempt of this import under this policy, by key. A
        file of another policy keeps nothing, and is removed (audited) unless `discard_other`
        is False (the estimate before the person says yes only looks)."""
        policy, found = _read(self.path)
        if policy is None:  # no file
            return {}
        if policy != self.policy:  # another policy's, or a first line that cannot be read
            if discard_other:
                self.remove("another_policy")
            return {}
        return found

    def keep(self, issued: Issued) -> None:
        """One user hashed; written with those hashed since the last write, once FLUSH_SECONDS
        have passed."""
        self._held.append(issued)
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the users held and sync the file. It is written before any batch is sent, so a
        full disk or a folder that cannot be written stops the import with nothing imported."""
        self._flushed = time.monotonic()
        if not self._held:
            return
        new = not self.path.exists()
        lines = [json.dumps({"policy": self.policy})] if new else []
        lines += [json.dumps({"key": i.key, "password": i.password, "hashed": i.hashed, "salt": i.salt})
                  for i in self._held]
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                payload = memoryview(("\n".join(lines) + "\n").encode("ascii"))
                while payload:  # a write cut short by a full disk says so on the next one
                    payload = payload[os.write(fd, payload):]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise CannotWrite(phrase("users.handout_folder", folder=str(self.path.parent),
                                     error=os_reason(exc)),
                              hint=phrase("users.handout_folder_hint")) from None
        self._held = []

    def remove(self, why: str) -> None:
        self._held = []
        remove_progress(self.path.parent, self.audit, why)


def kept_passwords(folder: Path) -> dict[str, Issued]:
    """The passwords kept in `folder`, whatever policy hashed them: what a hand-out that could
    not be written after the import (a full disk) is written from later (handout_kept.py)."""
    return _read(folder / FILE_NAME)[1]


def _read(path: Path) -> tuple[str | None, dict[str, Issued]]:
    """The file's policy digest ("" when its first line cannot be read, None without a file)
    and its users."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    complete = data.split(b"\n")[:-1]  # after the last newline: a line a kill cut short, or nothing
    header = _parsed(complete[0]) if complete else None
    policy = header.get("policy") if header is not None else None
    found: dict[str, Issued] = {}
    for line in complete[1:]:
        one = _parsed(line)
        if one is not None and all(isinstance(one.get(name), str) for name in ("key", "password", "hashed")):
            salt = one.get("salt")
            found[one["key"]] = Issued(one["key"], one["password"], one["hashed"],
                                       salt if isinstance(salt, str) else None)
    return policy if isinstance(policy, str) else "", found


def remove_progress(folder: Path, audit: AuditFn, why: str) -> None:
    """The file gone, audited with `why`: its passwords are in the hand-out, or will never be used."""
    path = folder / FILE_NAME
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        audit("user_import_hashing_progress_removed", str(path), {"why": why})


def forget_passwords(folder: Path, keys: set[str]) -> tuple[int, int]:
    """Drop the kept passwords of `keys` (users given a new password: `users handout ID
    --reset`), so that neither a resume nor a late hand-out hands out, or writes, the password
    they no longer have. The file is written afresh beside it (0600, synced) and put in its
    place; once it keeps nobody it is gone. (how many were dropped, how many stay kept.) An
    OSError (a full disk, a folder that cannot be written) reaches the caller, the file as it
    was: the reset says what it means for it."""
    path = folder / FILE_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0, 0
    lines = data.split(b"\n")[:-1]  # a line a kill cut short is left out, as when it is read
    header, users = lines[:1], lines[1:]
    stay = [line for line in users if (_parsed(line) or {}).get("key") not in keys]
    dropped = len(users) - len(stay)
    if not dropped:
        return 0, len(stay)
    if not stay:
        path.unlink()
        sync_directory(folder)  # after a power cut the old passwords must not come back
        return dropped, 0
    fresh = path.with_name(FILE_NAME + ".new")
    try:
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            payload = memoryview(b"\n".join(header + stay) + b"\n")
            while payload:
                payload = payload[os.write(fd, payload):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(fresh, path)
        sync_directory(folder)
    except OSError:
        with contextlib.suppress(OSError):
            fresh.unlink()
        raise
    return dropped, len(stay)


def _parsed(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:  # UnicodeDecodeError too
        return None
    return value if isinstance(value, dict) else None
