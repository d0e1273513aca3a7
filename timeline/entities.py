"""Actor names and their aliases: "ISIS", "Isis", "Islamic State" and "Daesh" are one actor."""

from __future__ import annotations

import functools
import re

from timeline.resources import load_words

# Exact-case aliases: short all-capital names that are also English words ("IS", "US").
EXACT_CASE_MAX = 3


@functools.cache
def alias_table(language: str = "en") -> dict[str, str]:
    """Normalised alias -> canonical name, from resources/<language>/aliases.toml."""
    table = {}
    for canonical, aliases in load_words(language, "aliases")["aliases"].items():
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
            # Equal lengths ("Chiang Kai-Shek", "Chiang Kai-shek") are settled by the text, not by set order.
            longest = max(owners, key=lambda name: (len(name), name))
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


@functools.cache
def _name_words(language: str = "en") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(titles, surname prefixes) of a language, from resources/<language>/words.toml."""
    words = load_words(language, "words")
    titles = tuple(sorted((t + " " for t in words["titles"]), key=len, reverse=True))
    return titles, tuple(words["surname_prefixes"])


def _strip_title(name: str) -> str:
    lowered = name.lower()
    for title in _name_words()[0]:
        if lowered.startswith(title):
            return name[len(title):]
    return name


def _surname(name: str) -> str:
    last = re.sub(r"['’]s$", "", name.split()[-1].lower())
    for prefix in _name_words()[1]:
        if last.startswith(prefix) and len(last) > len(prefix):
            return last[len(prefix):]
    return last
