"""Webshop order to delivery, with returns.

Pools: Customer (black box, top), Webshop (lanes Sales, Customer service,
Warehouse, Shipping), Logistics partner (lane Parcel service, bottom).
"""

from __future__ import annotations

import signavio_style
from diagram import Diagram


def build() -> bytes:
    d = Diagram(signavio_style.style(seed=20261124))
    st = d.style

    left, width = 30, 2500
    d.pool("customer", "Customer", left, 30, width, 60)
    d.pool("shop", "Webshop", left, 150, width, 780, process="shop")
    d.lane("sales", "Sales", "shop", left + 30, 150, width - 30, 180)
    d.lane("service", "Customer service", "shop", left + 30, 330, width - 30, 240)
    d.lane("warehouse", "Warehouse", "shop", left + 30, 570, width - 30, 180)
    d.lane("shipping", "Shipping", "shop", left + 30, 750, width - 30, 180)
    d.pool("carrier", "Logistics partner", left, 990, 1300, 180, process="carrier")
    d.lane("parcel", "Parcel service", "carrier", left + 30, 990, 1270, 180)
    processes = {"shop": (st.new_id("Process"), "Webshop"),
                 "carrier": (st.new_id("Process"), "Logistics partner")}

    sales, cs_a, cs_b, wh, sh, lp = 240, 400, 510, 660, 840, 1080

    # -- Sales ----------------------------------------------------------------
    d.node("start", "startEvent", "Order received", 110, sales, lane="sales", event="message")
    d.node("confirm", "sendTask", "Send order\nconfirmation", 240, sales, lane="sales")
    d.seq("start", "confirm")
    d.node("authorise", "serviceTask", "Authorise payment", 370, sales, lane="sales")
    d.seq("confirm", "authorise")
    d.node("paid", "exclusiveGateway", "Payment authorised?", 500, sales, lane="sales",
           label="above")
    d.seq("authorise", "paid")
    d.node("cancel", "sendTask", "Cancel order and inform customer", 630, sales, lane="sales")
    d.seq("paid", "cancel", name="no", label_at=(526, 224), condition="paymentStatus = 'declined'")
    d.node("cancelled", "endEvent", "Order cancelled", 760, sales, lane="sales")
    d.seq("cancel", "cancelled")

    # -- Warehouse --------------------------------------------------------------
    d.node("pick", "userTask", "Pick items", 500, wh, lane="warehouse")
    d.seq("paid", "pick", out="b", into="t", name="yes", label_at=(506, 268), default=True)
    d.node("picklist", "dataObjectReference", "Picking list", 380, wh, pool="shop")
    d.assoc("picklist", "pick", "dataIn")
    d.node("pack", "manualTask", "Pack parcel", 640, wh, lane="warehouse")
    d.seq("pick", "pack")

    # -- Shipping + logistics partner -----------------------------------------
    d.node("book", "sendTask", "Book parcel pickup", 640, sh, lane="shipping")
    d.seq("pack", "book", out="b", into="t")
    d.node("picked", "intermediateCatchEvent", "Parcel picked up", 880, sh, lane="shipping",
           event="message", label="above")
    d.seq("book", "picked")
    d.node("tracking", "sendTask", "Send tracking link to customer", 1010, sh, lane="shipping")
    d.seq("picked", "tracking")
    d.node("delivered", "intermediateCatchEvent", "Delivery confirmed", 1140, sh,
           lane="shipping", event="message", label="right")
    d.seq("tracking", "delivered")

    d.node("c_start", "startEvent", "Pickup order received", 640, lp, lane="parcel",
           event="message")
    d.node("collect", "task", "Collect parcel at warehouse", 760, lp, lane="parcel")
    d.seq("c_start", "collect")
    d.node("c_picked", "intermediateThrowEvent", "Pickup confirmed", 880, lp, lane="parcel",
           event="message")
    d.seq("collect", "c_picked")
    d.node("deliver", "task", "Deliver parcel to customer", 1010, lp, lane="parcel")
    d.seq("c_picked", "deliver")
    d.node("c_done", "endEvent", "Delivery confirmed", 1140, lp, lane="parcel", event="message")
    d.seq("deliver", "c_done")

    # -- Customer service: return window ----------------------------------------
    d.node("wait", "eventBasedGateway", None, 1230, cs_a, lane="service")
    d.seq("delivered", "wait", out="t", into="l")
    d.node("return_req", "intermediateCatchEvent", "Return request received", 1330, cs_a,
           lane="service", event="message")
    d.seq("wait", "return_req")
    d.node("window", "intermediateCatchEvent", "30 days after delivery", 1330, cs_b,
           lane="service", event="timer", label="above")
    d.nodes["window"].extra["duration"] = "P30D"
    d.seq("wait", "window", out="b", into="l")
    d.node("close", "serviceTask", "Close order", 1460, cs_b, lane="service")
    d.seq("window", "close")
    d.node("completed", "endEvent", "Order completed", 1590, cs_b, lane="service")
    d.seq("close", "completed")
    d.node("register", "userTask", "Register return", 1460, cs_a, lane="service")
    d.seq("return_req", "register")
    d.node("label", "sendTask", "Send return label", 1590, cs_a, lane="service")
    d.seq("register", "label")
    d.node("returned", "intermediateCatchEvent", "Returned parcel received", 1720, cs_a,
           lane="service", event="message", label="right")
    d.seq("label", "returned")
    d.annotation("window_note", "Return window 30 days (longer than the legal 14 days)",
                 1230, 600, 200, 50, pool="shop")
    d.assoc("window_note", "window", points=[(1330, 600), (1330, 525)])

    # -- Returns in the warehouse, refund in sales --------------------------------
    d.node("inspect", "userTask", "Inspect returned items", 1720, wh, lane="warehouse")
    d.seq("returned", "inspect", out="b", into="t")
    d.node("resaleable", "exclusiveGateway", "Items resaleable?", 1850, wh, lane="warehouse")
    d.seq("inspect", "resaleable")
    d.node("refund", "serviceTask", "Refund payment", 1980, sales, lane="sales")
    d.seq("resaleable", "refund", out="t", into="l", name="yes", label_at=(1856, 610),
          default=True)
    d.node("refund_note", "sendTask", "Send refund confirmation", 2110, sales, lane="sales")
    d.seq("refund", "refund_note")
    d.node("return_done", "endEvent", "Return completed", 2240, sales, lane="sales")
    d.seq("refund_note", "return_done")
    d.node("send_back", "manualTask", "Send items back to customer", 1990, wh,
           lane="warehouse")
    d.nodes["send_back"].colour = ("#000000", "#ffcccc")
    d.seq("resaleable", "send_back", name="no", label_at=(1876, 642),
          condition="itemCondition = 'damaged'")
    d.node("explain", "sendTask", "Explain rejected return", 2340, cs_a, lane="service")
    d.seq("send_back", "explain", out="r", into="b")
    d.node("rejected", "endEvent", "Return rejected", 2460, cs_a, lane="service")
    d.nodes["rejected"].colour = ("#000000", "#ffcccc")
    d.seq("explain", "rejected")

    # -- messages -----------------------------------------------------------------
    d.msg("customer", "start", "Order placed")
    d.msg("confirm", "customer", "Order confirmation")
    d.msg("cancel", "customer", "Cancellation e-mail")
    d.msg("tracking", "customer", "Tracking link")
    d.msg("customer", "return_req", "Return request")
    d.msg("label", "customer", "Return label")
    d.msg("customer", "returned", "Returned parcel")
    d.msg("refund_note", "customer", "Refund confirmation")
    d.msg("explain", "customer", "Return rejected e-mail")
    d.msg("book", "c_start", "Pickup order", label_at=(646, 942))
    d.msg("c_picked", "picked", "Pickup confirmation", label_at=(886, 942))
    d.msg("c_done", "delivered", "Proof of delivery", label_at=(1146, 942))

    return signavio_style.serialise(d, processes=processes)
