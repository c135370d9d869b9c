"""Password schemes against published vectors, a verify round trip per scheme, and the site
rule's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.errors import InvalidInput, UsageError
from launchpad.users.mapping import load_mapping
from launchpad.users.passwords import (
    ForUser,
    PasswordPolicy,
    Pbkdf2,
    apply_rule,
    hash_password,
    issue,
    pbkdf2_text,
    shiro_md5,
    sm3_hex,
    verify,
)
from tests.core.users_sheets import MAPPING, write_mapping


def test_sm3_matches_the_published_test_vector() -> None:
    # GB/T 32905-2016, appendix A.1: SM3("abc").
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    # A.2: "abcd" sixteen times (512 bits, two blocks once padded).
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_shiro_md5_is_ruoyis_own() -> None:
    # RuoYi's Shiro edition ships admin / admin123 with salt 111111 as this hash.
    assert shiro_md5("admin", "admin123", "111111") == "29c67a30398638269fe600f73a054934"


def test_pbkdf2_matches_the_rfc_vectors_and_djangos_format() -> None:
    hex_sha1 = Pbkdf2(hash="sha1", iterations=2, encoding="hex", format="{salt}:{hash}")
    assert pbkdf2_text(hex_sha1, "password", "salt") == "salt:ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"  # RFC 6070
    sha256 = Pbkdf2(iterations=1, encoding="hex", format="{salt}:{hash}")
    assert pbkdf2_text(sha256, "password", "salt") == \
        "salt:120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
    django = Pbkdf2(iterations=1)
    assert pbkdf2_text(django, "password", "salt") == \
        "pbkdf2_sha256$1$salt$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs="


@pytest.mark.parametrize("policy", [
    PasswordPolicy(cost=4),
    PasswordPolicy(scheme="shiro_md5"),
    PasswordPolicy(scheme="pbkdf2", pbkdf2=Pbkdf2(iterations=1000)),
    PasswordPolicy(scheme="pbkdf2", pbkdf2=Pbkdf2(iterations=1000, hash="sha512", encoding="hex",
                                                  format="{algorithm}:{iterations}:{salt}:{hash}")),
    PasswordPolicy(scheme="sm3"),
    PasswordPolicy(scheme="sm3", salt_column=None),
], ids=["bcrypt", "shiro_md5", "pbkdf2", "pbkdf2-declared", "sm3", "sm3-unsalted"])
def test_each_scheme_verifies_its_own_hash_and_nothing_else(policy: PasswordPolicy) -> None:
    hashed = hash_password(policy, "zhangsan", "Secret#2026")
    assert verify(policy, "zhangsan", "Secret#2026", hashed)
    assert not verify(policy, "zhangsan", "Secret#2027", hashed)
    assert "Secret#2026" not in hashed.text
    assert (hashed.salt is not None) == (policy.scheme in ("shiro_md5", "sm3") and policy.salt_column is not None)
    if policy.scheme == "shiro_md5":
        assert not verify(policy, "lisi", "Secret#2026", hashed)  # the login name is part of the hash
    again = hash_password(policy, "zhangsan", "Secret#2026")
    if policy.salt_column is not None or policy.scheme in ("bcrypt", "pbkdf2"):
        assert again.text != hashed.text  # salted: two users with one password get different hashes


def test_a_site_rule_makes_each_password_from_the_row() -> None:
    policy = PasswordPolicy(scheme="shiro_md5", rule="Gov@{id_number[-6:]}")
    issued = issue([ForUser("zhangsan", "zhangsan", {"id_number": "11010519491231002X"}),
                    ForUser("lisi", "lisi", {"id_number": "110105199003071239"})], policy)
    assert [(i.key, i.password) for i in issued] == [("zhangsan", "Gov@31002X"), ("lisi", "Gov@071239")]
    assert shiro_md5("lisi", "Gov@071239", issued[1].salt or "") == issued[1].hashed
    assert apply_rule("{user_name}{phonenumber[:3]}", {"user_name": "ab", "phonenumber": "13800138000"}) == "ab138"


def test_a_rule_that_gives_two_users_one_password_writes_nothing() -> None:
    policy = PasswordPolicy(rule="Gov@{id_number[-6:]}")
    same_tail = [ForUser("a", "a", {"id_number": "11010519491231002X"}), ForUser("b", "b", {"id_number": "X31002X"})]
    with pytest.raises(UsageError, match="gives a and b the same password"):
        issue(same_tail, policy)
    with pytest.raises(UsageError, match="uses id_number, which user c lacks"):
        issue([ForUser("c", "c", {})], policy)


@pytest.mark.parametrize(("passwords", "where", "message"), [
    ("{scheme: sm3, rule: Gov@2026}", "rule", "uses no field of the row, so every user would get the same password"),
    ("{rule: 'Gov@{sex}'}", "passwords", "uses no field that differs between users"),
    ("{rule: 'Gov@{id_number[3:1]}'}", "rule", "is always empty"),
    ("{rule: 'Gov@{office}'}", "passwords", "names office, which is not a field"),
    ("{rule: 'Gov@{id_number!r}'}", "rule", "only {field} or {field[start:stop]} may stand in braces"),
    ("{scheme: shiro_md5, salt_column: null}", "passwords", "shiro_md5 needs salt_column"),
    ("{scheme: pbkdf2, pbkdf2: {format: '{hash}'}}", "format", "must hold {salt} and {hash}"),
    ("{scheme: md5}", "scheme", "scheme"),
])
def test_bad_password_settings_are_located_in_the_mapping(tmp_path: Path, passwords: str, where: str,
                                                          message: str) -> None:
    path = write_mapping(tmp_path, MAPPING + f"passwords: {passwords}\n")
    line = MAPPING.count("\n") + 1
    with pytest.raises(InvalidInput) as raised:
        load_mapping(path)
    [problem] = raised.value.problems
    assert problem.line == line and message in problem.message, problem
    assert problem.col >= 1 and (where in problem.message or where in ("passwords", "rule", "format"))


def test_a_rule_on_the_key_or_a_unique_field_is_accepted(tmp_path: Path) -> None:
    text = MAPPING + "passwords: {scheme: sm3, rule: 'Gov@{id_number[-6:]}'}\n"
    mapping = load_mapping(write_mapping(tmp_path, text))
    assert mapping.passwords.scheme == "sm3" and mapping.passwords.rule == "Gov@{id_number[-6:]}"
