"""Make the two filled sample workbooks, as a business owner would fill them.

Run once (``.venv/bin/python samples/_workbooks/fill_workbooks.py``) to create
``samples/*/...-cx.xlsx``. After that the workbooks are the source: when a
sample model changes, carry them over with
``bpmncx template MODEL -o WORKBOOK --update WORKBOOK`` instead of re-running
this script, so that nothing typed into them is lost. The gaps each workbook
was written to contain are listed in ``samples/*/EXPECTED-GAPS.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

import bpmncx
from bpmncx.vocabulary import EMOTION_BY_SCORE, emotion_choice
from bpmncx.workbook import read_annotations, write_template

SAMPLES = Path(__file__).resolve().parent.parent


def pick(score: int) -> str:
    """The emotion as picked from the dropdown."""
    return emotion_choice(EMOTION_BY_SCORE[score])


def headers(ws):
    return {cell.value: cell.column for cell in ws[1] if cell.value is not None}


def fill_touchpoints(ws, model, rows):
    cols = headers(ws)
    by_name = {}
    for node in model.nodes:
        by_name.setdefault(" ".join(node.name.split()), []).append(node.id)
    id_col = cols["Element ID"]
    row_of = {ws.cell(row=r, column=id_col).value: r for r in range(2, ws.max_row + 1)}
    for name, values in rows.items():
        ids = [i for i in by_name[name] if i in row_of]
        assert len(ids) == 1, (name, ids)
        for header, value in values.items():
            ws.cell(row=row_of[ids[0]], column=cols[header], value=value)


def fill_table(ws, rows):
    cols = headers(ws)
    for offset, values in enumerate(rows, start=2):
        for header, value in values.items():
            ws.cell(row=offset, column=cols[header], value=value)


def touchpoint(cf, what="", channel="", stage="", mot="", emotions=(), pain="", opportunity="",
               notes="", personas=()):
    values = {"Customer-facing?": cf}
    for header, value in (("Touchpoint", what), ("Channel", channel), ("Journey stage", stage),
                          ("Moment of truth", mot), ("Pain point", pain),
                          ("Opportunity", opportunity), ("Notes", notes)):
        if value:
            values[header] = value
    for persona, score in zip(personas, emotions):
        if score is not None:
            values[f"Emotion: {persona}"] = pick(score)
    return values


# Physical evidence per journey step (what the customer sees or gets), by sample and step;
# the claim's call-back (step 9) leaves the customer with nothing, on purpose.
EVIDENCE = {
    "insurance-claim": {2: "Online claim form", 3: "Email with the claim number",
                        5: "Upload screen in the app", 6: "Status page without news",
                        8: "Assessor's visit report", 10: "Decision letter",
                        11: "Payout on the bank statement", 12: "Payment confirmation email"},
    "online-order": {1: "Delivery options page", 2: "Checkout and payment pages",
                     3: "Order confirmation email", 4: "My orders page (no change option)",
                     5: "Email with the tracking link", 6: "Carrier's tracking page",
                     7: "Parcel and delivery note", 8: "Chat transcript", 9: "Returns form",
                     10: "Return label (PDF)", 11: "Parcel shop receipt",
                     12: "Refund on the bank statement"},
}


def step(number, stage, what, channel, persona, emotion, mot, supported, pain="", notes="",
         evidence=""):
    values = {"Step": number, "Stage": stage, "Customer step": what, "Persona": persona,
              "Emotion": pick(emotion) if isinstance(emotion, int) else emotion,
              "Moment of truth": "Yes" if mot else "No"}
    for header, value in (("Channel", channel), ("Supported by", supported),
                          ("Pain point", pain), ("Notes", notes), ("Evidence", evidence)):
        if value:
            values[header] = value
    return values


# -- insurance claim -----------------------------------------------------------

CLAIM_PERSONAS = ["First-time claimant", "Small business owner"]
CLAIM_STAGES = ["Incident", "Report", "Documents", "Assessment", "Decision", "Payout"]


def insurance_claim():
    P = CLAIM_PERSONAS
    personas = [
        {"Persona": P[0],
         "Description": "Homeowner, 38, two children. A storm tore tiles off the roof; she has "
                        "never made an insurance claim before.",
         "Goals": "Get the roof fixed before the next rain; know what happens next; be paid "
                  "without a fight.",
         "Frustrations": "Insurance jargon; telling the same story twice; waiting without news.",
         "Preferred channels": "Phone, Email"},
        {"Persona": P[1],
         "Description": "Runs a bakery with four staff. A burst pipe flooded the shop; every day "
                        "closed costs revenue.",
         "Goals": "Reopen fast; one contact person; a payout he can plan with.",
         "Frustrations": "Office-hours-only hotlines; letters instead of calls; vague timelines.",
         "Preferred channels": "Mobile app, Phone"},
    ]
    T = touchpoint
    touchpoints = {
        "Claim received": T("Yes", "I report the damage in the online claim form", "Web", "Report",
                            "Yes", (0, -1), personas=P,
                            pain="The form asks for the policy number, which is only on paper",
                            opportunity="Log in and pre-fill the policy"),
        "Register claim": T("No"),
        "Confirm receipt of claim": T("Yes", "An email with my claim number", "Email", "Report", "No",
                                      (1, 1), personas=P,
                                      pain="Arrives hours later; claim number hard to find"),
        "Check claim for completeness": T("No", notes="Internal check; customer waits 2-5 days"),
        "Request missing documents": T("Yes", "A letter asks for photos and a repair quote", "Post",
                                       "Documents", "No", (-1, -2), personas=P,
                                       pain="Does not say which documents exactly; post takes 3 days",
                                       opportunity="Upload link by email with a checklist"),
        "Receive missing documents": T("Yes", "I send the documents", "Email", "Documents", "No",
                                       (-1, -1), personas=P,
                                       pain="No confirmation that the documents arrived"),
        "No documents after 14 days": T("No"),
        "Send reminder to customer": T("Yes", "A reminder letter about missing documents", "Post",
                                       "Documents", "No", (-1, -2), personas=P,
                                       pain="Often arrives after the documents were already sent",
                                       opportunity="Check the inbox before sending reminders"),
        "Reminder sent": T("No"),
        "Check policy coverage": T("No"),
        "Run fraud screening": T("No"),
        "Inspect damage on site": T("Yes", "An assessor visits to look at the damage", "Field visit",
                                    "Assessment", "Yes", (1, -1), personas=P,
                                    pain="Visit window is a whole day; the bakery stays closed",
                                    opportunity="Two-hour slots; video inspection for small claims"),
        "Assess damage and set payout": T("No"),
        "Send rejection letter": T("Yes", "A letter says the claim is rejected", "Post", "Decision",
                                   "Yes", (-2, -2), personas=P,
                                   pain="Quotes policy clauses, gives no phone number",
                                   opportunity="Call before the letter; explain in plain words"),
        "Claim rejected": T("No"),
        "Approve payout": T("No"),
        "Clarify bank details with customer": T("Yes", "Someone calls to check my bank account",
                                                "Phone", "Payout", "Yes", (-1, -1), personas=P,
                                                pain="Call from an unknown number sounds like fraud",
                                                opportunity="Ask for bank details in the claim form"),
        "Transfer payout": T("Yes", "The money arrives in my account", "Other", "Payout", "Yes",
                             (2, 1), personas=P),
        "Payment failed": T("No"),
        "Send payment confirmation": T("Yes", "An email confirms the payment", "Email", "Payout", "No",
                                       (1, 1), personas=P),
        "Close claim file": T("No"),
        # "Claim settled" left undecided, as owners do
    }
    S = step
    journey = [
        S(1, "Incident", "Find out how to report the damage", "Web", P[0], "anxious", False, "",
          pain="The claims number is hidden three menus deep"),
        S(2, "Report", "Report the claim online", "Web", P[0], 0, True, "Claim received"),
        S(3, "Report", "Get the claim number", "Email", P[0], "relieved", False,
          "Confirm receipt of claim"),
        S(4, "Documents", "Wait while the claim is checked", "", P[0], -1, False,
          "Check claim for completeness", pain="Nobody says how long it takes"),
        S(5, "Documents", "Send photos and the repair quote", "Mobile app", P[1], "frustrated", False,
          "Request missing documents; Receive missing documents",
          pain="The app cannot upload PDF quotes"),
        S(6, "Documents", "Track claim status online", "Web", P[1], -2, True, "",
          pain="Nothing online shows where the claim is"),
        S(7, "Assessment", "Book a time for the assessor's visit", "Phone", P[1], "annoyed", False, "",
          pain="The assessor just turns up in a day-long window"),
        S(8, "Assessment", "Meet the assessor at home", "Field visit", P[0], "reassured", True,
          "Inspect damage on site"),
        S(9, "Assessment", "Get a call-back from a human", "Phone", P[1], "furious", True, "",
          pain="The hotline promises a call-back within 24 hours; nobody calls"),
        S(10, "Decision", "Learn whether the claim is accepted", "Post", P[1], -2, True,
          "Send rejection letter", pain="Only clause numbers, no explanation"),
        S(11, "Payout", "Receive the money", "Other", P[0], "delighted", True, "Transfer payout"),
        S(12, "Payout", "Get the payment confirmation", "Email", P[0], 1, False,
          "Activity_1n2lhr7"),
    ]
    return personas, touchpoints, journey


# -- online order --------------------------------------------------------------

ORDER_PERSONAS = ["First-time buyer", "Regular customer"]


def online_order():
    P = ORDER_PERSONAS
    personas = [
        {"Persona": P[0],
         "Description": "Student, 21, buys a desk lamp here for the first time after seeing an ad.",
         "Goals": "Pay a fair price; know when it arrives; return it easily if it is not right.",
         "Frustrations": "Surprise delivery costs; having to create an account; printing labels.",
         "Preferred channels": "Mobile app, Chat"},
        {"Persona": P[1],
         "Description": "Parent of two, orders household goods every few weeks, mostly in the "
                        "evening on the phone.",
         "Goals": "Reorder quickly; delivery when someone is at home.",
         "Frustrations": "Delivery windows of a whole day; no way to change an order once placed.",
         "Preferred channels": "Mobile app, Email, SMS/messaging"},
    ]
    T = touchpoint
    touchpoints = {
        "Order received": T("Yes", "I place the order and pay", "Web", "Buy/Apply", "Yes", (0, 1),
                            personas=P, pain="Checkout forces me to create an account",
                            opportunity="Guest checkout"),
        "Send order confirmation": T("Yes", "Order confirmation email", "Email", "Buy/Apply", "No",
                                     (1, 1), personas=P),
        "Authorise payment": T("No"),
        "Cancel order and inform customer": T("Yes", "An email says my order was cancelled", "Email",
                                              "Buy/Apply", "Yes", (-2, -2), personas=P,
                                              pain="No reason given; the money stays blocked for days",
                                              opportunity="Say why and offer another way to pay"),
        "Order cancelled": T("No"),
        "Refund payment": T("Yes", "The money is back on my card", "Other", "Get help", "Yes",
                            (1, 1), personas=P),
        "Send refund confirmation": T("Yes", "Refund confirmation email", "Email", "Get help", "No",
                                      (1, 2), personas=P),
        "Return request received": T("Yes", "I ask to return an item", "Web", "Get help", "No",
                                     (0, -1), personas=P,
                                     pain="The return form is hidden in the account settings"),
        "30 days after delivery": T("No"),
        "Register return": T("No"),
        "Close order": T("No"),
        "Send return label": T("Yes", "A return label by email", "Email", "Get help", "No", (-1, 0),
                               personas=P, pain="The label must be printed; I have no printer",
                               opportunity="A QR code to show at the parcel shop"),
        "Order completed": T("No"),
        "Returned parcel received": T("No", notes="The customer hands the parcel in at a parcel shop"),
        "Explain rejected return": T("Yes", "An email says my return was rejected", "Email", "Get help",
                                     "Yes", (-2, -2), personas=P,
                                     pain="Rejected for 'signs of use' without a photo",
                                     opportunity="Show the inspection photos"),
        "Return rejected": T("No"),
        "Pick items": T("No"),
        "Pack parcel": T("No"),
        "Inspect returned items": T("No"),
        "Send items back to customer": T("Yes", "The rejected items come back to me", "Post",
                                         "Get help", "No", (-1, -1), personas=P),
        "Book parcel pickup": T("No"),
        "Parcel picked up": T("No"),
        "Send tracking link to customer": T("Yes", "A tracking link by email", "Email", "Use", "No",
                                            (1, 1), personas=P),
        "Pickup order received": T("No"),
        "Collect parcel at warehouse": T("No"),
        "Pickup confirmed": T("No"),
        "Deliver parcel to customer": T("Yes", "The courier brings my parcel", "In person", "Use",
                                        "Yes", (2, 1), personas=P,
                                        pain="Delivery window 8:00-18:00; often nobody is home",
                                        opportunity="Choose a two-hour slot or a pickup point"),
    }
    S = step
    journey = [
        S(1, "Choose", "Compare delivery options and costs", "Web", P[0], "confused", False, "",
          pain="Delivery costs only appear at the last checkout step"),
        S(2, "Buy/Apply", "Place the order and pay", "Web", P[0], 0, True,
          "Order received, Authorise payment"),
        S(3, "Buy/Apply", "Get the order confirmation", "Email", P[0], "relieved", False,
          "Send order confirmation"),
        S(4, "Use", "Change the delivery address after ordering", "Web", P[1], "furious", True, "",
          pain="Not possible; support says cancel and order again"),
        S(5, "Use", "Get the tracking link", "SMS/messaging", P[1], 1, False,
          "Send tracking link to customer", notes="She never reads shop emails on the phone"),
        S(6, "Use", "Track the parcel online", "Web", P[1], "anxious", False, "",
          pain="The courier's page shows nothing for a day"),
        S(7, "Use", "Receive the parcel at home", "In person", P[1], "delighted", True,
          "Deliver parcel to customer"),
        S(8, "Get help", "Ask customer service where my parcel is", "Phone", P[0], -2, True, "",
          pain="Hotline closed in the evening; no chat"),
        S(9, "Get help", "Request a return online", "Web", P[0], "confused", False,
          "Return request received\nRegister return"),
        S(10, "Get help", "Print the return label", "Email", P[0], "frustrated", False,
          "Send return label", pain="No printer at home"),
        S(11, "Get help", "Drop the parcel at the parcel shop", "In person", P[0], 0, False,
          "Returned parcel received"),
        S(12, "Renew/Leave", "Get my money back", "Email", P[0], "relieved", True,
          "Refund payment; Send refund confirmation"),
    ]
    return personas, touchpoints, journey


def make(model_path: Path, workbook: Path, personas_names, stages, content) -> None:
    model = bpmncx.load_model(model_path)
    if workbook.exists() and "--force" not in sys.argv:
        sys.exit(f"{workbook} exists: it is the source now; carry it over to a changed model with "
                 "'bpmncx template MODEL -o WORKBOOK --update WORKBOOK' (or pass --force to "
                 "overwrite it, which keeps a .bak copy)")
    write_template([model], workbook, personas=personas_names, stages=stages)
    personas, touchpoints, journey = content()
    for values in journey:
        evidence = EVIDENCE.get(model_path.stem, {}).get(values["Step"])
        if evidence:
            values["Evidence"] = evidence
    wb = openpyxl.load_workbook(workbook)
    fill_table(wb["Personas"], personas)
    fill_touchpoints(wb["Touchpoints"], model, touchpoints)
    fill_table(wb["Journey"], journey)
    wb.save(workbook)
    # openpyxl saved it; write it once more through bpmncx for deterministic bytes
    from bpmncx.workbook.update import update_workbook

    result = update_workbook(workbook, [model], workbook, personas=personas_names, stages=stages)
    if result.backup:  # the openpyxl-saved copy made a moment ago: nothing of value
        Path(result.backup).unlink()
    annotations = read_annotations(workbook, [model])
    for problem in annotations.problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    assert not annotations.problems, "the sample workbook must validate cleanly"
    print(f"wrote {workbook.relative_to(SAMPLES.parent)}: {len(annotations.journey)} journey steps, "
          f"{sum(1 for s in annotations.journey if not s.supported_by)} unsupported")


def main() -> None:
    make(SAMPLES / "insurance-claim" / "insurance-claim.bpmn",
         SAMPLES / "insurance-claim" / "insurance-claim-cx.xlsx", CLAIM_PERSONAS, CLAIM_STAGES,
         insurance_claim)
    make(SAMPLES / "online-order" / "online-order.bpmn",
         SAMPLES / "online-order" / "online-order-cx.xlsx", ORDER_PERSONAS, None, online_order)


if __name__ == "__main__":
    main()
