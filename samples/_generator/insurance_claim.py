"""Northwind Insurance: motor/household claim from first notice to payout.

Customer (black box) on top; the insurer pool has three lanes: Claims intake,
Assessment, Payments. Work moves down the lanes as a staircase, so every
message flow to the customer runs through empty lane space.
"""

from __future__ import annotations

import camunda_style
from diagram import Diagram

ORANGE = ("#fb8c00", "#ffe0b2")
RED = ("#e53935", "#ffcdd2")


def build() -> bytes:
    d = Diagram(camunda_style.style(seed=20261123))
    st = d.style
    definitions_id = st.new_id("Definitions")
    collaboration_id = st.new_id("Collaboration")
    process_id = st.new_id("Process")

    left, width = 160, 2650
    d.pool("customer", "Customer", left, 60, width, 60)
    d.pool("insurer", "Northwind Insurance", left, 180, width, 1020, process="claims")
    d.lane("intake", "Claims intake", "insurer", left + 30, 180, width - 30, 380)
    d.lane("assessment", "Assessment", "insurer", left + 30, 560, width - 30, 360)
    d.lane("payments", "Payments", "insurer", left + 30, 920, width - 30, 280)

    messages = {
        "claim": (st.new_id("Message"), "ClaimSubmitted"),
        "docs": (st.new_id("Message"), "DocumentsReceived"),
    }
    errors = {"payment": (st.new_id("Error"), "Payment failed", "PAYMENT_FAILED")}

    # -- Claims intake ------------------------------------------------------
    top_row, reminder_row, main_row = 250, 370, 480
    d.node("start", "startEvent", "Claim received", 250, main_row, lane="intake",
           event="message", messageRef="claim")
    d.node("register", "serviceTask", "Register claim", 370, main_row, lane="intake",
           camunda_type="external", camunda_topic="register-claim")
    d.seq("start", "register")
    d.node("confirm", "sendTask", "Confirm receipt of claim", 520, main_row, lane="intake",
           camunda_type="external", camunda_topic="send-receipt-confirmation")
    d.seq("register", "confirm")
    d.node("check", "userTask", "Check claim for completeness", 670, main_row, lane="intake",
           camunda_candidateGroups="claims-intake")
    d.seq("confirm", "check")
    d.node("complete", "exclusiveGateway", "Claim complete?", 810, main_row, lane="intake")
    d.seq("check", "complete")
    d.node("request", "sendTask", "Request missing documents", 930, top_row, lane="intake",
           camunda_type="external", camunda_topic="send-document-request")
    d.seq("complete", "request", out="t", into="l", name="no", label_at=(816, 418),
          condition="${!claimComplete}")
    d.node("receive", "receiveTask", "Receive missing documents", 1080, top_row, lane="intake",
           messageRef="docs")
    d.seq("request", "receive")
    d.boundary("timer", "timer", "No documents after 14 days", "receive", side="b",
               offset=32, cancel=False, label="right")
    d.nodes["timer"].extra["duration"] = "P14D"
    d.nodes["timer"].label.y = 300
    d.node("remind", "sendTask", "Send reminder to customer", 1250, reminder_row,
           lane="intake", camunda_type="external", camunda_topic="send-document-reminder")
    d.seq("timer", "remind", out="b", into="l")
    d.node("reminded", "endEvent", "Reminder sent", 1380, reminder_row, lane="intake")
    d.seq("remind", "reminded")
    d.node("merge_docs", "exclusiveGateway", None, 1080, main_row, lane="intake")
    d.seq("receive", "merge_docs", out="b", into="t")
    d.seq("complete", "merge_docs", name="yes", label_at=(848, 460), default=True)

    d.node("claims_db", "dataStoreReference", "Claims system", 370, 625, pool="insurer")
    d.assoc("register", "claims_db", "dataOut")
    d.annotation("checklist", "Checklist: claim form, photos of the damage, "
                 "repair estimate, police report for theft", 575, 335, 190, 60, pool="insurer")
    d.assoc("check", "checklist", points=[(670, 440), (670, 395)])

    # -- Assessment ---------------------------------------------------------
    r0, r1, r2 = 620, 740, 860
    d.node("coverage", "businessRuleTask", "Check policy coverage", 1080, r1, lane="assessment",
           camunda_decisionRef="policy-coverage", camunda_resultVariable="coverage",
           camunda_mapDecisionResult="singleEntry")
    d.seq("merge_docs", "coverage", out="b", into="t")
    d.node("policy_db", "dataStoreReference", "Policy administration system", 1080, 855,
           pool="insurer")
    d.assoc("policy_db", "coverage", "dataIn")
    d.node("covered", "exclusiveGateway", "Covered by policy?", 1210, r1, lane="assessment")
    d.seq("coverage", "covered")
    d.node("split", "parallelGateway", None, 1320, r1, lane="assessment")
    d.seq("covered", "split", name="yes", label_at=(1244, 720), default=True)
    d.node("fraud", "callActivity", "Run fraud screening", 1450, r1, lane="assessment",
           calledElement="fraud-screening")
    d.seq("split", "fraud")
    d.node("inspect", "manualTask", "Inspect damage on site", 1450, r2, lane="assessment")
    d.seq("split", "inspect", out="b", into="l")
    d.node("join", "parallelGateway", None, 1580, r1, lane="assessment")
    d.seq("fraud", "join")
    d.seq("inspect", "join", out="r", into="b")
    d.node("assess", "userTask", "Assess damage and set payout", 1710, r1,
           lane="assessment", camunda_candidateGroups="claims-assessment")
    d.seq("join", "assess")
    d.node("report", "dataObjectReference", "Assessment report", 1710, 855, pool="insurer")
    d.assoc("assess", "report", "dataOut")
    d.node("approved", "exclusiveGateway", "Claim approved?", 1850, r1, lane="assessment")
    d.seq("assess", "approved")
    d.node("reject", "sendTask", "Send rejection letter", 1850, r0, lane="assessment",
           camunda_type="external", camunda_topic="send-decision-letter")
    d.seq("covered", "reject", out="t", into="l", name="no", label_at=(1216, 680),
          condition="${coverage == 'none'}")
    d.seq("approved", "reject", out="t", into="b", name="no", label_at=(1856, 676),
          condition="${!claimApproved}")
    d.node("rejected", "endEvent", "Claim rejected", 1990, r0, lane="assessment")
    d.nodes["rejected"].colour = RED
    d.seq("reject", "rejected")

    # -- Payments -----------------------------------------------------------
    p1, p2 = 1000, 1120
    d.node("approve", "userTask", "Approve payout", 2040, p1, lane="payments",
           camunda_candidateGroups="payment-approvers")
    d.nodes["approve"].colour = ORANGE
    d.seq("approved", "approve", out="r", into="t", name="yes", label_at=(1884, 720),
          default=True)
    d.node("retry", "exclusiveGateway", None, 2170, p1, lane="payments")
    d.seq("approve", "retry")
    d.node("transfer", "serviceTask", "Transfer payout", 2300, p1, lane="payments",
           camunda_type="external", camunda_topic="transfer-payout")
    d.seq("retry", "transfer")
    d.boundary("failed", "error", "Payment failed", "transfer", side="b", offset=-30,
               label="right", errorRef="payment")
    d.nodes["failed"].label.y = 1046
    d.node("clarify", "userTask", "Clarify bank details with customer", 2170, p2,
           lane="payments", camunda_candidateGroups="payments")
    d.seq("failed", "clarify", out="b", into="r")
    d.seq("clarify", "retry", out="t", into="b")
    d.node("notify", "sendTask", "Send payment confirmation", 2450, p1, lane="payments",
           camunda_type="external", camunda_topic="send-payment-confirmation")
    d.seq("transfer", "notify")
    d.node("close", "serviceTask", "Close claim file", 2600, p1, lane="payments",
           camunda_type="external", camunda_topic="close-claim")
    d.seq("notify", "close")
    d.node("settled", "endEvent", "Claim settled", 2730, p1, lane="payments")
    d.seq("close", "settled")

    # -- messages with the customer -----------------------------------------
    d.msg("customer", "start", "Claim submitted")
    d.msg("confirm", "customer", "Receipt confirmation")
    d.msg("request", "customer", "Documents requested")
    d.msg("customer", "receive", "Documents sent")
    d.msg("remind", "customer", "Reminder")
    d.msg("reject", "customer", "Decision letter")
    d.msg("notify", "customer", "Payment notification")

    return camunda_style.serialise(
        d, definitions_id=definitions_id, collaboration_id=collaboration_id,
        processes={"claims": (process_id, True)}, messages=messages, errors=errors)
