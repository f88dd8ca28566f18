"""vanban.classes: the same declarations behave as the standard dataclasses do."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from typing import Any, ClassVar

import pytest

from vanban import classes


def both(make: Any) -> list[Any]:
    """The class that make(decorator, field) declares, by the standard module and by ours."""
    return [make(dataclasses.dataclass, dataclasses.field), make(classes.dataclass, classes.field)]


def finding(dataclass: Any, field: Any) -> type:
    @dataclass(frozen=True)
    class Finding:
        """One problem at one place."""

        path: str
        line: int
        message: str = ""
        anchors: tuple[str, ...] = ()
        values: tuple[str, ...] = field(default_factory=tuple)
        shown: ClassVar[int] = 3

        def where(self) -> str:
            return f"{self.path}:{self.line}"

    return Finding


def renderer(dataclass: Any, field: Any) -> type:
    @dataclass
    class Renderer:
        context: dict[str, Any]
        problems: list[str] = field(default_factory=list)
        count: int = field(default=0)

        def __post_init__(self) -> None:
            self.ready = len(self.context)

        later: int = 7  # a field declared after a method is still a field, in order

    return Renderer


def phrase(dataclass: Any, field: Any) -> type:
    @dataclass(slots=True)
    class Phrase:
        text: str
        offset: int = 0

    return Phrase


def empty(dataclass: Any, field: Any) -> type:
    @dataclass(frozen=True)
    class Empty:
        pass

    return Empty


def outcome(cls: type, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    try:
        return "ok", cls(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the kind and text of the error are compared
        return type(exc).__name__, str(exc).replace(cls.__qualname__, "C")


def test_init_repr_and_defaults_are_the_standard_ones() -> None:
    ours, theirs = both(finding)[1], both(finding)[0]
    for args, kwargs in [
        (("a.md", 3), {}),
        (("a.md",), {"line": 4, "message": "m"}),
        (("a.md", 3, "m", ("x",), ("v",)), {}),
        ((), {"path": "p", "line": 1, "values": ("w",)}),
    ]:
        assert repr(ours(*args, **kwargs)) == repr(theirs(*args, **kwargs))
    assert outcome(ours, "a.md") == outcome(theirs, "a.md")  # a missing argument
    assert outcome(ours, "a", 1, bogus=2) == outcome(theirs, "a", 1, bogus=2)
    assert ours.shown == theirs.shown == 3 and "shown" not in ours.__match_args__
    assert ours.__match_args__ == theirs.__match_args__
    assert ours.message == theirs.message == ""  # a plain default stays on the class
    assert not hasattr(ours, "values") and not hasattr(theirs, "values")
    assert ours("a", 1).where() == "a:1"


def test_equality_and_hashing_are_the_standard_ones() -> None:
    theirs, ours = both(finding)
    a, b, c = ours("a", 1, "m", ("x",)), ours("a", 1, "m", ("x",)), ours("a", 2)
    assert a == b and a != c and hash(a) == hash(b)
    assert (a == theirs("a", 1, "m", ("x",))) is False  # another class is never equal
    assert a.__eq__(("a", 1)) is NotImplemented
    assert {a, b, c} == {a, c}
    assert len({ours("a", 1), ours("a", 1)}) == 1
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(ours("a", 1, values=["v"]))  # as the standard one: the fields' hash
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(theirs("a", 1, values=["v"]))
    mutable_theirs, mutable_ours = both(renderer)
    assert mutable_ours.__hash__ is None and mutable_theirs.__hash__ is None
    assert mutable_ours({"k": 1}) == mutable_ours({"k": 1})
    empty_theirs, empty_ours = both(empty)
    assert empty_ours() == empty_ours() and hash(empty_ours()) == hash(empty_ours())
    assert repr(empty_ours()) == repr(empty_theirs())


def test_frozen_fields_cannot_be_assigned_or_deleted() -> None:
    theirs, ours = both(finding)
    for cls, error in ((theirs, dataclasses.FrozenInstanceError), (ours, AttributeError)):
        item = cls("a", 1)
        with pytest.raises(error, match="cannot assign to field 'line'"):
            item.line = 2
        with pytest.raises(error, match="cannot delete field 'line'"):
            del item.line
        with pytest.raises(error, match="cannot assign to field 'other'"):
            item.other = 2  # not a field either: the instance is frozen
    assert issubclass(classes.FrozenInstanceError, AttributeError)


def test_post_init_and_fields_after_methods() -> None:
    theirs, ours = both(renderer)
    for cls in (theirs, ours):
        made = cls({"a": 1, "b": 2}, count=5)
        assert (made.ready, made.count, made.later, made.problems) == (2, 5, 7, [])
        assert made.problems is not cls({}).problems  # a new list each time
        made.count = 6  # not frozen
        assert made.count == 6
    assert repr(ours({"a": 1})) == repr(theirs({"a": 1}))


def test_slots() -> None:
    theirs, ours = both(phrase)
    for cls in (theirs, ours):
        made = cls("đắk", 3)
        assert cls.__slots__ == ("text", "offset") and not hasattr(made, "__dict__")
        with pytest.raises(AttributeError):
            made.other = 1  # type: ignore[attr-defined]
        made.offset = 4
        assert repr(made).endswith("(text='đắk', offset=4)")


def test_replace() -> None:
    theirs, ours = both(finding)
    made = classes.replace(ours("a", 1, "m"), line=9)
    assert made == ours("a", 9, "m")
    assert repr(made) == repr(dataclasses.replace(theirs("a", 1, "m"), line=9))
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        classes.replace(ours("a", 1), bogus=1)
    with pytest.raises(TypeError, match="should be called on dataclass instances"):
        classes.replace(object())


def test_pickled_instances_come_back_equal() -> None:
    made = _Picklable("a", (1, 2))
    back = pickle.loads(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == made and hash(back) == hash(made)
    slotted = _Slotted("x")
    assert pickle.loads(pickle.dumps(slotted)) == slotted


@classes.dataclass(frozen=True)
class _Picklable:
    name: str
    items: tuple[int, ...] = ()


@classes.dataclass(slots=True)
class _Slotted:
    text: str


def test_declarations_the_standard_module_refuses_are_refused() -> None:
    for dataclass, field in ((dataclasses.dataclass, dataclasses.field),
                             (classes.dataclass, classes.field)):  # fmt: skip
        with pytest.raises(ValueError, match="mutable default <class 'list'> for field items"):

            @dataclass
            class Mutable:
                items: list[int] = []  # noqa: RUF012 - refused, as tested

        with pytest.raises(TypeError, match="non-default argument 'b' follows default"):

            @dataclass
            class Order:
                a: int = 0
                b: int  # type: ignore[misc]

        with pytest.raises(ValueError, match="cannot specify both default and default_factory"):
            field(default=1, default_factory=list)
    with pytest.raises(TypeError, match="Child: a dataclass here does not inherit fields"):

        @classes.dataclass
        class Child(_Slotted):
            more: int


def test_a_command_that_defines_classes_does_not_load_the_standard_module() -> None:
    code = (
        "import sys, vanban.classes, vanban.check.findings, vanban.cli;"
        "print('dataclasses' in sys.modules, 'inspect' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
