"""No refusal in launchpad/ is raised with words of one language only.

Every error a person may read carries a phrase of the word-book (launchpad/phrases.py), so a
`language: zh` site reads it in Chinese and `--lang en` in English. An AST scan finds each call
to a LaunchpadError subclass, to Problem or to a source map's `problem` whose message, hint,
reason or said is a text literal (or an f-string) with words in it, and each title given at the
raise that the word-book does not know. Exceptions no person should ever read (ValueError,
RuntimeError … raised on a broken invariant, caught and turned into a refusal, or kept English
for the audit log) are not LaunchpadErrors; those raised with words are listed below, each with
why it may stay English.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

import launchpad
from launchpad.errors import LaunchpadError, Problem
from launchpad.phrases import CATALOG

ROOT = Path(launchpad.__file__).parent
CHECKED = ("message", "hint", "reason", "said", "title")  # the parameters a person reads
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters of any script in a row: words, not "{a}: {b}"

# Raised with words of one language on purpose: (file under launchpad/, exception, the start of
# its words) → why no person reads them.
ALLOWED: dict[tuple[str, str, str], str] = {
    # store internals: a broken invariant of the code that writes the store, never of a person's input
    ("store/audit.py", "StoreError", "audit detail cannot be stored as JSON: {"):
        "the code passed an unserialisable detail",
    ("store/db.py", "StoreError", "step {} (attempt {}) of run {} was never"):
        "the engine finished a step it never started",
    ("store/db.py", "StoreError", "cannot add {} to {}: {}"): "a duplicate key the code must never insert",
    ("store/migrations.py", "StoreError", "unknown {} {}"): "a status or kind the code itself passes",
    ("store/migrations.py", "StoreError", "cannot store {} as JSON: {}"): "evidence the code could not serialise",
    ("store/migrations.py", "StoreError", "internal: migrations must run inside a w"): "the store's own call order",
    # builtin exceptions raised on a broken invariant, or caught and said again as a phrase
    ("backup/adopt.py", "ValueError", "{} cannot be adopted: {}"): "the caller adopts only files without a problem",
    ("backup/envelope.py", "ValueError", "too many credential files for one comman"): "a driver passes at most a few",
    ("backup/hostshell.py", "RuntimeError", "private directories do not nest"): "the code's own call order",
    ("backup/operations.py", "ValueError", "{} needs a backup"): "the front ends always pass the backup chosen",
    ("backup/operations.py", "ValueError", "unknown backup operation {}"): "the front ends pass one of four names",
    ("backup/restore.py", "RuntimeError", "feed_backup runs inside HostShell.privat"): "the code's own call order",
    ("backup/structure.py", "EOFError", "{} is cut short"):
        "caught beside tarfile's own English and said as check.tar_damaged",
    ("backup/writer.py", "ValueError", "write to a closed backup file"): "the code's own call order",
    ("hosts/__init__.py", "AttributeError", "module {} has no attribute {}"): "Python's lazy-import protocol",
    ("notify/robots.py", "ValueError", "unknown robot kind {}"): "site.yaml's schema admits only the known kinds",
    ("notify/split.py", "ValueError", "a limit of {} bytes leaves no room for t"):
        "the limits are the code's constants",
    ("phrases.py", "KeyError", "keys in two places of the word-book: {}"):
        "fails at import, in the tests, never on site",
    ("phrases.py", "KeyError", "no phrase {} in the catalog"): "a typo in a key fails in the tests",
    ("users/direct.py", "ValueError", "{} more ids than the {} reserved"):
        "the import reserves one id for each insert of its plan, and takes them batch by batch",
    ("users/inflight.py", "RuntimeError", "{} batches are already in flight"): "the import's own call order",
    ("users/stream.py", "ValueError", "MariaDB's loop takes a batch only whole"):
        "the import holds a batch's COMMIT back only where the stream says it can (holds_commit)",
    ("users/records.py", "TypeError", "{} is not JSON"): "the JSON encoder's default: a record holds text, lists and "
                                                       "dicts only",
    ("workspace/windows.py", "AssertionError", "a window with at least one day opens wit"):
        "an invariant of the parser",
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    raised: str
    argument: str
    start: str  # the start of its words, "{}" for each value: what ALLOWED names it by

    @property
    def key(self) -> tuple[str, str, str]:
        return self.file, self.raised, self.start

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.raised}({self.argument}={self.start!r}…) has words of one language"


def refusal_signatures() -> dict[str, inspect.Signature]:
    """Every LaunchpadError subclass (and Problem) by name, with the parameters its raise takes."""
    for module in pkgutil.walk_packages(launchpad.__path__, "launchpad."):
        if not module.name.endswith("__main__"):  # running it opens the app
            importlib.import_module(module.name)
    found: dict[str, inspect.Signature] = {"Problem": inspect.signature(Problem)}
    pending: list[type] = [LaunchpadError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = inspect.signature(cls)
        pending.extend(cls.__subclasses__())
    return found


def has_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):  # "…" + "…", "…" % values
        return has_words(node.left) or has_words(node.right)
    if isinstance(node, ast.BoolOp):  # why or "…"
        return any(has_words(value) for value in node.values)
    if isinstance(node, ast.IfExp):  # "…" if x else phrase(…)
        return has_words(node.body) or has_words(node.orelse)
    return False


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _arguments(call: ast.Call, signature: inspect.Signature | None) -> Iterator[tuple[str, ast.expr]]:
    """(parameter, argument) for what a person reads; every argument when the call cannot be bound."""
    if signature is not None and not any(isinstance(a, ast.Starred) for a in call.args):
        try:
            bound = signature.bind_partial(*call.args, **{k.arg: k.value for k in call.keywords if k.arg})
        except TypeError:
            pass
        else:
            yield from ((name, value) for name, value in bound.arguments.items() if name in CHECKED)
            return
    yield from ((f"#{number}", value) for number, value in enumerate(call.args))
    yield from ((k.arg, k.value) for k in call.keywords if k.arg in CHECKED)


def english_refusals(source: str, file: str, refusals: Mapping[str, inspect.Signature]) -> list[Finding]:
    """The refusals in `source` said in words of one language."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if isinstance(node.func, ast.Attribute) and name == "problem":  # SourceMap.problem(path, message)
            arguments = [("message", value) for value in node.args[1:2]]
            arguments += [(k.arg, k.value) for k in node.keywords if k.arg == "message"]
        elif name in refusals:
            arguments = list(_arguments(node, refusals[name]))
        else:
            continue
        for argument, value in arguments:
            if argument == "title" and _known_title(value):
                continue  # a title the word-book knows reads in the reader's language
            if has_words(value):
                found.append(Finding(file, node.lineno, name, argument, _start(value)))
                break  # one finding a raise: its message names it
    return found


