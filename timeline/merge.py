"""Merging mentions of the same real-world event across articles into events."""

from __future__ import annotations

import datetime as dt
import hashlib

from timeline.entities import EntityResolver
from timeline.models import GRANULARITY_RANK, DateBasis, Event, EventMention, Status

# Statuses that describe the same kind of reality and may share an event.
STATUS_FAMILY = {
    Status.HAPPENED: "real", Status.ONGOING: "real", Status.CLAIM: "real", Status.PLANNED: "future",
    Status.THREATENED: "threat", Status.HYPOTHETICAL: "hypothetical", Status.NEGATED: "negated",
}


PUBLICATION_WINDOW = 7  # days before (and including) the publication date of recent-past news
ID_DIGITS = 10  # hex digits of an event id: 40 bits, no clash expected below tens of millions of events


def merge_all(mentions: list[EventMention]) -> list[Event]:
    """The events of these mentions, merged and dated (relative dates resolved)."""
    parts = [m for m in mentions if m.told_with is not None]
    events = merge_mentions([m for m in mentions if m.told_with is None], EntityResolver())
    attach_parts(events, parts)
    resolve_relative(events)
    date_from_publication(events)
    _make_ids_unique(events)
    return events


def event_id_for(founder_id: str) -> str:
    """An event's id, from the mention that founded it: the same in any build holding that mention,
    so an event keeps its id when articles are added (unless one of them reports it earlier)."""
    return "E" + hashlib.sha1(founder_id.encode("utf-8")).hexdigest()[:ID_DIGITS]


def _make_ids_unique(events: list[Event]) -> None:
    """A clash of two ids (astronomically rare) is settled by a suffix, in table-independent order."""
    seen: set[str] = set()
    for event in sorted(events, key=lambda e: (e.event_id, e.mentions[0].mention_id if e.mentions else "")):
        base, number = event.event_id, 1
        while event.event_id in seen:
            number += 1
            event.event_id = f"{base}-{number}"
        seen.add(event.event_id)


def date_from_publication(events: list[Event]) -> None:
    """An undated event told as recent-past news ("Rome has stepped up its security") happened in
    the week before its first report: dated so, as an inference (basis 'publication')."""
    for event in events:
        if event.basis != DateBasis.REPORTED:
            continue
        recent = [m.published for m in event.told if m.recent_past and m.published]
        if recent and all(STATUS_FAMILY.get(m.status) == "real" for m in event.told):
            published = min(recent)
            event.value, event.granularity, event.basis = "PAST_REF", "week", DateBasis.PUBLICATION
            event.interval_start, event.interval_end = published - dt.timedelta(days=PUBLICATION_WINDOW - 1), published


def attach_parts(events: list[Event], parts: list[EventMention]) -> None:
    """"Officials said X", "died attempting the crossing": the reporting act or the step is told with
    X's event (a mention of it, for provenance), never dating it nor making a row of its own."""
    owner = {m.mention_id: e for e in events for m in e.mentions}
    grown = {}
    for part in parts:
        event = owner.get(part.told_with)
        if event is None:  # what it belongs to was not kept: it stands alone (told_with is kept, so that
            # merging the mentions again, after articles are added, gives this event again)
            event = Event(event_id_for(part.mention_id), [part], actors=list(part.actors),
                          affected=list(part.affected))
            date_event(event)
            events.append(event)
            continue
        event.mentions.append(part)
        grown[id(event)] = event
    for event in grown.values():  # sorted once: per part it was quadratic on a long article
        event.mentions.sort(key=lambda m: (m.doc_id, m.trigger_start))


def merge_mentions(mentions: list[EventMention], resolver: EntityResolver) -> list[Event]:
    """Cluster mentions into events: same action, a shared participant, compatible dates.

    Only mentions of one event word ever merge, so each word's mentions are merged on their own
    (the blocking key: a cluster's worker needs that partition alone) and the events are put back
    in the order one pass over all mentions would have founded them.
    """
    resolver.learn_from(mentions)  # names are learnt from the whole corpus before any partition merges
    founded = [pair for partition in merge_partitions(mentions) for pair in merge_partition(partition, resolver)]
    return [event for _, event in sorted(founded, key=lambda pair: pair[0])]


def merge_partitions(mentions: list[EventMention]) -> list[list[EventMention]]:
    """The mentions grouped by event word, groups in word order (deterministic)."""
    groups: dict[str, list[EventMention]] = {}
    for mention in mentions:
        groups.setdefault(mention.lemma, []).append(mention)
    return [groups[word] for word in sorted(groups)]


def merge_order(mention: EventMention) -> tuple:
    """The order mentions are merged in: dated ones first (they found events), then by article and place."""
    return mention.basis == DateBasis.REPORTED, mention.doc_id, mention.trigger_start


