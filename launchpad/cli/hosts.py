"""`launchpad exec` and `launchpad hosts check|trust`: many hosts at once, one table."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, pass_session, say

if TYPE_CHECKING:
    from launchpad.session import Session

from launchpad.errors import UsageError
from launchpad.phrases import Said, listed, phrase, render


@click.command("exec", context_settings={"ignore_unknown_options": True})
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--group", "-g", default="all", show_default=True)
@click.option("--timeout", type=float, default=120.0, show_default=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.option("--output", "-o", "show_output", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.argument("command", nargs=-1, required=True)
@pass_session
def exec_(
    session: Session,
    env_name: str,
    group: str,
    timeout: float,
    confirm_env: str | None,
    show_output: bool,
    as_json: bool,
    command: tuple[str, ...],
) -> None:
    from launchpad.cli.progress import took_cell
    from launchpad.hosts.adhoc import run_everywhere
    from launchpad.hosts.connect import HostConnections

    workspace = session.workspace
    environment = workspace.environment(env_name)
    hosts = environment.hosts_in(group)
    if not hosts:
        raise UsageError(phrase("cli.hosts.no_hosts", group=group, env=env_name),
                         hint=phrase("cli.hosts.groups", groups=sorted(environment.groups())))
    text = " ".join(command)
    store = session.store()
    actor = session.actor
    if environment.production:
        try:
            _require_typed_name(env_name, confirm_env)
        except UsageError:
            store.audit(actor, "exec_refused", f"{env_name}/{group}",
                        {"command": text, "reason": "production's name not typed", "typed": confirm_env})
            raise
    with HostConnections(workspace, env_name, store=store, actor=actor) as connections:
        store.audit(actor, "exec", f"{env_name}/{group}", {"command": text, "hosts": [h.name for h in hosts]})
        results = run_everywhere(connections, hosts, text, timeout=timeout)
    failed = sum(1 for r in results if not r.ok)
    if as_json:
        click.echo(json.dumps([r.as_dict(language()) for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            mark = click.style("✓", fg="green") if r.ok else click.style("✗", fg="red", bold=True)
            code = "-" if r.exit_code is None else str(r.exit_code)
            exit_code = say("cli.run.exit", code=f"{code:>3}")
            click.echo(f"{mark} {r.host:<20} {exit_code}  {took_cell(r.duration)}  {r.first_line(language())}")
            if show_output and r.output:
                click.echo("\n".join(f"    {line}" for line in r.output.rstrip().splitlines()))
        _echo_hints([(r.host, r.hint) for r in results])
        click.echo(say("cli.hosts.succeeded", ok=len(results) - failed, total=len(results)))
    if failed:
        raise SystemExit(1)


def _echo_hints(hints: list[tuple[str, Said]]) -> None:
    """Each distinct hint once, under the table, with the hosts it is for."""
    hosts_by_hint: dict[str, list[str]] = {}
    for host, hint in hints:
        if hint:
            hosts_by_hint.setdefault(render(hint, language()), []).append(host)
    for hint, names in hosts_by_hint.items():
        click.echo(f"  → {render(listed(names), language())}: {hint}")


def _require_typed_name(env_name: str, confirm_env: str | None) -> None:
    import sys

    if confirm_env is None:
        if not sys.stdin.isatty():
            raise UsageError(phrase("cli.hosts.production", env=env_name),
                             hint=phrase("cli.hosts.production_hint", env=env_name))
        click.echo(click.style(say("cli.ask.is_production", env=env_name), fg="red", bold=True), err=True)
        confirm_env = click.prompt(say("cli.ask.type_name"), default="", show_default=False, err=True)
    if confirm_env != env_name:
        raise UsageError(phrase("cli.hosts.typed_wrong", typed=confirm_env, env=env_name))


@click.group()
def hosts() -> None:
    pass


@hosts.command("check")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--group", "-g", default="all", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_session
def hosts_check(session: Session, env_name: str, group: str, as_json: bool) -> None:
    from launchpad.hosts.connect import HostConnections
    from launchpad.hosts.hostcheck import check_hosts

    workspace = session.workspace
    hosts_ = workspace.environment(env_name).hosts_in(group)
    store = session.store()
    with HostConnections(workspace, env_name, store=store, actor=session.actor) as connections:
        health = check_hosts(connections, hosts_)
    if as_json:
        click.echo(json.dumps([h.as_dict(language()) for h in health], ensure_ascii=False, indent=2))
    else:
        click.echo(say("cli.hosts.check_head"))
        for h in health:
            click.echo(h.table_row(language()))
        _echo_hints([(h.host, h.hint) for h in health])
    if any(not h.healthy for h in health):
        raise SystemExit(1)


@hosts.command("trust")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option(
    "--accept",
    multiple=True,
    metavar="SHA256:…",
)
@pass_session
def hosts_trust(session: Session, env_name: str, accept: tuple[str, ...]) -> None:
    from launchpad.hosts.connect import HostConnections

    for given in accept:
        if not given.startswith("SHA256:"):
            raise UsageError(phrase("cli.trust.not_sha256", given=given), hint=phrase("cli.trust.not_sha256_hint"))
    workspace = session.workspace
    store = session.store()
    actor = session.actor
    not_trusted: list[str] = []
    matched: set[str] = set()
    with HostConnections(workspace, env_name, store=store, actor=actor) as connections:
        if connections.environment.transport == "local":
            click.echo(say("cli.trust.local", env=env_name))
            return
        for offer in connections.offered_keys():
            if offer.fingerprint in accept:
                matched.add(offer.fingerprint)
            if not _settle_key(connections, offer, accept, store=store, actor=actor):
                not_trusted.append(offer.host)
    for unused in sorted(set(accept) - matched):
        click.echo(click.style("  " + say("cli.trust.unmatched", fingerprint=unused), fg="yellow"))
    if not_trusted:
        click.echo(click.style(say("cli.trust.not_trusted", count=len(not_trusted), hosts=not_trusted), fg="red"),
                   err=True)
        raise SystemExit(1)


def _settle_key(connections: Any, offer: Any, accept: tuple[str, ...], *, store: Any, actor: str) -> bool:
    """Show one host's key and record it if a person accepts it; True when it is trusted."""
    label = say("cli.trust.jump_label" if offer.is_jump else "cli.trust.label", host=offer.host,
                address=offer.address)
    subject = f"{connections.env_name}/{offer.host}"
    if offer.state == "known":
        click.echo("  " + say("cli.trust.known", label=label, key=f"{offer.key_type} {offer.fingerprint}"))
        return True
    if offer.state == "error":
        click.echo(click.style("  " + say("cli.trust.error", label=label, error=offer.error), fg="red"))
        if offer.hint:
            click.echo(f"    → {render(offer.hint, language())}")
        return False
    details = {"fingerprint": offer.fingerprint, "key_type": offer.key_type}
    if offer.state in ("changed", "revoked"):
        key = f"{offer.key_type} {offer.fingerprint}"
        found = offer.offer
        # The entry goes from the file that holds it, under the name it is filed by.
        command = found.status.removal(found.hostname, found.port) if found is not None else ""
        if offer.state == "revoked":  # `ssh-keygen -R` leaves @revoked lines: the host needs a new key
            said = say("cli.trust.revoked", label=label, key=key)
        elif command:
            said = say("cli.trust.changed", label=label, key=key, known=offer.known_fingerprint, command=command)
        else:  # which file holds it is not known: the entry's name in words
            said = say("cli.trust.changed_entry", label=label, key=key, known=offer.known_fingerprint,
                       entry=offer.address)
        click.echo(click.style("  " + said, fg="red", bold=True))
        store.audit(actor, "host_key_refused", subject, {**details, "reason": offer.state})
        return False
    click.echo("  " + say("cli.trust.unknown", label=label, key=f"{offer.key_type} {offer.fingerprint}"))
    refusal = _refusal(offer.fingerprint, accept)
    if refusal is not None:
        reason, said = refusal
        click.echo("    " + say("cli.trust.refused", said=said))
        store.audit(actor, "host_key_refused", subject, {**details, "reason": reason})
        return False
    path = connections.trust(offer)
    store.audit(actor, "host_key_trusted", subject, {**details, "known_hosts": str(path)})
    click.echo("    " + say("cli.trust.recorded", path=str(path)))
    return True


def _refusal(fingerprint: str, accept: tuple[str, ...]) -> tuple[str, str] | None:
    """Why an unknown key is not trusted (audit reason, words for the person), or None."""
    import sys

    if fingerprint in accept:
        return None
    if accept:
        # --accept says the person checked the keys out of band: nothing else is trusted.
        return "fingerprint_mismatch", say("cli.trust.mismatch", accepted=list(accept))
    if not sys.stdin.isatty():
        return "no_terminal", say("cli.trust.no_terminal")
    if click.confirm("    " + say("cli.trust.ask"), default=False):
        return None
    return "declined", say("cli.trust.declined")


COMMANDS = [exec_, hosts]
