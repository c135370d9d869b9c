"""Secret references: how site.yaml names a password without containing it.

A secret value in YAML is only ever a reference: `env:NAME`, `keyring:SERVICE/NAME` or
`prompt`. A literal is refused at load time, so a password can never reach git, the store, a
log or a report by way of the workspace files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator

from launchpad.errors import SecretUnavailable
from launchpad.phrases import Said, phrase

_REFERENCE = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]*|keyring:[^/\s]+/[^/\s]+|prompt)$")


def _check_reference(value: str) -> str:
    if not _REFERENCE.match(value):
        raise ValueError(phrase("rule.secret_value"))
    return value


SecretRef = Annotated[str, AfterValidator(_check_reference)]

# A robot on this machine (the demo's stand-in, a test double) holds no one's key: its address
# may be written as it is. Any other webhook carries a key and must be a reference.
_LOOPBACK_WEBHOOK = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}/\S*$")


def _check_webhook(value: str) -> str:
    if _LOOPBACK_WEBHOOK.match(value):
        return value
    if value.startswith(("http://", "https://")):
        raise ValueError(phrase("rule.webhook_value"))
    return _check_reference(value)


WebhookRef = Annotated[str, AfterValidator(_check_webhook)]


# Asks a person for a `prompt` secret; the label (which secret) reads in the asker's language.
AskSecret = Callable[[Said], str]


def resolve_secret(reference: str, *, ask: AskSecret | None = None, label: Said = "") -> str:
    """Fetch the secret a reference names. `ask` is used for `prompt` references; `label` names
    the secret, as a phrase, for the question and for the refusal when it cannot be had."""
    if _LOOPBACK_WEBHOOK.match(reference):
        return reference
    kind, _, rest = reference.partition(":")
    if kind == "env":
        value = os.environ.get(rest)
        if value is None:
            raise SecretUnavailable(
                phrase("secret.env_unset", name=rest, label=label or phrase("secret.a_secret")),
                hint=phrase("secret.env_unset_hint", name=rest),
            )
        return value
    if kind == "keyring":
        service, _, name = rest.partition("/")
        try:
            import keyring  # optional: only sites that use it need it installed
        except ImportError:
            raise SecretUnavailable(
                phrase("secret.no_keyring", reference=reference), hint=phrase("secret.no_keyring_hint"),
            ) from None
        value = keyring.get_password(service, name)
        if value is None:
            raise SecretUnavailable(
                phrase("secret.no_entry", service=service, name=name),
                hint=phrase("secret.no_entry_hint", service=service, name=name),
            )
        return str(value)
    if reference == "prompt":
        if ask is None:
            raise SecretUnavailable(
                phrase("secret.nobody_to_ask", label=label or phrase("secret.a_secret")),
                hint=phrase("secret.nobody_to_ask_hint"),
            )
        return ask(label)
    raise SecretUnavailable(phrase("secret.not_a_reference", reference=repr(reference)))
