"""Dataclasses at a fraction of their cost to define: `dataclass`, `field` and `replace`
as vanban uses them.

Python 3.11's dataclasses compile every method they add on its own: a frozen class costs
about 0.4 ms to define, and a command pays that at start-up for each class it imports
(about seventy for a first build). Here only `__init__` is compiled, once a class;
equality, hashing, the repr and the frozen guards are shared functions over the fields'
names, so that a class costs about a fifth. It does not import the standard module, nor
`inspect` with it.

What it takes is what the standard decorator takes and vanban declares: annotated fields
in order, defaults, `field(default=...)` and `field(default_factory=...)`, `ClassVar`
annotations (not fields), `__post_init__`, and the options `frozen` and `slots`; no
inheritance between such classes. The classes behave as the standard module's would
(tests/test_classes.py holds them side by side), and type checkers read the decorator as
the standard one (PEP 681)."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, ClassVar, TypeVar, dataclass_transform, get_origin, overload

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)


class FrozenInstanceError(AttributeError):
    """Raised on assigning to, or deleting, a field of a frozen instance."""


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MISSING: Any = _Sentinel("MISSING")
_FACTORY: Any = _Sentinel("<factory>")  # the __init__ default of a field made by a factory


class Field:
    """A field's default or default factory, as `field()` declares them."""

    __slots__ = ("default", "default_factory")

    def __init__(self, default: Any, default_factory: Any) -> None:
        self.default = default
        self.default_factory = default_factory


@overload
def field(*, default: _T) -> _T: ...
@overload
def field(*, default_factory: Callable[[], _T]) -> _T: ...
def field(*, default: Any = MISSING, default_factory: Any = MISSING) -> Any:
    """Declare a field's default, or the factory that makes a new default each time."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory)


@overload
def dataclass(cls: _C, /) -> _C: ...
@overload
def dataclass(*, frozen: bool = False, slots: bool = False) -> Callable[[_C], _C]: ...
@dataclass_transform(field_specifiers=(field,))
def dataclass(cls: Any = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """Add __init__, __repr__, __eq__ and (when frozen) __hash__ and the guards against
    assignment, as the standard decorator does for the same options."""

    def wrap(cls: type) -> type:
        return _process(cls, frozen, slots)

    return wrap if cls is None else wrap(cls)


def replace(obj: _T, /, **changes: Any) -> _T:
    """Return a copy of obj with the given fields changed."""
    names = getattr(type(obj), "__fields_names__", None)
    if names is None:
        raise TypeError("replace() should be called on dataclass instances")
    for name in changes:
        if name not in names:
            raise TypeError(f"{type(obj).__qualname__}.__init__() got an unexpected keyword "
                            f"argument {name!r}")  # fmt: skip
    values = {name: changes[name] if name in changes else getattr(obj, name) for name in names}
    return type(obj)(**values)


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):  # postponed (`from __future__ import annotations`)
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def _process(cls: type, frozen: bool, slots: bool) -> type:
    if any(hasattr(base, "__fields_names__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a dataclass here does not inherit fields")
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        names.append(name)
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            if default.default_factory is not MISSING:
                factories[name] = default.default_factory
            elif default.default is not MISSING:
                defaults[name] = default.default
        elif default is not MISSING:
            defaults[name] = default
        if name in defaults and type(defaults[name]).__hash__ is None:
            raise ValueError(
                f"mutable default {type(defaults[name])} for field {name} is not allowed: "
                "use default_factory"
            )
    for name in names:  # a plain default stays a class attribute, as the standard one does
        if isinstance(cls.__dict__.get(name), Field):
            if name in defaults:
                setattr(cls, name, defaults[name])
            else:
                delattr(cls, name)
    for special in ("__setattr__", "__delattr__") if frozen else ():
        if special in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {special} in class {cls.__name__}")
    if slots:
        body = {
            k: v for k, v in cls.__dict__.items() if k not in (*names, "__dict__", "__weakref__")
        }
        body["__slots__"] = tuple(names)
        cls = type(cls)(cls.__name__, cls.__bases__, body)
    own = cls.__dict__
    cls.__init__ = _init(cls, names, defaults, factories, frozen)  # type: ignore[misc]
    get: Callable[[Any], Any] = attrgetter(*names) if names else (lambda obj: ())
    if "__repr__" not in own:
        cls.__repr__ = _repr(names)  # type: ignore[assignment]
    if "__eq__" not in own:

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return get(self) == get(other)
            return NotImplemented

        cls.__eq__ = __eq__  # type: ignore[assignment]
    explicit_hash = own.get("__hash__", MISSING)
    if explicit_hash is MISSING or (explicit_hash is None and "__eq__" in own):
        setattr(cls, "__hash__", (lambda self: hash(get(self))) if frozen else None)  # noqa: B010
    if frozen:
        _freeze(cls, frozenset(names))
    if "__match_args__" not in own:
        setattr(cls, "__match_args__", tuple(names))  # noqa: B010
    setattr(cls, "__fields_names__", tuple(names))  # noqa: B010
    return cls


def _init(
    cls: type,
    names: list[str],
    defaults: dict[str, Any],
    factories: dict[str, Callable[[], Any]],
    frozen: bool,
) -> Callable[..., None]:
    scope: dict[str, Any] = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    params, body = [], []
    has_default = False
    for name in names:
        value = name
        if name in factories:
            scope[f"_factory_{name}"] = factories[name]
            params.append(f"{name}=_FACTORY")
            value = f"_factory_{name}() if {name} is _FACTORY else {name}"
            has_default = True
        elif name in defaults:
            scope[f"_default_{name}"] = defaults[name]
            params.append(f"{name}=_default_{name}")
            has_default = True
        elif has_default:
            raise TypeError(f"non-default argument {name!r} follows default argument")
        else:
            params.append(name)
        body.append(
            f"_setattr(__self, {name!r}, {value})" if frozen else f"__self.{name} = {value}"
        )
    if hasattr(cls, "__post_init__"):
        body.append("__self.__post_init__()")
    source = f"def __init__(__self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass")
    exec(source, scope)  # noqa: S102 - the source is made above from the class's own field names
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _repr(names: list[str]) -> Callable[[Any], str]:
    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _freeze(cls: type, names: frozenset[str]) -> None:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    cls.__setattr__ = __setattr__  # type: ignore[method-assign,assignment]
    cls.__delattr__ = __delattr__  # type: ignore[method-assign,assignment]
