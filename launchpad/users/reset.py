"""New initial passwords for users an import inserted whose hand-out was lost — the users a
killed apply had inserted before it died, whose passwords died with it.

Only a user this import inserted (create_by still `import:ID`) whose password was never changed
(`pwd_update_date` still NULL) is reset: a password a person already chose is never replaced.
The new passwords go to a fresh hand-out folder, like the apply's."""

from __future__ import annotations

from pathlib import Path

from launchpad.errors import UsageError
from launchpad.sitetime import utc_now
from launchpad.users import records
from launchpad.users.apply import ImportTarget
from launchpad.users.handout import handout_dir, write_handouts
from launchpad.users.passwords import ForUser, PasswordPolicy, issue


def reset_passwords(to: ImportTarget, import_id: int, keys: list[str],
                    policy: PasswordPolicy) -> tuple[list[Path], list[str]]:
    """(hand-out files, keys left alone because their password was already changed)."""
    found = records.get_import(to.store, import_id)
    if found["environment"] != to.environment:
        raise UsageError(f"import {import_id} went into {found['environment']}, not {to.environment}")
    inserted = {r["key"]: r for r in records.import_rows(to.store, import_id) if r["action"] == "insert"}
    unknown = [k for k in keys if k not in inserted]
    if unknown:
        raise UsageError(f"import {import_id} did not insert {', '.join(unknown)}",
                         hint="only users an import inserted get their initial password from it")
    mark = records.mark(import_id)
    untouched = {str(r[0]) for r in to.session.query(
        "SELECT user_name FROM sys_user WHERE create_by = :mark AND del_flag = '0' AND pwd_update_date IS NULL",
        {"mark": mark}).rows}
    chosen = [k for k in keys if k in untouched]
    left = [k for k in keys if k not in untouched]
    # A lost hand-out gets random passwords even under a site rule: a rule's password is one
    # anybody who knows the rule and the row could work out, and the row is no longer at hand.
    issued = issue([ForUser(k, k) for k in chosen], policy.model_copy(update={"rule": None}))
    sql = to.session.sql
    lines = list(sql.begin)
    for one in issued:
        salt = f", {policy.salt_column} = {sql.text(one.salt)}" if one.salt is not None else ""
        lines.append(f"UPDATE sys_user SET password = {sql.text(one.hashed)}{salt} "
                     f"WHERE user_name = {sql.text(one.key)} AND create_by = {sql.text(mark)} AND del_flag = '0' "
                     "AND pwd_update_date IS NULL;")
    lines.append("COMMIT;")
    if issued:
        to.session.script("\n".join(lines) + "\n")
    to.audit("user_password_reset", f"{to.environment}/{to.database}",
             {"import": import_id, "users": chosen, "left_alone": left})
    people = [{"unit": inserted[i.key]["unit"] or "", "key": i.key,
               "name": (inserted[i.key]["after"] or {}).get("nick_name", ""), "password": i.password} for i in issued]
    folder = handout_dir(to.workspace_root, import_id)
    stamp = utc_now().replace(":", "").replace("-", "")[:15]
    files = write_handouts(folder / f"reset-{stamp}", people, to.audit) if people else []
    return files, left