def merge_partition(mentions: list[EventMention], resolver: EntityResolver) -> list[tuple[tuple, Event]]:
    """The events of one partition, each with its founding mention's merge order."""
    clusters: list[_Cluster] = []
    by_participant: dict[tuple[str, str], list[_Cluster]] = {}
    for mention in sorted(mentions, key=merge_order):
        actors, objects = _participants(mention, resolver)
        roles = _roles(mention, resolver)
        keys = [("a", a) for a in actors] + [("o", o) for o in objects]  # within one event word's partition
        # Only an event sharing a participant can be joined: look at those alone (merging stays linear).
        candidates = sorted({id(c): c for k in keys for c in by_participant.get(k, [])}.values(), key=lambda c: c.index)
        match = _best_cluster(mention, actors, objects, roles, candidates)
        if match is None:
            match = _Cluster(len(clusters))
            clusters.append(match)
        match.add(mention, actors, objects, roles)
        for key in keys:
            if match not in by_participant.setdefault(key, []):
                by_participant[key].append(match)
    founders = [c.event.mentions[0] for c in clusters]  # the first to join, before _finished sorts them
    return [(merge_order(f), _finished(c.event, f, resolver)) for c, f in zip(clusters, founders)]


def _finished(event: Event, founder: EventMention, resolver: EntityResolver) -> Event:
    """The merged event with its id (from its founder), participants and date."""
    event.event_id = event_id_for(founder.mention_id)
    event.mentions.sort(key=lambda m: (m.doc_id, m.trigger_start))
    event.actors = list(dict.fromkeys(resolver.canonical(a) for m in event.mentions for a in m.actors))
    event.affected = list(dict.fromkeys(resolver.canonical(a) for m in event.mentions for a in m.affected))
    date_event(event)
    return event


def _participants(mention: EventMention, resolver: EntityResolver) -> tuple[set[str], set[str]]:
    """(actors, objects): canonical actor names, and what the event acted on."""
    actors = {resolver.canonical(a).lower() for a in mention.actors}
    objects = {resolver.canonical(a).lower() for a in mention.affected}
    return actors, objects | {t for t in mention.key_terms if len(t) > 2}


class _Cluster:
    """An event being merged, with what joining it depends on summarised (checks cost the same at any size)."""

    def __init__(self, index: int):
        self.index = index
        self.event = Event(event_id="")
        self.families: set[str] = set()
        self.sentences: set[tuple[str, int]] = set()
        self.docs: set[str] = set()
        self.actors: set[str] = set()
        self.objects: set[str] = set()
        # Who is named as acting, what was acted on, where: a mention naming others is another event.
        self.roles: dict[str, set[str]] = {"named": set(), "affected": set(), "places": set()}
        self.intervals: dict[tuple[dt.date, dt.date], set[str]] = {}  # dated mentions' spans -> their documents
        self.days: set[dt.date] = set()  # day-precise dates of its mentions
        self.earliest_undated_real: dt.date | None = None  # publication of its earliest undated real report
        self.latest_dated_start: dt.date | None = None

    def add(self, mention: EventMention, actors: set[str], objects: set[str], roles: dict[str, set[str]]) -> None:
        self.event.mentions.append(mention)
        self.families.add(STATUS_FAMILY.get(mention.status))
        self.sentences.add((mention.doc_id, mention.sentence_start))
        self.docs.add(mention.doc_id)
        self.actors |= actors
        self.objects |= objects
        for role, names in roles.items():
            self.roles[role] |= names
        span = _span(mention)
        if span is not None:
            self.intervals.setdefault(span, set()).add(mention.doc_id)
            self.latest_dated_start = max(filter(None, (self.latest_dated_start, span[0])))
            if mention.timex.granularity in ("day", "part_of_day"):
                self.days.add(span[0])
        elif not mention.dated and mention.published and STATUS_FAMILY.get(mention.status) == "real":
            self.earliest_undated_real = min(filter(None, (self.earliest_undated_real, mention.published)))

    def compatibility(self, mention: EventMention, roles: dict[str, set[str]]) -> str:
        """'same' if the mention may join, 'date_conflict' if only the dates disagree, or 'apart'."""
        if self.families != {STATUS_FAMILY.get(mention.status)}:
            return "apart"
        if (mention.doc_id, mention.sentence_start) in self.sentences:
            return "apart"
        if mention.kind == "reporting" and mention.doc_id in self.docs:
            return "apart"
        if self._after_a_report(mention):
            return "apart"
        if self._names_others(roles) and not (mention.in_headline and mention.doc_id in self.docs):
            return "apart"  # (a headline names the body's event more loosely: "Apple launches 3G iPhone")
        span = _span(mention)
        verdict = "same"
        if span is None:
            return verdict
        for interval, documents in self.intervals.items():
            if not _nested(span, interval):
                if mention.doc_id in documents or mention.kind == "reporting":
                    return "apart"
                verdict = "date_conflict"
        return verdict

    def _names_others(self, roles: dict[str, set[str]]) -> bool:
        """Both name who acted, what was acted on or where, and none of it is the same: Italy's and
        Spain's embassy closures, arrests in Manchester and in London, militants and civilians killed."""
        return any(names and self.roles[role] and not names & self.roles[role] for role, names in roles.items())

    def _after_a_report(self, mention: EventMention) -> bool:
        """Joining would date a real event after an article that reported it was published."""
        span = _span(mention)
        if span is not None:
            return self.earliest_undated_real is not None and span[0] > self.earliest_undated_real
        if mention.dated or not mention.published or STATUS_FAMILY.get(mention.status) != "real":
            return False
        return self.latest_dated_start is not None and self.latest_dated_start > mention.published


