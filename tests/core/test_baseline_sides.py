"""One difference seen on the baseline and every environment at once: each side's fields of the
item, None where a side lacks it, and the fields that are not the same everywhere."""

from __future__ import annotations

from launchpad.baseline.drift import compare
from launchpad.baseline.model import Baseline, Dictionary, DictItem, Post, Role
from launchpad.baseline.sides import sides_of


def side(name: str, *, label: str = "基本满意", grant: bool = True, extra: bool = False) -> Baseline:
    items = {"3": DictItem("3", label, 3)}
    if extra:
        items["hotline"] = DictItem("hotline", "12345热线", 5)
    perms = frozenset({"affair:case:list"} | ({"affair:case:approve"} if grant else set()))
    return Baseline("v1", name, roles={"approver": Role("approver", "审批人", permissions=perms)},
                    dictionaries={"gov_review_level": Dictionary("gov_review_level", "评价", items=items),
                                  "gov_channel": Dictionary("gov_channel", "渠道", items=dict(items))},
                    posts={"ky": Post("ky", "科员")})


def test_each_side_holds_the_item_or_not_and_the_differing_fields_are_named() -> None:
    baseline, test, prod = side("baseline"), side("test", extra=True), side("prod", label="一般", grant=False,
                                                                            extra=True)
    by_id = {d.id: d for d in compare(baseline, prod, "prod").differences}
    sides = {"baseline": baseline, "test": test, "prod": prod}

    label = sides_of(by_id["dict_item/gov_review_level/3"], sides)
    assert [label.values[s]["label"] for s in sides] == ["基本满意", "基本满意", "一般"]  # type: ignore[index]
    assert label.differing() == {"label"}
    assert label.fields[:2] == ("label", "order")

    option = sides_of(by_id["dict_item/gov_channel/hotline"], sides)
    assert option.values["baseline"] is None and option.holders() == ["test", "prod"]
    assert option.differing() == set()  # test and prod hold the same option: only the baseline lacks it

    grant = sides_of(by_id["permission/approver/affair:case:approve"], sides)
    assert {s: v for s, v in grant.values.items()} == {"baseline": {"granted": True}, "test": {"granted": True},
                                                       "prod": {"granted": False}}
    assert grant.differing() == {"granted"}


def test_a_role_or_dictionary_missing_somewhere_shows_its_counts_where_it_is() -> None:
    baseline = side("baseline")
    prod = Baseline("v", "prod", posts={"ky": Post("ky", "科员（正）")})
    by_id = {d.id: d for d in compare(baseline, prod, "prod").differences}
    role = sides_of(by_id["role/approver"], {"baseline": baseline, "prod": prod})
    assert role.values["prod"] is None
    assert role.values["baseline"] == {"name": "审批人", "status": "0", "data_scope": "1", "sort": 0, "permissions": 2}
    dictionary = sides_of(by_id["dictionary/gov_channel"], {"baseline": baseline, "prod": prod})
    assert dictionary.values["baseline"] == {"name": "渠道", "status": "0", "items": 1}
    post = sides_of(by_id["post/ky"], {"baseline": baseline, "prod": prod})
    assert post.differing() == {"name"}
