"""Loading and compiling the per-language rule and vocabulary files."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources as importlib_resources

import regex

PLACEHOLDER = regex.compile(r"%([A-Z][A-Z0-9]*)")
MAX_EXPANSION_DEPTH = 8


class ResourceError(ValueError):
    """A rule or vocabulary file is malformed."""


@dataclass(frozen=True)
class Table:
    """A vocabulary table: surface form (lower-cased) to normalised value."""

    name: str
    forms: dict[str, str]
    surfaces: tuple[str, ...]
    case_sensitive: bool = False

    def lookup(self, surface: str) -> str | None:
        """The normalised value of a surface form, or None."""
        key = " ".join(surface.lower().rstrip(".").split())
        return self.forms.get(key)

    def alternation(self) -> str:
        """A regex alternation of all forms, longest first."""
        surfaces = sorted(self._surfaces(), key=_longest_first)
        body = "|".join(_form_regex(s) for s in surfaces)
        return f"(?-i:{body})" if self.case_sensitive else f"(?:{body})"

    def _surfaces(self) -> set[str]:
        if not self.case_sensitive:
            return set(self.surfaces)
        return set(self.surfaces) | {s.upper() for s in self.surfaces}


def _form_regex(surface: str) -> str:
    """A surface form as regex: literal, with flexible inner white space."""
    return r"\s+".join(regex.escape(part) for part in surface.split())


@dataclass(frozen=True)
class Rule:
    """One extraction rule: pattern, TIMEX3 type and value template."""

    name: str
    type: str
    source: str
    compiled: regex.Pattern
    value: str | None
    parts: dict[str, str] | None
    mod: str | None
    examples: tuple[dict, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Ruleset:
    """Compiled rules and vocabulary tables of one language."""

    language: str
    rules: tuple[Rule, ...]
    tables: dict[str, Table]
    negative_corpus: tuple[str, ...]
    anchor: regex.Pattern


def _read_toml(language: str, filename: str) -> dict:
    path = importlib_resources.files("timeline") / "resources" / language / filename
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise ResourceError(f"{language}/{filename}: {exc}") from exc


@functools.cache
def load_words(language: str, name: str) -> dict:
    """A word-list file of a language (resources/<language>/<name>.toml): cue words, lexicons, aliases."""
    return _read_toml(language, f"{name}.toml")


def phrase_pattern(phrases, before: str = r"\b", after: str = "", extra: tuple[str, ...] = ()) -> regex.Pattern:
    """A case-insensitive pattern matching any of these phrases (white space inside them flexible)."""
    body = "|".join([_form_regex(p) for p in sorted(phrases, key=_longest_first)] + list(extra))
    return regex.compile(rf"{before}(?:{body}){after}", regex.IGNORECASE)


def _read_lines(language: str, filename: str) -> tuple[str, ...]:
    path = importlib_resources.files("timeline") / "resources" / language / filename
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line.strip() and not line.startswith("#"))


def _build_table(name: str, spec: dict) -> Table:
    forms: dict[str, str] = {}
    original: list[str] = []
    for value, surfaces in spec.get("forms", {}).items():
        for surface in surfaces:
            forms[" ".join(surface.lower().rstrip(".").split())] = value
            original.append(surface)
    return Table(
        name=name,
        forms=forms,
        surfaces=tuple(original),
        case_sensitive=bool(spec.get("case_sensitive")),
    )


def expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    """Replace %NAME placeholders by their pattern, recursively."""
    if depth > MAX_EXPANSION_DEPTH:
        raise ResourceError(f"placeholders nest too deep in {pattern[:60]!r}")

    def substitute(match: regex.Match) -> str:
        name = match.group(1)
        if name not in macros:
            raise ResourceError(f"unknown placeholder %{name}")
        return expand(macros[name], macros, depth + 1)

    return PLACEHOLDER.sub(substitute, pattern)


def _compile(name: str, pattern: str, macros: dict[str, str]) -> regex.Pattern:
    body = expand(pattern, macros).replace("[ ]", r"\s")
    # Word boundaries on both sides, so "Mayor" or "2015x" never match.
    wrapped = rf"(?<![\w])(?:{body})(?![\w])"
    try:
        return regex.compile(wrapped, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        raise ResourceError(f"rule {name}: pattern does not compile: {exc}") from exc


def _build_rule(spec: dict, macros: dict[str, str]) -> Rule:
    name = spec.get("name") or "<unnamed>"
    missing = [key for key in ("type", "pattern") if key not in spec]
    if missing:
        raise ResourceError(f"rule {name}: missing {', '.join(missing)}")
    if ("value" in spec) == ("parts" in spec):
        raise ResourceError(f"rule {name}: give exactly one of value and parts")
    return Rule(
        name=name,
        type=spec["type"],
        source=spec["pattern"],
        compiled=_compile(name, spec["pattern"], macros),
        value=spec.get("value"),
        parts=spec.get("parts"),
        mod=spec.get("mod"),
        examples=tuple(spec.get("examples", ())),
    )


@functools.cache
def load_ruleset(language: str = "en") -> Ruleset:
    """Load, expand and compile the rules of a language (cached)."""
    vocabulary = _read_toml(language, "vocabulary.toml")
    rules_file = _read_toml(language, "rules.toml")
    tables = {name: _build_table(name, spec) for name, spec in vocabulary.items()}
    macros = {name.upper(): table.alternation() for name, table in tables.items()}
    macros.update(rules_file.get("patterns", {}))
    rules = tuple(_build_rule(spec, macros) for spec in rules_file.get("rule", []))
    names = [rule.name for rule in rules]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ResourceError(f"duplicate rule names: {sorted(duplicates)}")
    negative = _read_lines(language, "negative.txt")
    anchor = _anchor_pattern(tables, vocabulary.get("anchorword", {}).get("anchor_tables", []))
    return Ruleset(language=language, rules=rules, tables=tables, negative_corpus=negative, anchor=anchor)


def _anchor_pattern(tables: dict[str, Table], anchor_tables: list[str]) -> regex.Pattern:
    """Digits or any word of the anchor tables: what every time expression contains."""
    unknown = [name for name in anchor_tables if name not in tables]
    if unknown:
        raise ResourceError(f"anchor_tables names unknown tables: {unknown}")
    surfaces = {s for name in [*anchor_tables, "anchorword"] for s in tables[name].surfaces}
    body = "|".join(_form_regex(s) for s in sorted(surfaces, key=_longest_first))
    return regex.compile(rf"[0-9]|(?<![\w])(?:{body})", regex.IGNORECASE)


def _longest_first(surface: str) -> tuple[int, str]:
    """Longest first (so alternation prefers the longer form), then by text: never set order."""
    return -len(surface), surface
