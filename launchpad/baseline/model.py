"""The baseline as data. Every item is keyed by its natural key — a role by its key, a
permission by the menu's permission code (else the path of its menu names, written
`/系统管理/日志管理`), a dictionary by its type, an item by its value, a post by its code — so a
baseline exported from test compares with prod whatever ids each database gave its rows."""

from __future__ import annotations

from dataclasses import dataclass, field

# The kinds of item a baseline holds, in the order reports list them.
KINDS = ("role", "permission", "dictionary", "dict_item", "post")
# A baseline's sections and the kinds each holds. A baseline file may hold some of them only
# (HQ manages dictionaries, not posts): a section it leaves out is not compared, so nothing of
# it is "extra" and no fix deletes it. A section written empty (`posts: []`) says there are none.
SECTIONS: dict[str, tuple[str, ...]] = {"roles": ("role", "permission"), "dictionaries": ("dictionary", "dict_item"),
                                        "posts": ("post",)}


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    status: str = "0"
    data_scope: str = "1"
    sort: int = 0
    permissions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DictItem:
    value: str
    label: str
    order: int = 0
    default: bool = False
    status: str = "0"
    css_class: str = ""
    list_class: str = ""


@dataclass(frozen=True)
class Dictionary:
    type: str
    name: str
    status: str = "0"
    items: dict[str, DictItem] = field(default_factory=dict)  # by value


@dataclass(frozen=True)
class Post:
    code: str
    name: str
    sort: int = 0
    status: str = "0"


@dataclass
class Baseline:
    """A baseline file, or an environment read live (`source` says which)."""

    version: str
    source: str
    roles: dict[str, Role] = field(default_factory=dict)
    dictionaries: dict[str, Dictionary] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    # The permission keys the environment's menus answer to (None for a file): a granted key
    # the target has no menu for cannot be fixed by a grant.
    menus: frozenset[str] | None = None
    sections: frozenset[str] = frozenset(SECTIONS)  # what it holds (a file: the sections written)
    # An environment's super administrator role (RuoYi's role_id 1), which RuoYi itself refuses
    # to change or delete: no fix touches it, whatever the baseline says.
    super_admin: str | None = None


def role_fields(role: Role) -> dict[str, object]:
    return {"name": role.name, "status": role.status, "data_scope": role.data_scope, "sort": role.sort}


def dictionary_fields(dictionary: Dictionary) -> dict[str, object]:
    return {"name": dictionary.name, "status": dictionary.status}


def item_fields(item: DictItem) -> dict[str, object]:
    return {"label": item.label, "order": item.order, "default": item.default, "status": item.status,
            "css_class": item.css_class, "list_class": item.list_class}


def post_fields(post: Post) -> dict[str, object]:
    return {"name": post.name, "sort": post.sort, "status": post.status}
