"""The two clocks, the journey funnel and the elements' frequencies, as SQL over ``events``.

Everything is computed per case first, then aggregated (count, quantiles).
The shape of the queries (see the README, "The event table"):

1. ``ev``: events joined with the activity map and the numbered cases, all numbers
   -> (case_no, aid, src, ts in microseconds, lifecycle code), ``src`` one BPMN
   element or one journey step's own activities; every later pass reads this
   narrow copy (integers group, join and sort far faster than text);
2. ``case_src``: per case and source, first and last time and occurrences (the
   larger of the start events and the complete-or-unlabelled ones);
3. ``case_step``: per case and journey step, over the step's sources: its own
   activities when the log has any, else the elements supporting it;
4. clocks, waits (``LAG`` over a case's steps in journey order), funnel, repeats
   and conformance from those, and per element start-to-complete durations
   (``row_number`` pairs the n-th start with the n-th complete).

The connection is only read: the working tables live in a cursor of their own.
"""

from __future__ import annotations

from typing import (TYPE_CHECKING, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple,
                    Union)

from ..analysis.context import AnalysisError, Context
from ..annotations import Annotations, ElementRef, feeling
from ..model import Model
from .mapping import ActivityMapper, Target
from .result import (
    ActivityMapping,
    ElementMeasure,
    Emotion,
    LogInfo,
    Measurement,
    Stat,
    StepMeasure,
    SupportMeasure,
)
from .survey import Survey

if TYPE_CHECKING:  # DuckDB is imported by whoever reads the log, not by this module
    from .log import EventLog

_STEP_SOURCE = 1_000_000  # sources above this are a journey step's own activities


def _stat_sql(value: str) -> str:
    return (f"count({value}), quantile_cont({value}, [0.5, 0.9, 0.0, 0.25, 0.75, 1.0])")


def _stat(count, quantiles) -> Stat:
    if not count:
        return Stat(0)
    q = [round(float(v), 3) for v in quantiles]
    return Stat(count=int(count), median=q[0], p90=q[1], minimum=q[2], p25=q[3], p75=q[4],
                maximum=q[5])


def _seconds(a: str, b: str) -> str:
    """SQL: seconds from time a to time b (microseconds since 1970, as in ``ev``)."""
    return f"(({b} - {a}) / 1e6)"


def _share(part: Optional[int], whole: int) -> Optional[float]:
    if part is None or not whole:
        return None
    return round(part / whole, 4)


def measure(models: Union[Model, Iterable[Model]], annotations: Annotations, log: EventLog,
            persona: Optional[str] = None, mapping: Optional[Mapping[str, Target]] = None,
            survey: Optional[Survey] = None,
            process_start: Sequence[Union[ElementRef, str]] = (),
            process_stop: Sequence[Union[ElementRef, str]] = (),
            customer_start: Optional[int] = None,
            customer_stop: Optional[int] = None) -> Measurement:
    """Measure ``log`` against the models and the journey in ``annotations``.

    ``persona`` limits the journey as :func:`bpmncx.analyse` does. ``mapping``
    maps log activities to an element (an :class:`ElementRef`, or its id or
    name) or a journey step (its number or text) where matching by id and name
    is not enough. The process clock runs from the first to the last event of
    an operations element (not in the customer's own pool or lane) or, when
    given, from the first event of ``process_start`` elements to the last of
    ``process_stop`` ones; the customer clock from the first to the last event
    of a journey step, or from step ``customer_start`` to step ``customer_stop``
    (numbers). Start and stop elements are references, ids or names; one that
    names no element (or several) is an :class:`~bpmncx.analysis.AnalysisError`.
    """
    if isinstance(models, Model):
        models = [models]
    ctx = Context(list(models), annotations, persona)
    steps = ctx.steps
    mapper = ActivityMapper(ctx.models.values(), steps, mapping)
    process_start = _elements(mapper, process_start, "process clock start")
    process_stop = _elements(mapper, process_stop, "process clock stop")
    numbers = {s.number for s in steps}
    for number, what in ((customer_start, "start"), (customer_stop, "stop")):
        if number is not None and number not in numbers:
            raise AnalysisError(f"customer clock {what}: there is no journey step {number}"
                                f"{' for ' + ctx.persona if ctx.persona else ''}")
    cur = log.connection.cursor()
    try:
        return _measure(cur, ctx, log, mapper, survey, process_start, process_stop,
                        customer_start, customer_stop)
    finally:
        cur.close()


