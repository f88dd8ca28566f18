"""Load YAML fact files with their places, as exact numbers, and validate them."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from .cache import NO_CACHE, Cache
from .classes import dataclass
from .errors import Problem
from .numbers import MAX_WHOLE_DIGITS, decimals_of

if TYPE_CHECKING:
    from cerberus.errors import ValidationError

# Parsing: ruamel.yaml composes the node graph (with libyaml when ruamel.yaml.clib is
# installed), then `_Builder` turns nodes into CommentedMap/CommentedSeq carrying the line and
# column of every key and item, with floats read as exact Decimals. The round-trip loader
# would keep comments too, at several times the cost, and vanban never writes YAML back.

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CORE = "tag:yaml.org,2002:"
MISSING_TAG = "!missing"

# Bounds of what one YAML file may hold, so that no file can exhaust time or memory:
# its size, how deep it nests, how many values its aliases (*name) add, how many digits a
# figure has, and how many schema errors are listed (the rest are counted).
MAX_YAML_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_ALIASED_VALUES = 100_000
MAX_DECIMALS = 12
MAX_ERRORS_SHOWN = 50


@dataclass(frozen=True)
class Missing:
    """A figure still to be entered: `!missing` in a data file, with an optional note.

    A schema accepts it wherever it expects a number; a draft prints it as a marker and
    lists it, a final build refuses it (the check's missing-figure findings).
    """

    note: str = ""

    def __str__(self) -> str:
        return f"{MISSING_TAG} {self.note}".rstrip()


def is_missing(value: object) -> bool:
    """Return True for a placeholder of a figure still to be entered."""
    return isinstance(value, Missing)


def _error(node: Any, problem: str) -> MarkedYAMLError:
    return MarkedYAMLError(problem=problem, problem_mark=node.start_mark)


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _unknown_tag(node: Any) -> MarkedYAMLError:
    return _error(
        node,
        f"unknown tag {_tag_name(node.tag)}: vanban reads plain YAML (text, numbers, dates, "
        f"true/false, lists, mappings) and {MISSING_TAG} for a figure still to be entered",
    )


def _grouped(count: int) -> str:
    return f"{count:,}".replace(",", ".")


class _Builder:
    """Build Python values from composed YAML nodes, with places and exact numbers."""

    def __init__(self) -> None:
        self._done: dict[int, Any] = {}
        self._sizes: dict[int, int] = {}  # values in each finished collection, aliases expanded
        self._values = 0  # values built so far, aliases expanded
        self._aliased = 0  # of which added by aliases
        self._depth = 0
        self._timestamps = SafeConstructor()

    def build(self, node: Any) -> Any:
        known = self._done.get(id(node))
        if known is not None:
            size = self._sizes.get(id(node))
            if size is None:
                raise _error(node, "an alias (*name) inside the value of its own anchor: a loop")
            self._values += size
            self._aliased += size
            if self._aliased > MAX_ALIASED_VALUES:
                raise _error(
                    node,
                    f"the aliases (*name) of this anchor expand the file by more than "
                    f"{_grouped(MAX_ALIASED_VALUES)} values (an alias bomb?): write the values "
                    "out, or alias fewer",
                )
            return known
        self._values += 1
        if isinstance(node, MappingNode | SequenceNode):
            if node.tag not in (_MAP, _SEQ):
                raise _unknown_tag(node)
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _error(node, f"nested more than {MAX_DEPTH} levels deep")
            before = self._values
            built = self._mapping(node) if isinstance(node, MappingNode) else self._sequence(node)
            self._sizes[id(node)] = self._values - before + 1
            self._depth -= 1
            return built
        return self._scalar(node)

    def _sequence(self, node: SequenceNode) -> CommentedSeq:
        seq = CommentedSeq()
        self._done[id(node)] = seq
        for index, item in enumerate(node.value):
            seq.append(self.build(item))
            seq.lc.add_kv_line_col(index, [item.start_mark.line, item.start_mark.column])
        return seq

    def _mapping(self, node: MappingNode) -> CommentedMap:
        mapping = CommentedMap()
        self._done[id(node)] = mapping
        mapping.lc.line, mapping.lc.col = node.start_mark.line, node.start_mark.column
        merged: list[Any] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                merged += [self.build(source) for source in sources]
                continue
            key = self.build(key_node)
            if not isinstance(key, str | int):
                raise _error(key_node, "expected a text or number as a key")
            if key in mapping:
                first = mapping.lc.key(key)[0] + 1
                raise _error(key_node, f'duplicate key "{key}" (first at line {first})')
            mapping[key] = self.build(value_node)
            mapping.lc.add_kv_line_col(
                key,
                [
                    key_node.start_mark.line,
                    key_node.start_mark.column,
                    value_node.start_mark.line,
                    value_node.start_mark.column,
                ],
            )
        for source in merged:
            if isinstance(source, CommentedMap):
                for key, value in source.items():
                    if key not in mapping:
                        mapping[key] = value
                        mapping.lc.add_kv_line_col(key, source.lc.data[key])
        return mapping

    def _scalar(self, node: Any) -> Any:
        text = node.value
        tag = node.tag
        if tag == MISSING_TAG:
            return Missing(" ".join(text.split()))
        if tag == _INT:
            cleaned = text.replace("_", "")
            if len(cleaned.lstrip("+-0")) > MAX_WHOLE_DIGITS:
                raise _error(node, _too_many_digits(text))
            try:
                return (
                    int(cleaned, 0) if cleaned[:2].lower() in ("0x", "0o", "0b") else int(cleaned)
                )
            except ValueError:
                raise _error(node, f"expected a whole number, got {text!r}") from None
        if tag == _FLOAT:
            try:
                value = Decimal(text.replace("_", ""))
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite():
                raise _error(node, f"expected a finite number, got {text!r}")
            if value and value.adjusted() >= MAX_WHOLE_DIGITS:
                raise _error(node, _too_many_digits(text))
            if decimals_of(value) > MAX_DECIMALS:
                raise _error(
                    node, f"expected at most {MAX_DECIMALS} decimals in a figure, got {text!r}"
                )
            return value
        if tag == _BOOL:
            return text.lower() in ("true", "yes", "on")
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            try:
                return self._timestamps.construct_yaml_timestamp(node)
            except ValueError as exc:
                raise _error(node, f"invalid date {text!r}: {exc}") from None
        if tag != _STR:
            raise _unknown_tag(node)
        return text


def _too_many_digits(text: str) -> str:
    return (
        f"expected a figure of at most {MAX_WHOLE_DIGITS} digits before the decimal mark, "
        f"got {text!r}"
    )


class _Resolver(VersionedResolver):
    """ruamel.yaml's resolver of plain scalars' tags, with the implicit resolvers of the
    document's YAML version looked up once per document: ruamel looks them up twice for
    every scalar, catching an AttributeError each time under libyaml (about 40% of
    composing a data file). A document's version is known before its first scalar."""

    @property
    def versioned_resolver(self) -> Any:
        found = self.__dict__.get("_resolvers")
        if found is None:
            found = self._resolvers = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
        return found


def _parse(text: str) -> Any:
    # pure=False: libyaml when ruamel.yaml.clib is installed, the Python parser otherwise.
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Resolver
    document = yaml.compose(text)
    return CommentedMap() if document is None else _Builder().build(document)


@dataclass(frozen=True)
class Loaded:
    """One parsed YAML file: its document and the file it came from."""

    path: Path
    display: str
    document: Any
    raw: bytes = b""


def load_yaml(
    path: Path, display: str, cache: Cache = NO_CACHE
) -> tuple[Loaded | None, list[Problem]]:
    """Parse one YAML file, keeping places; report syntax errors with line and column."""
    raw = path.read_bytes()
    if len(raw) > MAX_YAML_BYTES:
        return None, [
            Problem(
                display,
                0,
                0,
                f"{_grouped(len(raw))} bytes is more than vanban reads in one YAML file "
                f"({_grouped(MAX_YAML_BYTES)} bytes): split the file, or move bulk data out of it",
            )
        ]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 0, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    try:
        document = cache.value("yaml", raw, lambda: _parse(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        message = message.removeprefix("found ")
        return None, [Problem(display, line, col, message)]
    except YAMLError as exc:
        return None, [Problem(display, 0, 0, " ".join(str(exc).split()))]
    except RecursionError:
        return None, [Problem(display, 0, 0, f"nested more than {MAX_DEPTH} levels deep")]
    return Loaded(path, display, document, raw), []


def place_of(document: Any, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    """Return the 1-based (line, column) of the value at path, or of its nearest parent."""
    node = document
    line, col = 1, 1
    for step in path:
        if isinstance(node, CommentedMap) and step in node:
            pos = node.lc.key(step) if key and step == path[-1] else node.lc.value(step)
            line, col = pos[0] + 1, pos[1] + 1
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
            pos = node.lc.item(step)
            line, col = pos[0] + 1, pos[1] + 1
            node = node[step]
        else:
            break
    return line, col


# --- schema -------------------------------------------------------------------------------


def _is_exact(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any]:
    """Return the fact validators (with placeholders, and without), Cerberus validators with
    the fact types: imported when a document is validated, which a build whose validations
    are all kept never does (Cerberus's import costs as much as the rest of such a build)."""
    from cerberus import Validator

    # Cerberus 1.3 flags type methods as deprecated in favour of TypeDefinitions, which can
    # only test isinstance; "count" and "money" also need a sign check, so the methods stay.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        class FactValidator(Validator):  # type: ignore[misc]
            """Cerberus validator with the fact types: count, money, percent, decimal.

            Each of them also takes a placeholder (`!missing`), so that the rules after the
            type (excludes, min...) still apply around it."""

            placeholders = True

            def _error(self, *args: Any) -> None:
                # Cerberus sorts its whole error list on every error: past a bound, errors are
                # only counted (in the `dropped` list its child validators share), so that a file
                # with thousands of errors is validated in linear time.
                if len(args) == 1 and len(self._errors) >= MAX_ERRORS_SHOWN:
                    self._config.setdefault("dropped", [0])[0] += len(args[0])
                    return
                super()._error(*args)

            def _placeholder(self, value: object) -> bool:
                return self.placeholders and is_missing(value)

            def _validate_type_count(self, value: object) -> bool:
                if self._placeholder(value):
                    return True
                return isinstance(value, int) and not isinstance(value, bool) and value >= 0

            def _validate_type_money(self, value: object) -> bool:
                return self._placeholder(value) or (_is_exact(value) and value >= 0)  # type: ignore[operator]

            def _validate_type_percent(self, value: object) -> bool:
                return self._placeholder(value) or _is_exact(value)

            def _validate_type_decimal(self, value: object) -> bool:
                return self._placeholder(value) or _is_exact(value)

        class _ExactValidator(FactValidator):
            """FactValidator without placeholders: every figure must be there (metadata)."""

            placeholders = False

    return FactValidator, _ExactValidator


def plain(node: Any) -> Any:
    """Return a copy of a ruamel tree as plain dicts and lists (anchors resolved)."""
    if isinstance(node, Mapping):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def _leaf_errors(errors: list[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.is_group_error:
            yield from _leaf_errors(error.child_errors)
        else:
            yield error


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if _is_exact(value):
        return str(value)
    if isinstance(value, bool):
        return f"the truth value {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if is_missing(value):
        return f"a placeholder ({MISSING_TAG})"
    return repr(value)


def _unit_hint(rules: Mapping[str, Any]) -> str:
    meta = rules.get("meta") or {}
    unit = meta.get("unit") if isinstance(meta, Mapping) else None
    return f" ({unit})" if unit else ""


def _type_message(expected: object, value: object, rules: Mapping[str, Any]) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    unit = _unit_hint(rules)
    if "count" in kinds:
        if isinstance(value, Decimal):
            hint = ""
            if decimals_of(value) == 3 and value >= 1:
                hint = f" (a decimal: did you mean {int(value * 1000)}?)"
            elif value == value.to_integral_value():
                hint = f" (a decimal: write {int(value)})"
            else:
                hint = " (a decimal)"
            return f"expected a whole number{unit}, got {value}{hint}"
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            return f"expected a whole number ≥ 0{unit}, got {value}"
        if isinstance(value, str):
            return (
                f"expected a whole number{unit}, got {_describe(value)} (write it without quotes)"
            )
        return f"expected a whole number{unit}, got {_describe(value)}"
    if {"money", "percent", "decimal"} & set(map(str, kinds)):
        if isinstance(value, str):
            return (
                f"expected a number{unit}, got {_describe(value)} "
                "(write it without quotes, with '.' as the decimal mark: 1688.0)"
            )
        if _is_exact(value) and "money" in kinds:
            return f"expected an amount ≥ 0{unit}, got {value}"
        return f"expected a number{unit}, got {_describe(value)}"
    names = " or ".join(map(str, kinds))
    article = "an" if names[:1] in "aeiou" else "a"
    return f"expected {article} {names}, got {_describe(value)}"


def _message(error: ValidationError) -> str:
    rule = error.rule
    if rule == "required":
        return f"missing required key {error.field!r}"
    if rule == "unknown" or (rule is None and error.code == 0x03):
        return f"unknown key {error.field!r}"
    if rule == "min":
        return f"expected at least {error.constraint}, got {error.value}"
    if rule == "max":
        return f"expected at most {error.constraint}, got {error.value}"
    if rule == "allowed":
        allowed = ", ".join(map(str, error.constraint))
        return f"expected one of {allowed}, got {_describe(error.value)}"
    if rule == "regex" and "keysrules" in error.schema_path:
        return f"key {error.value!r} does not match the pattern {error.constraint!r}"
    if rule == "regex":
        return f"{_describe(error.value)} does not match the pattern {error.constraint!r}"
    if rule == "empty":
        return "must not be empty"
    if rule == "nullable":
        return "must have a value"
    return f"{rule}: {error.info or error.constraint}"


@dataclass(frozen=True)
class SchemaInfo:
    """The schema of one data file and the rules of each field (for units and labels)."""

    rules: dict[str, Any]


def _rules_at(schema: Mapping[str, Any], path: tuple[Any, ...]) -> Mapping[str, Any]:
    """Return the field rules that apply at a document path, following schema/valuesrules;
    {} where the schema says nothing, or something that is not rules (a schema the check
    reports as broken is still read for the data's units and labels)."""
    rules: Mapping[str, Any] = {"type": "dict", "schema": schema}
    for step in path:
        inner = rules.get("schema")
        if isinstance(inner, Mapping) and rules.get("type") in ("dict", None) and step in inner:
            rules = inner[step]
        elif isinstance(rules.get("valuesrules"), Mapping):
            rules = rules["valuesrules"]
        elif isinstance(inner, Mapping) and rules.get("type") == "list":
            rules = inner
        else:
            return {}
        if not isinstance(rules, Mapping):
            return {}
    return rules


def _placeholder_error(error: ValidationError) -> str | None:
    """Return the message for a placeholder the schema does not take (not a figure), None
    for a rule a placeholder cannot be held to (allowed values), "" for other errors."""
    if not is_missing(error.value):
        return ""
    if error.rule == "allowed":
        return None
    if error.rule != "type":
        return ""
    kinds = error.constraint if isinstance(error.constraint, list) else [error.constraint]
    expected = " or ".join(map(str, kinds))
    return (
        f"{MISSING_TAG} stands for a figure still to be entered (count, money, percent or "
        f"decimal), but this is a {expected}"
    )


def validate(
    loaded: Loaded,
    schema: Mapping[str, Any],
    schema_display: str,
    *,
    placeholders: bool = True,
    trusted: bool = False,
) -> list[Problem]:
    """Validate one data document against its schema; every error with its place.

    With placeholders, a `!missing` value is accepted wherever the schema expects a figure.
    A trusted schema (one check_schema passed, in this or another process) is used as it
    is: Cerberus neither checks it against its meta-schema again nor hashes it to find that
    it did (the hash alone cost about 8 ms a schema on the reference report).
    """
    dropped = [0]
    kind = _validators()[0 if placeholders else 1]
    if trusted:
        from cerberus.schema import UnvalidatedSchema

        validator = kind(UnvalidatedSchema(schema), dropped=dropped)
    else:
        validator = kind(schema, dropped=dropped)
    document = loaded.document
    if not isinstance(document, Mapping):
        return [Problem(loaded.display, 1, 1, "expected a mapping of keys at the top level")]
    validator.validate(plain(document), normalize=False)
    problems = []
    for error in _leaf_errors(validator._errors):
        path = tuple(error.document_path)
        instead = _placeholder_error(error) if placeholders else ""
        if instead is None:
            continue
        if instead:
            line, col = place_of(document, path)
            dotted = ".".join(str(p) for p in path)
            problems.append(Problem(loaded.display, line, col, f"{dotted}: {instead}"))
            continue
        if error.rule == "required":
            line, col = place_of(document, path[:-1])
            if path[:-1]:
                line, col = place_of(document, path[:-1], key=True)
        elif error.rule in ("unknown", None) or error.code == 0x03:
            line, col = place_of(document, path, key=True)
        else:
            line, col = place_of(document, path)
        rules = _rules_at(schema, path)
        message = (
            _type_message(error.constraint, error.value, rules)
            if error.rule == "type"
            else _message(error)
        )
        dotted = ".".join(str(p) for p in path)
        if dotted and error.rule not in ("required",):
            message = f"{dotted}: {message}"
        elif error.rule == "required" and path[:-1]:
            message = f"{'.'.join(str(p) for p in path[:-1])}: {message}"
        problems.append(Problem(loaded.display, line, col, message))
    problems.sort(key=lambda p: (p.line, p.col))
    rest = max(0, len(problems) - MAX_ERRORS_SHOWN) + dropped[0]
    if rest > 0:
        problems = problems[:MAX_ERRORS_SHOWN]
        problems.append(
            Problem(
                loaded.display,
                0,
                0,
                f"{_grouped(rest)} more error{'s' if rest != 1 else ''} in this file, not shown "
                f"(the first {MAX_ERRORS_SHOWN} are)",
            )
        )
    return problems


def check_schema(schema: Any, display: str, document: Any = None) -> list[Problem]:
    """Report a schema file that Cerberus cannot use, each problem at the rule it is about
    in `document` (the schema as loaded, with its places) when given.

    A schema made only of the rules whose constraints plainly_valid knows is not checked
    against Cerberus's meta-schema (which costs more than validating the facts); any other
    schema is, and Cerberus's message names what is wrong."""
    from cerberus.schema import SchemaError

    if not isinstance(schema, Mapping):
        return [Problem(display, 1, 1, "expected a mapping of field rules at the top level")]

    def located(path: tuple[Any, ...], message: str) -> Problem:
        line, col = place_of(document, path, key=True) if document is not None else (1, 1)
        return Problem(
            display, line, col, f"invalid schema at {'.'.join(map(str, path))}: {message}"
        )

    # rules Cerberus's own check does not all survive, or lets through to fail when a
    # document is validated: said here, and those fields left out of what Cerberus checks
    misshapen = list(_misshapen(schema, ()))
    found = [located(path, message) for path, _, message in misshapen]
    emptied = {field for _, field, _ in misshapen}
    if not found and plainly_valid(schema):
        return []
    try:
        _validators()[0](_without(schema, emptied, ()))
    except SchemaError as exc:
        errors = exc.args[0] if exc.args else None
        if isinstance(errors, Mapping):
            found += [
                located(path, message) for path, message in _schema_errors(errors, schema, ())
            ]
        if not found:
            message = " ".join(str(exc).split())
            found.append(Problem(display, 1, 1, f"invalid schema: {message}"))
    except Exception as exc:  # noqa: BLE001 - Cerberus's own check fails on some schemas
        if not found:
            what = " ".join(f"{type(exc).__name__}: {exc}".split())
            found.append(
                Problem(display, 1, 1, f"invalid schema: Cerberus cannot read it ({what})")
            )
    if document is not None:  # a rule an alias repeats is said once, where it is written
        found = list({(problem.line, problem.col): problem for problem in reversed(found)}.values())
    return sorted(found, key=lambda problem: (problem.line, problem.col))


def _without(rules: Any, paths: set[tuple[Any, ...]], path: tuple[Any, ...]) -> Any:
    """Return a copy of a schema's fields (at the top, path ()) or of a field's rules with
    the rules at these paths emptied."""
    if not paths:
        return rules
    if path in paths:
        return {}
    if not isinstance(rules, Mapping):
        return rules
    if not path:  # the fields
        return {name: _without(value, paths, (name,)) for name, value in rules.items()}
    copied = dict(rules)
    inner = rules.get("schema")
    if isinstance(inner, Mapping):
        where = (*path, "schema")
        if rules.get("type") == "list":
            copied["schema"] = _without(inner, paths, where)
        else:
            copied["schema"] = {n: _without(v, paths, (*where, n)) for n, v in inner.items()}
    for rule in ("keysrules", "valuesrules"):
        if rule in rules:
            copied[rule] = _without(rules[rule], paths, (*path, rule))
    return copied


_Misshapen = Iterator[tuple[tuple[Any, ...], tuple[Any, ...], str]]


def _misshapen(fields: Mapping[Any, Any], path: tuple[Any, ...]) -> _Misshapen:
    """Yield (path of the problem, path of its field's rules, message) for each field of a
    schema whose rules are not a mapping, whose type is not a name, or whose pattern is not
    a regular expression, in the fields' mappings and item rules the rules `schema`,
    `keysrules` and `valuesrules` hold."""
    for name, rules in fields.items():
        yield from _misshapen_rules(rules, (*path, name))


def _misshapen_rules(rules: Any, path: tuple[Any, ...]) -> _Misshapen:
    if not isinstance(rules, Mapping):
        yield path, path, _schema_message("must be of dict type", path[-1], rules)
        return
    kind = rules.get("type")
    names = kind if isinstance(kind, list) else [kind] if "type" in rules else []
    if "type" in rules and (not names or not all(isinstance(name, str) for name in names)):
        message = f"expected a type name or a list of them, got {_describe(kind)}"
        yield (*path, "type"), path, message
    elif names and all(name in _NUMERIC_TYPES for name in names):
        for bound in ("min", "max"):
            value = rules.get(bound)
            if bound in rules and not (_is_exact(value) or isinstance(value, float)):
                # Cerberus compares a figure with it, fails, and says nothing
                message = f"expected a number for {bound}, got {_describe(value)}"
                yield (*path, bound), path, message
    meta = rules.get("meta")
    if isinstance(meta, Mapping):
        for key in ("unit", "label"):
            if key in meta and not isinstance(meta[key], str):
                message = f"expected a text for meta.{key}, got {_describe(meta[key])}"
                yield (*path, "meta", key), path, message
    pattern = rules.get("regex")
    wrong = _pattern_error(pattern) if isinstance(pattern, str) else None
    if wrong is not None:
        yield (*path, "regex"), path, wrong
    inner = rules.get("schema")
    if isinstance(inner, Mapping):
        if kind == "list":
            yield from _misshapen_rules(inner, (*path, "schema"))
        else:
            yield from _misshapen(inner, (*path, "schema"))
    for rule in ("keysrules", "valuesrules"):
        if rule in rules:
            yield from _misshapen_rules(rules[rule], (*path, rule))


def _schema_message(message: str, key: Any, value: Any) -> str:
    """Return Cerberus's message about one rule of a schema in the words of vanban's."""
    import difflib

    def meant(word: str, known: Iterable[str]) -> str:
        close = difflib.get_close_matches(word, sorted(known), n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""

    if message == "must be of dict type":
        written = (
            f" (write {{type: {value}}})" if isinstance(value, str) and value in _TYPES else ""
        )
        return f"expected the rules of a field (a mapping), got {_describe(value)}{written}"
    if message == "unknown rule":
        return f"unknown rule {key!r}" + meant(str(key), _validators()[0].rules)
    if message.startswith("Unsupported types:"):
        names = value if isinstance(value, list) else [value]
        unknown = next((str(name) for name in names if name not in _TYPES), str(value))
        return f"unknown type {unknown!r}" + (
            meant(unknown, _TYPES) or f" (types: {', '.join(sorted(_TYPES))})"
        )
    return message


def _schema_errors(
    errors: Mapping[Any, Any], rules: Any, path: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (path in the schema, message) for each of Cerberus's errors about a schema:
    its tree of field → messages and subtrees, where a `schema` rule that is neither a
    mapping's fields nor a list's item rules holds both readings ("anyof definition" 0 and
    1): the one the field's type says is followed."""
    for key, entries in errors.items():
        here = (*path, key)
        value = rules.get(key) if isinstance(rules, Mapping) else None
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, str):
                if entry == "no definitions validate":
                    continue
                yield here, _schema_message(entry, key, value)
            elif isinstance(entry, Mapping):
                readings = [k for k in entry if str(k).startswith("anyof definition")]
                if readings:
                    listed = isinstance(rules, Mapping) and rules.get("type") == "list"
                    chosen = f"anyof definition {1 if listed else 0}"
                    for branch in entry.get(chosen, entry[readings[0]]):
                        if isinstance(branch, Mapping):
                            yield from _schema_errors(branch, value, here)
                else:
                    yield from _schema_errors(entry, value, here)


# Cerberus's own types and the fact types (FactValidator's _validate_type_* methods).
_TYPES = frozenset(
    "binary boolean date datetime dict float integer list number set string "
    "count money percent decimal".split()
)
_NUMERIC_TYPES = frozenset("integer float number count money percent decimal".split())
_FLAGS = frozenset({"required", "nullable", "empty", "readonly", "allow_unknown"})
_LENGTHS = frozenset({"minlength", "maxlength"})
_BOUNDS = frozenset({"min", "max"})


def plainly_valid(schema: Any) -> bool:
    """Return True for a schema Cerberus's meta-schema accepts, seen from a narrower set of
    rules whose constraints are checked here: type, required, nullable, empty, readonly,
    allow_unknown (true or false), meta (not null), regex, min, max, minlength, maxlength, allowed,
    excludes, schema (under type dict or list), keysrules and valuesrules. False says only
    that Cerberus must look (tests/test_speed.py holds it to that on generated schemas)."""
    return isinstance(schema, Mapping) and all(
        isinstance(name, str) and _plain_rules(rules) for name, rules in schema.items()
    )


def _plain_rules(rules: Any) -> bool:
    if not isinstance(rules, Mapping):
        return False
    for rule, constraint in rules.items():
        if rule == "type":
            names = [constraint] if isinstance(constraint, str) else constraint
            if not isinstance(names, list) or not names:
                return False
            if not all(isinstance(n, str) and n in _TYPES for n in names):
                return False
        elif rule in _FLAGS:
            if not isinstance(constraint, bool):
                return False
        elif rule in _LENGTHS:
            if not isinstance(constraint, int) or isinstance(constraint, bool) or constraint < 0:
                return False
        elif rule in _BOUNDS:
            if not _is_exact(constraint) and not isinstance(constraint, float):
                return False
        elif rule == "regex":
            if not isinstance(constraint, str) or not _compiles(constraint):
                return False
        elif rule == "allowed":
            if not isinstance(constraint, list):
                return False
        elif rule == "excludes":
            names = [constraint] if isinstance(constraint, str) else constraint
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                return False
        elif rule == "schema":  # the fields of a dict, or the rules of a list's items
            kind = rules.get("type")
            kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
            if kinds == ["dict"]:
                if not plainly_valid(constraint):
                    return False
            elif "list" not in kinds or "dict" in kinds or not _plain_rules(constraint):
                return False
        elif rule in ("keysrules", "valuesrules"):
            if not _plain_rules(constraint):
                return False
        elif rule != "meta" or constraint is None:  # meta holds anything but null
            return False
    return True


def _compiles(pattern: str) -> bool:
    return _pattern_error(pattern) is None


def _pattern_error(pattern: str) -> str | None:
    """Return why a pattern is not a regular expression Python can use, or None."""
    import re

    try:
        re.compile(pattern)
    except re.error as exc:
        return f"{pattern!r} is not a regular expression ({exc.msg} at position {exc.pos})"
    except (RecursionError, OverflowError):
        return f"{pattern!r} is too large a regular expression"
    return None


def unit_of(schema: Mapping[str, Any], path: tuple[Any, ...]) -> str | None:
    """Return the unit declared in the schema for the fact at path, if any."""
    return _meta_text(schema, path, "unit")


def type_of(schema: Mapping[str, Any], path: tuple[Any, ...]) -> str | None:
    """Return the type the schema gives the fact at path (count, money, decimal …), if any."""
    kind = _rules_at(schema, path).get("type")
    return kind if isinstance(kind, str) else None


def label_of(schema: Mapping[str, Any], path: tuple[Any, ...]) -> str | None:
    """Return the label declared in the schema for the fact at path, if any."""
    return _meta_text(schema, path, "label")


def _meta_text(schema: Mapping[str, Any], path: tuple[Any, ...], key: str) -> str | None:
    """Return the text the schema's meta gives the fact at path under key (unit, label), or
    None; a value that is not a text is the schema's error (check_schema), not a unit."""
    meta = _rules_at(schema, path).get("meta") or {}
    value = meta.get(key) if isinstance(meta, Mapping) else None
    return value if isinstance(value, str) else None
