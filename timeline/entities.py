"""Actor names and their aliases: "ISIS", "Isis", "Islamic State" and "Daesh" are one actor."""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources as package_resources

TITLES = ("mr ", "mrs ", "ms ", "dr ", "president ", "prime minister ", "minister ", "general ", "gen. ")
# Exact-case aliases: short all-capital names that are also English words ("IS", "US").
EXACT_CASE_MAX = 3


@functools.cache
def alias_table(language: str = "en") -> dict[str, str]:
    """Normalised alias -> canonical name, from resources/<language>/aliases.toml."""
    text = package_resources.files("timeline").joinpath("resources", language, "aliases.toml").read_text("utf-8")
    table = {}
    for canonical, aliases in tomllib.loads(text)["aliases"].items():
        for alias in [canonical, *aliases]:
            table[_key(alias)] = canonical
    return table


def _key(name: str) -> str:
    """The lookup form of a name: exact for short capitals, otherwise folded."""
    name = name.strip()
    if len(name) <= EXACT_CASE_MAX and name.isupper():
        return "=" + name
    folded = re.sub(r"['’]s$", "", name.lower())
    folded = re.sub(r"^the\s+", "", folded)
    return re.sub(r"\s+", " ", folded)


class EntityResolver:
    """Maps actor strings to canonical names, learning person names from the corpus."""

    def __init__(self, language: str = "en"):
        self.table = alias_table(language)
        self._people: dict[str, str] = {}

    def learn(self, names: list[str]) -> None:
        """Group surnames with the one full name that ends with them ("Sisi" -> "Abdel Fattah al-Sisi")."""
        full_names = {_strip_title(n) for n in names if n[:1].isupper()}
        by_surname: dict[str, set[str]] = {}
        for name in full_names:
            if len(name.split()) >= 2 and _key(name) not in self.table:
                by_surname.setdefault(_surname(name), set()).add(name)
        for surname, owners in by_surname.items():
            longest = max(owners, key=len)
            words = set(longest.lower().split())
            # "Paolo Gentiloni" and "Gentiloni" agree; "Paolo Rossi" and "Mario Rossi" do not.
            if all(set(o.lower().split()) <= words for o in owners):
                self._people[surname] = longest

    def learn_from(self, mentions) -> None:
        """Learn the person names among the actors and affected parties of these mentions."""
        self.learn([a for m in mentions for a in m.actors + m.affected])

    def canonical(self, name: str) -> str:
        """The canonical name of an actor (the name itself when nothing is known)."""
        key = _key(name)
        if key in self.table:
            return self.table[key]
        bare = _strip_title(name)
        if _key(bare) in self.table:
            return self.table[_key(bare)]
        surname = _surname(bare)
        if surname in self._people and len(bare.split()) <= 2:
            return self._people[surname]
        return bare

    def matches(self, name: str, query: str) -> bool:
        """Whether an actor string names the queried entity (under any alias)."""
        return self.canonical(name).lower() == self.canonical(query).lower()


def _strip_title(name: str) -> str:
    lowered = name.lower()
    for title in TITLES:
        if lowered.startswith(title):
            return name[len(title):]
    return name


def _surname(name: str) -> str:
    last = name.split()[-1].lower()
    return re.sub(r"^(al|el)-", "", re.sub(r"['’]s$", "", last))
