"""Write the samples' simulated event logs (deterministic: same seed, same bytes).

    .venv/bin/python scripts/sample_logs.py

samples/NAME/NAME.log.csv and NAME.log.xes: cases played through the sample's model
by bpmncx.eventlog.simulate, with the customer's own events (looking around before
the case starts, tracking, calling) no model has. ``make demo`` measures them; the
name MODEL.log.csv is the one ``bpmncx batch --log auto`` finds beside a model.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bpmncx import load_model  # noqa: E402
from bpmncx.eventlog import CustomerEvent, Scenario, simulate  # noqa: E402

DAY = 86400


def element(model, name: str) -> str:
    found = [n.id for n in model.nodes if n.name == name]
    assert len(found) == 1, f"{model.name}: {name!r} names {len(found)} elements"
    return found[0]


def online_order(model) -> Scenario:
    gateway = "sid-4260CE86-CA96-FD78-3A56-9EE452A5D423"  # payment authorised?
    return Scenario(
        cases=50, seed=17, arrival=(1800, 4 * 3600), wait=(300, 6 * 3600),
        branches={gateway: {"sid-7AA1CAA0-66DE-2E96-C867-119277832F1D": 4,
                            "sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3": 1}},
        customer_events=(
            CustomerEvent("Compare delivery options and costs", lead=(DAY, 6 * DAY)),
            CustomerEvent("Track the parcel online",
                          after=element(model, "Send tracking link to customer"),
                          delay=(3600, DAY), probability=0.8),
            CustomerEvent("Ask customer service where my parcel is",
                          after=element(model, "Send tracking link to customer"),
                          delay=(DAY, 3 * DAY), probability=0.3),
        ))


def insurance_claim(model) -> Scenario:
    return Scenario(
        cases=50, seed=23, arrival=(3600, 8 * 3600), wait=(1800, 2 * DAY),
        customer_events=(
            CustomerEvent("Find out how to report the damage", lead=(2 * DAY, 8 * DAY)),
            CustomerEvent("Track claim status online",
                          after=element(model, "Confirm receipt of claim"),
                          delay=(DAY, 4 * DAY), probability=0.7),
            CustomerEvent("Get a call-back from a human",
                          after=element(model, "Check claim for completeness"),
                          delay=(DAY, 5 * DAY), probability=0.3),
        ))


SAMPLES = {"online-order": online_order, "insurance-claim": insurance_claim}


def main() -> int:
    for name, scenario_of in SAMPLES.items():
        folder = ROOT / "samples" / name
        model = load_model(str(folder / f"{name}.bpmn"))
        log = simulate(model, scenario_of(model))
        log.write_csv(folder / f"{name}.log.csv")
        log.write_xes(folder / f"{name}.log.xes")
        events = sum(len(c.events) for c in log.cases)
        print(f"{folder / name}.log.csv, .log.xes: {len(log.cases)} cases, {events} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