def _known_title(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and f"error.{str(value.value).lower().replace(' ', '_')}" in CATALOG


def english_guards(source: str, file: str) -> Iterator[tuple[tuple[str, str, str], int]]:
    """Each `raise Builtin("words …")` in `source` (ValueError, RuntimeError …): its ALLOWED key
    and its line."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        name = _called(node.exc)
        builtin = getattr(builtins, name, None)
        if not (isinstance(builtin, type) and issubclass(builtin, BaseException)):
            continue
        said = [a for a in node.exc.args if has_words(a)]
        if said:
            yield (file, name, _start(said[0])), node.lineno


def _start(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        text = "".join(str(p.value) if isinstance(p, ast.Constant) else "{}" for p in node.values)
    elif isinstance(node, ast.Constant):
        text = str(node.value)
    else:
        text = ast.unparse(node)
    return text[:40]


def _sources() -> Iterator[tuple[str, str]]:
    for path in sorted(ROOT.rglob("*.py")):
        if "words" not in path.relative_to(ROOT).parts:
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def refusals() -> dict[str, inspect.Signature]:
    return refusal_signatures()


def test_no_refusal_is_raised_in_words_of_one_language(refusals: dict[str, inspect.Signature]) -> None:
    found = [f for file, source in _sources() for f in english_refusals(source, file, refusals)]
    said = [str(f) for f in found if f.key not in ALLOWED]
    assert not said, "say these with phrase(\"key\", …) from the word-book:\n" + "\n".join(said)
    listed = {key for key in ALLOWED if not hasattr(builtins, key[1])}
    assert not listed - {f.key for f in found}, "listed but gone: " + repr(sorted(listed - {f.key for f in found}))


def test_each_guard_raised_in_english_is_listed_with_its_reason() -> None:
    found = {key: line for file, source in _sources() for key, line in english_guards(source, file)}
    unlisted = [f"{key[0]}:{line}: {key[1]}({key[2]!r}…)" for key, line in found.items() if key not in ALLOWED]
    assert not unlisted, "a person may read these? say them as phrases; else list them in ALLOWED:\n" + \
        "\n".join(unlisted)
    builtin = {key for key in ALLOWED if hasattr(builtins, key[1])}
    assert not builtin - found.keys(), "listed but gone: " + repr(sorted(builtin - found.keys()))
    assert all(reason.strip() for reason in ALLOWED.values())


# -- the scanner itself ------------------------------------------------------------------------------

SAMPLE = """from launchpad.errors import InvalidInput, Problem, RemoteError, UsageError
from launchpad.phrases import phrase

def refusals(name, exc, display):
    raise UsageError(f"no workspace {name}", hint=phrase("folder.choose_another"))             # 5: message
    raise UsageError(phrase("folder.is_file", path=name), hint="choose another folder")          # 6: hint
    raise UsageError(phrase("folder.is_file", path=name), hint=phrase("folder.choose_another"))  # said well
    raise RemoteError("localhost", f"{name}: {exc}")                                              # no words
    raise RemoteError("localhost", "找不到主机")                                                  # 9: one language
    raise InvalidInput([Problem(display, 1, 1, "expected date:, version: and items:")])          # 10: said
    raise InvalidInput([], hint="fix " + name)                                                    # 11: hint
    raise UsageError(phrase("folder.is_file", path=name), title="demo web app")                  # known title
    raise UsageError(phrase("folder.is_file", path=name), title="made up here")                  # 13: title
    return errors.UsageError(message=f"{name} is wrong")                                          # 14: message
    problems.append(source.problem(("rules", 0), f"rule {name!r}: no such role"))                 # 15: message
    problems.append(source.problem(("rules", 0), phrase("folder.is_file", path=name)))           # said well
    raise UsageError(exc or f"release {name} is done", hint=exc.hint)                             # 17: message
    raise UsageError(exc, hint=exc.hint or "make another one")                                    # 18: hint
    raise UsageError(phrase("folder.is_file", path=name) if exc else "no such folder")           # 19: message
"""


def test_the_scanner_finds_each_refusal_in_words_of_one_language(refusals: dict[str, inspect.Signature]) -> None:
    found = {(f.line, f.raised, f.argument) for f in english_refusals(SAMPLE, "sample.py", refusals)}
    assert found == {(5, "UsageError", "message"), (6, "UsageError", "hint"), (9, "RemoteError", "message"),
                     (10, "Problem", "said"), (11, "InvalidInput", "hint"), (13, "UsageError", "title"),
                     (14, "UsageError", "message"), (15, "problem", "message"), (17, "UsageError", "message"),
                     (18, "UsageError", "hint"), (19, "UsageError", "message")}


def test_the_scanner_would_have_found_the_refusals_it_was_written_for(refusals: dict[str, inspect.Signature]) -> None:
    before = (
        'raise ImportRefused(f"{counts[\'rejected\']} row(s) of {file.name} are rejected; nothing was written",\n'
        '                    hint="fix them (see `launchpad users check`), or pass --skip-rejected")\n'
        'raise ConfigSyntaxError(1, f"JSON: {exc}")\n'
        'raise NoticeRefused(phrase("notice.blank_contact"), hint="give a name and a phone (contact=…)")\n'
        'raise LaunchpadError(phrase("demo.see_log", path=p), title="demo web app")\n'
    )
    found = [(f.line, f.raised) for f in english_refusals(before, "before.py", refusals)]
    assert found == [(1, "ImportRefused"), (3, "ConfigSyntaxError"), (4, "NoticeRefused")]


def test_the_scanner_lists_builtin_guards_by_their_words() -> None:
    source = 'raise ValueError(f"unknown robot kind {kind!r}")\nraise ValueError(phrase("rule.secret_value"))\n'
    assert list(english_guards(source, "notify/robots.py")) == [
        (("notify/robots.py", "ValueError", "unknown robot kind {}"), 1)]


def test_every_title_kept_in_a_constant_is_in_the_word_book() -> None:
    """Titles given at the raise through a module's constant (`title=RESET_REFUSED`), which the
    scan above cannot read as a literal: each one is a word-book entry, so Chinese reads Chinese."""
    found = {}
    for module in pkgutil.walk_packages(launchpad.__path__, "launchpad."):
        if module.name.endswith("__main__"):  # runs the command line when imported
            continue
        for name, value in vars(importlib.import_module(module.name)).items():
            if name.endswith("_REFUSED") and isinstance(value, str) and " " in value:
                found[f"{module.name}.{name}"] = value
    assert found  # the scan reads the constants it means to
    unknown = {where: title for where, title in found.items()
               if "error." + title.lower().replace(" ", "_") not in CATALOG}
    assert unknown == {}