def _roles(mention: EventMention, resolver: EntityResolver) -> dict[str, set[str]]:
    """Who is named as acting (capitalised: "Italy", not "police"), what was acted on, and where."""
    return {"named": {resolver.canonical(a).lower() for a in mention.actors if a[:1].isupper()},
            # Compared by their head word: "the Isis video" is "the video", "40 militants" not "12 civilians";
            # a bare common noun ("the device") may stand for any named thing and is not compared.
            "affected": {a.lower().split()[-1] for a in mention.affected if _specific(a)},
            "places": {p.lower() for p in mention.locations}}


def _specific(phrase: str) -> bool:
    """A phrase that picks out one thing: a name, a number, or more than one word."""
    return len(phrase.split()) > 1 or any(c.isupper() or c.isdigit() for c in phrase)


def _span(mention: EventMention) -> tuple[dt.date, dt.date] | None:
    """The interval of a mention's own date, when it has one with both ends."""
    if not mention.dated or mention.timex.interval_start is None or mention.timex.interval_end is None:
        return None
    return mention.timex.interval_start, mention.timex.interval_end


def _nested(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def _best_cluster(mention: EventMention, actors: set[str], objects: set[str], roles: dict[str, set[str]],
                  candidates: list[_Cluster]) -> _Cluster | None:
    """The existing event this mention joins, or None for a new one.

    The same action on the same thing is the same event ("released a video", "the release of
    the video"); the same actor doing the same kind of thing is not enough ("Jobs returned to
    Apple in 1996", "Jobs returned to the stage"), unless both give the same day.
    """
    best, best_score = None, 0
    for cluster in candidates:
        verdict = cluster.compatibility(mention, roles)
        if verdict == "apart":
            continue
        shared_objects, shared_actors = len(objects & cluster.objects), len(actors & cluster.actors)
        if mention.kind == "reporting" or not shared_objects:
            if not (shared_actors and _same_day(mention, cluster)):
                continue
        elif verdict == "date_conflict" and shared_objects + shared_actors < 3:
            continue
        score = shared_objects + shared_actors
        if score > best_score:
            best, best_score = cluster, score
    return best


def _same_day(mention: EventMention, cluster: _Cluster) -> bool:
    """Both dated to the same day, explicitly."""
    if not mention.dated or mention.timex.granularity not in ("day", "part_of_day"):
        return False
    return mention.timex.interval_start in cluster.days


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
    dated = [m for m in event.told if m.dated]
    if not dated:
        return
    finest = min(dated, key=lambda m: (_rank(m.timex.granularity), -m.confidence))
    timex = finest.timex
    event.value = timex.date_value
    event.interval_start, event.interval_end = timex.interval_start, timex.interval_end
    event.granularity = timex.granularity
    event.basis = finest.basis
    clashing = [m for m in dated if not _dates_agree(m, finest)]
    if clashing:
        event.conflicts = [f"{m.doc_id}: {m.timex.text!r} = {m.timex.date_value}" for m in [finest, *clashing]]


def resolve_relative(events: list[Event]) -> None:
    """Date undated events from "two days after X" once X has a date (or at least a report date)."""
    owner = {m.mention_id: e for e in events for m in e.mentions}
    for event in events:
        if event.basis != DateBasis.REPORTED:
            continue
        for mention in event.told:
            if mention.relative_to is None or mention.relative_to[0] not in owner:
                continue
            other_id, days, report_date_allowed = mention.relative_to
            other = owner[other_id]
            if other.basis == DateBasis.RELATIVE:
                continue  # never chain one derived date into another
            base = other.interval_start if other.granularity == "day" else None
            if base is None and other.basis == DateBasis.REPORTED and report_date_allowed:
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
