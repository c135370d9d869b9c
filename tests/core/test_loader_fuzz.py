"""Arbitrary YAML into the loaders: either a valid model or a located, readable error —
never a traceback from inside PyYAML or pydantic."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchpad.errors import InvalidInput
from launchpad.run.playbook import Playbook, _validate
from launchpad.workspace.site import Site
from launchpad.workspace.yamlsource import load_yaml, validate

keys = st.sampled_from(
    ["name", "title", "phases", "id", "steps", "kind", "run", "hosts", "expect", "site", "client",
     "environments", "production", "password", "windows", "start", "end", "days", "vars", "exit"]
) | st.text(min_size=1, max_size=8)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)


def assert_clear(error: InvalidInput) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "Traceback" not in problem.message


def load_as_site_and_playbook(text: str) -> None:
    """Load `text` as each kind of file: a model comes back, or a located InvalidInput."""
    for model in (Site, Playbook):
        try:
            document = load_yaml(text, "fuzz.yaml")
            if model is Playbook:
                _validate(document)
            else:
                validate(model, document)
        except InvalidInput as error:
            assert_clear(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_structured_yaml_gives_a_model_or_a_located_error(data: object) -> None:
    load_as_site_and_playbook(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_model_or_a_located_error(text: str) -> None:
    try:
        document = load_yaml(text, "fuzz.yaml")
        validate(Site, document)
    except InvalidInput as error:
        assert_clear(error)


yaml_tokens = st.lists(
    st.sampled_from([
        "a:", "name: x", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!python/object ",
        "<<: *x", "2026-13-45", "0x1F", "~", ":", "'", '"', "|", ">", "\t", "%YAML 1.1", "---", "...",
        "phases:", "site:", "steps:", "kind: shell", "? ", "!!binary ", "1e999", "\ufeff", "\x85",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(yaml_tokens)
def test_yaml_shaped_noise_gives_a_model_or_a_located_error(text: str) -> None:
    load_as_site_and_playbook(text)


def test_alias_bombs_and_cycles_are_refused() -> None:
    import pytest

    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, prev in zip("bcdefg", "abcdef", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InvalidInput, match="aliases expand too far"):
        load_yaml("\n".join(levels), "bomb.yaml")
    with pytest.raises(InvalidInput, match="alias refers to the value that contains it"):
        load_yaml("a: &x {b: *x}", "cycle.yaml")


def test_bad_scalar_is_located() -> None:
    import pytest

    with pytest.raises(InvalidInput, match=r"f\.yaml:2:8: YAML value: '2026-13-45' is not a real date"):
        load_yaml("a: 1\nwhen:  2026-13-45\n", "f.yaml")
