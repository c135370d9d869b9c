"""A refused gate is never an ordinary failure: every error named a refusal exits 4, the code a
run a gate refused exits with, unless the person can put it right by asking again (exit 2)."""

from __future__ import annotations

import importlib
import pkgutil

import launchpad
from launchpad.errors import REFUSED_EXIT, LaunchpadError, Refusal
from launchpad.run.engine import RunResult

# Named refused, and no gate: why each one is not.
NOT_GATES = {
    "ContentRefused": "a robot refused a message for its content: the notice was not delivered (exit 1)",
    "NoticeRefused": "nobody to call in the contact given or in site.yaml's roster: the person's input (exit 2)",
}


def error_classes() -> list[type[LaunchpadError]]:
    for module in pkgutil.walk_packages(launchpad.__path__, "launchpad."):
        if not module.name.endswith("__main__"):  # running it opens the app
            importlib.import_module(module.name)
    found: list[type[LaunchpadError]] = []
    pending: list[type[LaunchpadError]] = [LaunchpadError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_refused_error_is_a_refusal_and_exits_as_a_refused_run_does() -> None:
    refused = {cls.__name__: cls for cls in error_classes() if cls.__name__.endswith("Refused")}
    assert set(NOT_GATES) <= set(refused), "a class listed as no gate is gone: drop it from NOT_GATES"
    gates = [cls for name, cls in refused.items() if name not in NOT_GATES]
    assert {"ReleaseRefused", "ImportRefused", "RollbackRefused", "RolesRefused", "FixRefused", "RestoreRefused",
            "DrillRefused"} <= {cls.__name__ for cls in gates}
    for cls in gates:
        assert issubclass(cls, Refusal) and cls.exit_code == REFUSED_EXIT, cls
    for name in NOT_GATES:
        assert not issubclass(refused[name], Refusal), name
    assert RunResult(1, "refused").exit_code == REFUSED_EXIT


def test_what_the_person_puts_right_by_asking_again_stays_bad_usage() -> None:
    mistakes = [cls for cls in error_classes()
                if issubclass(cls, Refusal) and cls.exit_code != REFUSED_EXIT]
    names = {cls.__name__ for cls in mistakes}
    assert {"ImportNotConfirmed", "RolesNotConfirmed", "FixNotConfirmed", "RestoreNotConfirmed",
            "RestoreOtherEnvironment"} == names
    assert all(cls.exit_code == LaunchpadError.exit_code for cls in mistakes)
