"""The resource files themselves: patterns compile, references resolve, templates fit their groups."""

import regex
import pytest

from timeline.normalize import TEMPLATE_FIELD
from timeline.resources import ResourceError, expand, load_ruleset

RULESET = load_ruleset("en")
DERIVED_FIELDS = {"clock"}


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.name)
def test_template_fields_name_groups_of_the_pattern(rule):
    groups = set(rule.compiled.groupindex)
    templates = [rule.value] if rule.value else list(rule.parts.values())
    if rule.mod:
        templates.append(rule.mod)
    for template in templates:
        for field in TEMPLATE_FIELD.finditer(template):
            assert field.group(1) in groups | DERIVED_FIELDS, f"{rule.name}: {{{field.group(1)}}} is no group"
    if rule.parts:
        assert set(rule.parts) <= groups


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.name)
def test_group_names_refer_to_tables_or_known_normalisers(rule):
    from timeline.normalize import _SPECIAL_GROUPS

    for name in rule.compiled.groupindex:
        base = name.rstrip("0123456789")
        if rule.parts and name in rule.parts:
            continue
        assert base in RULESET.tables or base in _SPECIAL_GROUPS, f"{rule.name}: group {name} has no normaliser"


def test_every_rule_type_is_a_timex3_type():
    assert {rule.type for rule in RULESET.rules} <= {"DATE", "TIME", "DURATION", "SET"}


def test_unknown_placeholder_is_reported():
    with pytest.raises(ResourceError, match="NOPE"):
        expand("%NOPE", {})


def test_anchor_pattern_finds_every_example_extent():
    for rule in RULESET.rules:
        for example in rule.examples:
            if example["value"] != "none":
                assert RULESET.anchor.search(example.get("match", example["text"])), (rule.name, example)


def test_patterns_have_no_nested_unbounded_quantifiers():
    # (x+)+ and (x*)* are the shapes of catastrophic backtracking.
    nested = regex.compile(r"\([^()]*[+*]\)[+*]")
    assert [r.name for r in RULESET.rules if nested.search(r.source)] == []
