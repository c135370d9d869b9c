"""The template values of one host: a step that runs per host may name `{{ host.name }}`,
`{{ host.address }}` (its health URL, a folder of its own)."""

from __future__ import annotations

from typing import Any

from launchpad.workspace.site import Host

# What `launchpad check` renders `host` as: every field a real host has.
HOST_STAND_IN = {"name": "<host>", "address": "<address>", "port": 22, "user": "<user>", "groups": []}


def host_values(values: dict[str, Any], host: Host) -> dict[str, Any]:
    return {**values, "host": host.model_dump()}
