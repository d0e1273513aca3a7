"""Merging mentions of the same real-world event across articles into events."""

from __future__ import annotations

import datetime as dt

from timeline.entities import EntityResolver
from timeline.models import GRANULARITY_RANK, DateBasis, Event, EventMention, Status

# Statuses that describe the same kind of reality and may share an event.
STATUS_FAMILY = {
    "happened": "real", "ongoing": "real", "claim": "real", "planned": "future",
    "threatened": "threat", "hypothetical": "hypothetical", "negated": "negated",
}


def merge_all(mentions: list[EventMention]) -> list[Event]:
    """The events of these mentions, merged and dated (relative dates resolved)."""
    events = merge_mentions(mentions, EntityResolver())
    resolve_relative(events)
    return events


def merge_mentions(mentions: list[EventMention], resolver: EntityResolver) -> list[Event]:
    """Cluster mentions into events: same action, a shared participant, compatible dates."""
    resolver.learn_from(mentions)
    canonical = {m.mention_id: _participants(m, resolver) for m in mentions}
    events: list[Event] = []
    by_lemma: dict[str, list[Event]] = {}
    for mention in sorted(mentions, key=lambda m: (m.basis == "reported", m.doc_id, m.trigger_start)):
        match = _best_event(mention, by_lemma.get(mention.lemma, []), canonical)
        if match is None:
            match = Event(event_id="")
            events.append(match)
            by_lemma.setdefault(mention.lemma, []).append(match)
        match.mentions.append(mention)
    for number, event in enumerate(events, 1):
        event.event_id = f"E{number:04d}"
        event.mentions.sort(key=lambda m: (m.doc_id, m.trigger_start))
        event.actors = list(dict.fromkeys(resolver.canonical(a) for m in event.mentions for a in m.actors))
        event.affected = list(dict.fromkeys(resolver.canonical(a) for m in event.mentions for a in m.affected))
        date_event(event)
    return events


def _participants(mention: EventMention, resolver: EntityResolver) -> tuple[set[str], set[str]]:
    """(actors, objects): canonical actor names, and what the event acted on."""
    actors = {resolver.canonical(a).lower() for a in mention.actors}
    objects = {resolver.canonical(a).lower() for a in mention.affected}
    return actors, objects | {t for t in mention.key_terms if len(t) > 2}


def _best_event(mention: EventMention, candidates: list[Event], canonical: dict) -> Event | None:
    """The existing event this mention joins, or None for a new one.

    The same action on the same thing is the same event ("released a video", "the release of
    the video"); the same actor doing the same kind of thing is not enough ("Jobs returned to
    Apple in 1996", "Jobs returned to the stage"), unless both give the same day.
    """
    best, best_score = None, 0
    my_actors, my_objects = canonical[mention.mention_id]
    for event in candidates:
        verdict = _compatibility(mention, event)
        if verdict == "apart":
            continue
        actors = set().union(*(canonical[m.mention_id][0] for m in event.mentions))
        objects = set().union(*(canonical[m.mention_id][1] for m in event.mentions))
        shared_objects, shared_actors = len(my_objects & objects), len(my_actors & actors)
        if mention.kind == "reporting" or not shared_objects:
            if not (shared_actors and _same_day(mention, event)):
                continue
        elif verdict == "date_conflict" and shared_objects + shared_actors < 3:
            continue
        score = shared_objects + shared_actors
        if score > best_score:
            best, best_score = event, score
    return best


def _same_day(mention: EventMention, event: Event) -> bool:
    """Both dated to the same day, explicitly."""
    if not mention.dated or mention.timex.granularity not in ("day", "part_of_day"):
        return False
    return any(
        m.dated and m.timex.interval_start == mention.timex.interval_start
        and m.timex.granularity in ("day", "part_of_day")
        for m in event.mentions
    )


def _compatibility(mention: EventMention, event: Event) -> str:
    """'same' if the mention may join the event, 'date_conflict' if only the dates disagree, or 'apart'."""
    verdict = "same"
    for other in event.mentions:
        if STATUS_FAMILY.get(other.status) != STATUS_FAMILY.get(mention.status):
            return "apart"
        if other.doc_id == mention.doc_id and other.sentence_start == mention.sentence_start:
            return "apart"
        if mention.kind == "reporting" and other.doc_id == mention.doc_id:
            return "apart"
        if _after_its_report(mention, other) or _after_its_report(other, mention):
            return "apart"
        if not _dates_agree(mention, other):
            if other.doc_id == mention.doc_id or mention.kind == "reporting":
                return "apart"
            verdict = "date_conflict"
    return verdict


def _after_its_report(undated: EventMention, dated: EventMention) -> bool:
    """Whether an undated report of a real event would take a date after its own article was published."""
    if undated.dated or not dated.dated or undated.published is None or dated.timex.interval_start is None:
        return False
    return STATUS_FAMILY.get(undated.status) == "real" and dated.timex.interval_start > undated.published


def _dates_agree(a: EventMention, b: EventMention) -> bool:
    """Two explicit dates agree when one interval contains the other; reported dates always do."""
    if not (a.dated and b.dated):
        return True
    a_start, a_end = a.timex.interval_start, a.timex.interval_end
    b_start, b_end = b.timex.interval_start, b.timex.interval_end
    if None in (a_start, a_end, b_start, b_end):
        return True
    return (a_start <= b_start and b_end <= a_end) or (b_start <= a_start and a_end <= b_end)


def date_event(event: Event) -> None:
    """The event's date: the finest date its dated mentions agree on; disagreements are flagged."""
    dated = [m for m in event.mentions if m.dated]
    if not dated:
        return
    finest = min(dated, key=lambda m: (_rank(m.timex.granularity), -m.confidence))
    timex = finest.timex
    event.value = timex.value
    event.interval_start, event.interval_end = timex.interval_start, timex.interval_end
    event.granularity = timex.granularity
    event.basis = finest.basis
    clashing = [m for m in dated if not _dates_agree(m, finest)]
    if clashing:
        event.conflicts = [f"{m.doc_id}: {m.timex.text!r} = {m.timex.value}" for m in [finest, *clashing]]


def resolve_relative(events: list[Event]) -> None:
    """Date undated events from "two days after X" once X has a date (or at least a report date)."""
    owner = {m.mention_id: e for e in events for m in e.mentions}
    for event in events:
        if event.basis != "reported":
            continue
        for mention in event.mentions:
            if mention.relative_to is None or mention.relative_to[0] not in owner:
                continue
            other_id, days, report_date_allowed = mention.relative_to
            other = owner[other_id]
            if other.basis == "relative":
                continue  # never chain one derived date into another
            base = other.interval_start if other.granularity == "day" else None
            if base is None and other.basis == "reported" and report_date_allowed:
                base = next((m.published for m in other.mentions if m.mention_id == other_id), None)
            if base is None:
                continue
            day = base + dt.timedelta(days=days)
            event.value, event.interval_start, event.interval_end = day.isoformat(), day, day
            event.granularity, event.basis = "day", DateBasis.RELATIVE
            event.relative_mention = mention.mention_id
            break


def _rank(granularity: str | None) -> int:
    return GRANULARITY_RANK.get(granularity or "", 99)
