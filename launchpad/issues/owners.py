"""Who owns an issue: a contact from site.yaml, given by id (`zhang`, stored as the contact's
name) or by name (`张伟`). Anything else is still stored — a client's staff member may own an
issue before site.yaml lists them — but the person is told, with the close matches, so a typo
(`张为`, `zhnag`) does not leave an issue with an owner nobody reads as theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches

from launchpad.phrases import Phrase, phrase


@dataclass(frozen=True)
class Owner:
    name: str  # what the issue stores
    warning: Phrase | None = None  # set when it is no contact of the site


def owner_named(people: Mapping[str, str], given: str) -> Owner:
    """`given` as an owner: a contact id becomes the contact's name; a contact's name stays;
    anything else stays as given, with a warning naming the contacts it is close to."""
    text = given.strip()
    if text in people:
        return Owner(people[text])
    if not text or text in people.values():
        return Owner(text)
    labels = {contact_id: f"{name}（{contact_id}）" for contact_id, name in people.items()}
    by_word = {**{name: labels[contact_id] for contact_id, name in people.items()}, **labels}
    wanted = text.casefold()
    # A part of a name or id (`zhang` for `zhangwei`) first, then a like spelling: two-character
    # Chinese names differing in one character are alike at 0.5, longer words need more.
    close = [word for word in by_word if wanted in word.casefold() or word.casefold() in wanted]
    close += get_close_matches(wanted, list(by_word), n=3, cutoff=0.5 if len(wanted) <= 3 else 0.6)
    shown = list(dict.fromkeys(by_word[word] for word in close))[:3]
    if shown:
        return Owner(text, phrase("issues.owner_unknown_close", owner=text, close=shown))
    return Owner(text, phrase("issues.owner_unknown", owner=text, known=list(labels.values()) or phrase("rule.none")))