def _elements(mapper: ActivityMapper, given: Sequence[Union[ElementRef, str]],
              what: str) -> Tuple[ElementRef, ...]:
    """Element references, or ids or names resolved like "Supported by"."""
    refs = []
    for item in given:
        if isinstance(item, ElementRef):
            refs.append(item)
            continue
        found = mapper.index.find(str(item))
        if len(found) != 1:
            why = "matches no element" if not found else f"matches {len(found)} elements"
            raise AnalysisError(f"{what}: \u201c{item}\u201d {why} in the models given")
        refs.append(ElementRef(found[0][0], found[0][1].id))
    return tuple(refs)


def _measure(cur, ctx: Context, log: EventLog, mapper: ActivityMapper, survey,
             process_start, process_stop, customer_start, customer_stop) -> Measurement:
    steps = ctx.steps
    numbers = {s.number for s in steps}
    # -- the activity map ---------------------------------------------------------
    activities = cur.execute("SELECT activity, count(*) FROM events GROUP BY activity "
                             "ORDER BY 2 DESC, 1").fetchall()
    elements: Dict[ElementRef, int] = {}
    rows = []  # (activity, activity number, src or None)
    meanings = []  # (activity, events, element, step, how, mapped?)
    direct_steps = set()
    for aid, (activity, events) in enumerate(activities):
        meaning = mapper.meaning(activity)
        src = None
        if meaning.element is not None and ctx.node(meaning.element) is not None:
            src = elements.setdefault(meaning.element, len(elements) + 1)
            how = meaning.how
        elif meaning.step is not None and meaning.step in numbers:
            src = _STEP_SOURCE + meaning.step
            direct_steps.add(meaning.step)
            how = meaning.how
        elif meaning.element is None and meaning.step is None:
            how = meaning.how
        elif meaning.element is not None:
            how = "the element is not in the models given"
        else:
            how = "its journey step is not in scope"
        rows.append((activity, aid, src))
        meanings.append((activity, events, meaning.element if src else None,
                         meaning.step if src else None, how, src is not None))
    # Every supporting element is a source, even one the log never shows (skipped).
    for step in steps:
        for ref in ctx.support(step):
            elements.setdefault(ref, len(elements) + 1)
    refs = {src: ref for ref, src in elements.items()}
    customer = {src: ctx.owner(ref).is_customer for src, ref in refs.items()}
    step_sources = []  # (step, src)
    for step in steps:
        if step.number in direct_steps:
            step_sources.append((step.number, _STEP_SOURCE + step.number))
        else:
            step_sources += [(step.number, elements[ref]) for ref in ctx.support(step)]

    _table(cur, "amap", "activity VARCHAR, aid INTEGER, src INTEGER", rows)
    _table(cur, "elements", "src INTEGER, customer BOOLEAN",
           [(src, customer[src]) for src in refs])
    _table(cur, "step_src", "step INTEGER, src INTEGER", step_sources)
    # Cases numbered once: every grouping, window and join after this is on integers,
    # far cheaper than on the case id text.
    cur.execute("CREATE TEMP TABLE cases AS SELECT case_id, "
                "CAST(row_number() OVER () AS INTEGER) AS case_no "
                "FROM (SELECT DISTINCT case_id FROM events)")
    # The events once more, narrow and all numbers (case, activity, source, time in
    # microseconds since 1970, lifecycle 1 start, 2 complete, 0 none, 3 other): the
    # passes after this read it instead of the text columns.
    cur.execute("""CREATE TEMP TABLE ev AS
        SELECT c.case_no, m.aid, m.src, epoch_us(e.ts) AS ts,
               CAST(CASE WHEN e.lifecycle IS NULL THEN 0 WHEN e.lifecycle = 'start' THEN 1
                         WHEN e.lifecycle = 'complete' THEN 2 ELSE 3 END AS UTINYINT) AS lc
        FROM events e JOIN amap m USING (activity) JOIN cases c USING (case_id)""")
    # One pass over the events per case and activity; everything after works on these
    # (far fewer) rows. A start/complete pair of a single occurrence is kept here too.
    cur.execute("""CREATE TEMP TABLE case_act AS
        SELECT case_no, aid, any_value(src) AS src, min(ts) AS first_ts, max(ts) AS last_ts,
               count(*) FILTER (WHERE lc = 1) AS starts,
               count(*) FILTER (WHERE lc = 0 OR lc = 2) AS completes,
               count(*) FILTER (WHERE lc = 2) AS done,
               min(ts) FILTER (WHERE lc = 1) AS first_start,
               min(ts) FILTER (WHERE lc = 2) AS first_done
        FROM ev GROUP BY case_no, aid""")
    sources = [src for _, _, src in rows if src is not None]
    if len(sources) == len(set(sources)):
        # One activity per source (the usual log): no second grouping needed.
        # A view: copying the rows into a table costs more than reading them twice.
        cur.execute("""CREATE TEMP VIEW case_src AS
            SELECT case_no, src, first_ts, last_ts, greatest(starts, completes, 1) AS n,
                   starts, done, first_start, first_done
            FROM case_act WHERE src IS NOT NULL""")
    else:
        cur.execute("""CREATE TEMP TABLE case_src AS
            SELECT case_no, src, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
                   greatest(sum(starts), sum(completes), 1) AS n,
                   sum(starts) AS starts, sum(done) AS done,
                   min(first_start) AS first_start, min(first_done) AS first_done
            FROM case_act WHERE src IS NOT NULL GROUP BY case_no, src""")
    cur.execute("""CREATE TEMP TABLE case_step AS
        SELECT case_no, step, min(first_ts) AS first_ts, max(last_ts) AS last_ts, max(n) AS n
        FROM case_src JOIN step_src USING (src) GROUP BY case_no, step""")
    cases_of = dict(cur.execute("SELECT aid, count(*) FROM case_act GROUP BY aid").fetchall())
    mapped: List[ActivityMapping] = []
    unmapped: List[ActivityMapping] = []
    for aid, (activity, events, element, step_number, how, is_mapped) in enumerate(meanings):
        record = ActivityMapping(activity, events, cases_of.get(aid, 0), element, step_number,
                                 how)
        (mapped if is_mapped else unmapped).append(record)
    total = log.cases

    # -- the two clocks -------------------------------------------------------------
    if process_start or process_stop:
        starts = [elements[r] for r in process_start if r in elements] or [-1]
        stops = [elements[r] for r in process_stop if r in elements] or [-1]
        begin = f"min(first_ts) FILTER (WHERE src IN ({', '.join(map(str, starts))}))"
        end = f"max(last_ts) FILTER (WHERE src IN ({', '.join(map(str, stops))}))"
    else:
        begin, end = "min(first_ts)", "max(last_ts)"
    process = cur.execute(f"""
        SELECT {_stat_sql('d')} FROM (
            SELECT {_seconds(begin, end)} AS d FROM case_src JOIN elements USING (src)
            WHERE NOT customer GROUP BY case_no) WHERE d >= 0""").fetchone()
    if customer_start is not None or customer_stop is not None:
        first = customer_start if customer_start is not None else min(numbers, default=-1)
        final = customer_stop if customer_stop is not None else max(numbers, default=-1)
        begin = f"min(first_ts) FILTER (WHERE step = {int(first)})"
        end = f"max(last_ts) FILTER (WHERE step = {int(final)})"
    else:
        begin, end = "min(first_ts)", "max(last_ts)"
    customer_clock = cur.execute(f"""
        SELECT {_stat_sql('d')} FROM (
            SELECT {_seconds(begin, end)} AS d FROM case_step GROUP BY case_no) WHERE d >= 0
        """).fetchone()
    process_stat, customer_stat = _stat(*process), _stat(*customer_clock)
    ratio = None
    if process_stat.median and customer_stat.median is not None:
        ratio = round(customer_stat.median / process_stat.median, 3)

    # -- per journey step -----------------------------------------------------------
    reach = dict(cur.execute("SELECT step, count(*) FROM case_step GROUP BY step").fetchall())
    repeats = {s: (c, r) for s, c, r in cur.execute(
        "SELECT step, count(*) FILTER (WHERE n > 1), coalesce(sum(n - 1), 0) FROM case_step "
        "GROUP BY step").fetchall()}
    previous = "lag(last_ts) OVER (PARTITION BY case_no ORDER BY step)"
    waits = {row[0]: _stat(row[1], row[2]) for row in cur.execute(f"""
        SELECT step, {_stat_sql('w')} FROM (
            -- greatest() skips NULLs: keep "no previous step" apart from "no wait".
            SELECT step, {_seconds(previous, 'first_ts')} AS gap
            FROM case_step), LATERAL (SELECT greatest(0, gap) AS w)
            WHERE gap IS NOT NULL GROUP BY step""").fetchall()}
    # A step is observed when the log has an activity for one of its sources; a
    # supporting element the log never records says nothing about the funnel.
    logged = {src for _, _, src in rows if src is not None}
    observed = [s.number for s in steps
                if any(n == s.number and src in logged for n, src in step_sources)]
    pairs = list(zip(observed, observed[1:]))
    _table(cur, "pairs", "step INTEGER, next_step INTEGER", pairs)
    lost = dict(cur.execute("""
        SELECT a.step, count(*) FILTER (WHERE b.case_no IS NULL) FROM case_step a
        JOIN pairs p ON p.step = a.step
        LEFT JOIN case_step b ON b.case_no = a.case_no AND b.step = p.next_step
        GROUP BY a.step""").fetchall())
    support_rows = [(s.number, elements[r]) for s in steps for r in ctx.support(s)]
    _table(cur, "support", "step INTEGER, src INTEGER", support_rows)
    conformance = {(st, src): (skipped, after) for st, src, skipped, after in cur.execute("""
        SELECT p.step, p.src, count(*) FILTER (WHERE c.case_no IS NULL),
               count(*) FILTER (WHERE c.first_ts > s.last_ts)
        FROM support p JOIN case_step s ON s.step = p.step
        LEFT JOIN case_src c ON c.case_no = s.case_no AND c.src = p.src
        GROUP BY p.step, p.src""").fetchall()}
    step_emotions, element_emotions, scores, unmatched = (
        survey.emotions(cur, mapper, numbers, elements) if survey is not None
        else ({}, {}, 0, 0))
    next_of = dict(pairs)
    step_measures = []
    for step in steps:
        n = step.number
        how = "direct" if n in direct_steps else ("support" if n in observed else "none")
        cases = reach.get(n, 0)
        nxt = next_of.get(n)
        lost_n = lost.get(n, 0) if nxt is not None else None
        support = []
        for ref in ctx.support(step):
            skipped, after = conformance.get((n, elements[ref]), (0, 0))
            if how != "direct":
                after = None
            support.append(SupportMeasure(ref, ctx.name(ref), skipped, _share(skipped, cases),
                                          after, _share(after, cases)))
        repeated, extra = repeats.get(n, (0, 0))
        step_measures.append(StepMeasure(
            number=n, label=" ".join(step.customer_step.split()),
            moment_of_truth=step.moment_of_truth, observed=how, cases=cases,
            reach=_share(cases, total) if how != "none" else None,
            wait=waits.get(n, Stat(0)), repeated=int(repeated), repeats=int(extra),
            next_step=nxt, lost=lost_n, lost_share=_share(lost_n, cases),
            support=tuple(support), stated_emotion=step.emotion,
            measured_emotion=step_emotions.get(n, Emotion(None, 0)),
            cell=step.supported_by_cell or step.cell,
        ))

    # -- per element ----------------------------------------------------------------
    counts = {src: (occ, cases) for src, occ, cases in cur.execute(
        "SELECT src, sum(n), count(*) FROM case_src WHERE src < ? GROUP BY src",
        [_STEP_SOURCE]).fetchall()}
    # The n-th start pairs with the n-th complete. A single occurrence (the usual
    # case) was paired while grouping; only repeated ones need the window.
    single = (f"SELECT src, {_seconds('first_start', 'first_done')} AS d FROM case_src "
              f"WHERE src < {_STEP_SOURCE} AND starts = 1 AND done = 1")
    cur.execute(f"""CREATE TEMP TABLE repeated AS SELECT case_no, src FROM case_src
        WHERE src < {_STEP_SOURCE} AND starts >= 1 AND done >= 1 AND (starts > 1 OR done > 1)""")
    if cur.execute("SELECT count(*) FROM repeated").fetchone()[0]:
        single += f"""
            UNION ALL
            SELECT s.src, {_seconds('s.ts', 'c.ts')} AS d
            FROM numbered s JOIN numbered c
              ON c.case_no = s.case_no AND c.src = s.src AND c.k = s.k
             AND s.lc = 1 AND c.lc = 2"""
    durations = {row[0]: _stat(row[1], row[2]) for row in cur.execute(f"""
        WITH numbered AS (
            SELECT case_no, src, ts, lc,
                   row_number() OVER (PARTITION BY case_no, src, lc ORDER BY ts) AS k
            FROM ev SEMI JOIN repeated USING (case_no, src)
            WHERE lc = 1 OR lc = 2)
        SELECT src, {_stat_sql('d')} FROM ({single}) WHERE d >= 0 GROUP BY src""").fetchall()}
    element_measures = []
    for src, ref in sorted(refs.items(), key=lambda item: (item[1].model, item[1].element_id)):
        occ, cases = counts.get(src, (0, 0))
        tp = ctx.touchpoints.get(ref)
        stated = feeling(tp.emotions, ctx.persona).score if tp is not None else None
        element_measures.append(ElementMeasure(
            element=ref, name=ctx.name(ref), customer_side=customer[src],
            occurrences=int(occ), cases=int(cases), duration=durations.get(src, Stat(0)),
            stated_emotion=stated,
            measured_emotion=element_emotions.get(src, Emotion(None, 0)),
        ))

    first, last = cur.execute(
        "SELECT strftime(make_timestamp(min(ts)), '%Y-%m-%dT%H:%M:%S.%fZ'), "
        "strftime(make_timestamp(max(ts)), '%Y-%m-%dT%H:%M:%S.%fZ') FROM ev").fetchone()
    info = LogInfo(log.source, log.format, log.events, log.cases, log.bad_rows, first, last,
                   log.time_zones)
    return Measurement(
        log=info, persona=ctx.persona, process_clock=process_stat, customer_clock=customer_stat,
        clock_ratio=ratio, steps=tuple(step_measures), elements=tuple(element_measures),
        activities=tuple(mapped), unmapped=tuple(unmapped),
        survey_scores=scores, survey_unmatched=unmatched,
    )


def _table(cur, name: str, columns: str, rows: List[Tuple]) -> None:
    cur.execute(f"CREATE TEMP TABLE {name} ({columns})")
    if rows:
        cols = [list(c) for c in zip(*rows)]
        unnest = ", ".join("UNNEST(?)" for _ in cols)
        cur.execute(f"INSERT INTO {name} SELECT {unnest}", cols)
