"""What the firm's CRM system holds, part 2: the tables built after the monthly loop
(managers and assignments, invoices and credit lists, service tickets, campaigns, the
roll-out, the customer master records) and their truth tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from crmlab._schema import (
    CAMPAIGN_GROUPS,
    CREDIT_LISTS,
    CREDIT_REASONS,
    RECORD_VARIANTS,
    REGIONS,
)
from crmlab.simulate._crm import month_start
from crmlab.simulate._crm_params import (
    BLACK_DAYS,
    CAMPAIGNS,
    DUPLICATE_ORDER_SHARE,
    DUPLICATE_SHARE,
    FIRST_RESPONSE_HOURS,
    GO_LIVE,
    GREY_DAYS,
    NEW_PHONE_SHARE,
    RED_LOST_DAYS,
    RED_STREAK,
    SECOND_DUPLICATE_SHARE,
    TICKET_CHANNEL_P,
    TICKET_CHANNELS,
    UPLIFT_CLASSES,
    VARIANT_P,
    VARIANTS,
)
from crmlab.simulate._names import FirmNames
from crmlab.simulate._params import END, N_MONTHS
from crmlab.simulate._population import _ids, _sort_order
from crmlab.simulate._tables import _cat

_END = np.datetime64(END.date(), "D")


def _group_cumsum(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarting where ``start`` is True (rows sorted by
    group)."""
    total = np.cumsum(values)
    first = np.maximum.accumulate(np.where(start, np.arange(values.size), 0))
    return total - (total[first] - values[first])


class _CRMTables:
    """Tables of the CRM system (mixin of ``_Simulation``), built after the loop."""

    rng: np.random.Generator
    n: int

    def _crm_tables(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The CRM's tables; adds ``manager_id`` and ``credit_limit`` to ``customers`` and
        ``record_id`` to ``orders`` in place."""
        self._crm_accumulate(N_MONTHS - 1)
        if N_MONTHS - 1 not in self._followup:  # incidents of the last month
            self._crm_follow_ups(N_MONTHS - 1, N_MONTHS)
        customers, orders = tables["customers"], tables["orders"]
        assignments = self._assignments()
        customers["manager_id"] = self.mgr_ids_str.take(self._last_manager, allow_fill=True)
        customers["credit_limit"] = self._credit_limit()
        invoices = self._invoices(orders)
        records, truth_records, record_of_order = self._records(orders)
        orders["record_id"] = record_of_order
        members, truth_campaign = self._campaign_members()
        return {
            "managers": self._managers(),
            "assignments": assignments,
            "invoices": invoices,
            "credit_lists": self._credit_lists(invoices),
            "tickets": self._tickets(tables["incidents"]),
            "campaigns": self._campaign_table(),
            "campaign_members": members,
            "crm_rollout": pd.DataFrame(
                {"region": list(GO_LIVE), "go_live_date": pd.to_datetime(list(GO_LIVE.values()))}
            ),
            "records": records,
            "truth_campaign": truth_campaign,
            "truth_records": truth_records,
            "truth_managers": pd.DataFrame(
                {"manager_id": self.mgr_ids, "skill": np.round(self.mgr_skill, 4)}
            ),
        }

    # --- managers ------------------------------------------------------------------
    def _managers(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "manager_id": self.mgr_ids,
                "region": np.array(REGIONS, dtype=object)[self.mgr_region],
                "hire_date": np.array(self.mgr_hire),
                "leave_date": np.array(self.mgr_leave),
            }
        )

    def _assignments(self) -> pd.DataFrame:
        """One row per (customer, manager) spell; a spell starting after the customer's
        churn is dropped and the last spell ends at the churn date (open if active)."""
        self.mgr_ids = self._manager_ids()
        self.mgr_ids_str = pd.array(self.mgr_ids, dtype="str")
        c, mgr, start = (np.concatenate(x) for x in zip(*self._assign_log, strict=True))
        seq = np.arange(c.size)
        order = _sort_order(seq, start, c)
        c, mgr, start = c[order], mgr[order], start[order]
        churn = self.churn_date[c]
        keep = np.isnat(churn) | (start <= churn)
        c, mgr, start, churn = c[keep], mgr[keep], start[keep], churn[keep]
        same_next = np.append((c[1:] == c[:-1]) & (start[1:] == start[:-1]), False)
        c, mgr, start, churn = (a[~same_next] for a in (c, mgr, start, churn))
        last = np.append(c[1:] != c[:-1], True)
        end = np.where(last, churn, np.append(start[1:], start[-1:]) - 1)
        self._last_manager = np.full(self.n, -1)  # of each customer (-1: none)
        self._last_manager[c[last]] = mgr[last]
        frame = pd.DataFrame(
            {
                "customer_id": self.ids_str.take(c),
                "manager_id": self.mgr_ids_str.take(mgr),
                "start_date": start,
                "end_date": end,
            }
        )
        return frame

    # --- credit ------------------------------------------------------------------------
    def _credit_limit(self) -> np.ndarray:
        """Twice the expected purchases over the payment term, rounded up to 10,000 yuan
        (at least 10,000): what a credit manager would set from the customer's size."""
        monthly = self.rate / 12 * self._mean_order_value()
        limit = 2 * monthly * self.payment_terms / 30
        return np.maximum(10_000.0, np.ceil(limit / 10_000) * 10_000)

    def _invoices(self, orders: pd.DataFrame) -> pd.DataFrame:
        """One invoice per sale (not per return): due after the payment term, paid
        ``days_late`` days after the due date unless defaulted or paid after 2024."""
        is_sale = ~orders["is_return"].to_numpy()
        self._inv_cust = ci = self._order_customer[is_sale]
        inv_date = orders["order_date"].to_numpy()[is_sale].astype("datetime64[D]")
        due = inv_date + self.payment_terms[ci].astype("timedelta64[D]")
        late = orders["days_late"].to_numpy(dtype=np.int64, na_value=0)[is_sale]
        late = late.astype("timedelta64[D]")
        paid = due + late
        self._invoice_defaulted = orders["defaulted"].to_numpy()[is_sale]
        unpaid = self._invoice_defaulted | (paid > _END)
        paid = np.where(unpaid, np.datetime64("NaT"), paid)
        overdue = np.where(unpaid, np.maximum((_END - due).astype(int), 0), late.astype(int))
        return pd.DataFrame(
            {
                "invoice_id": _ids("B", ci.size, 7),
                "customer_id": orders["customer_id"].array[is_sale],
                "order_id": orders["order_id"].array[is_sale],
                "invoice_date": inv_date,
                "due_date": due,
                "amount": orders["amount"].to_numpy()[is_sale],
                "paid_date": paid,
                "days_overdue": overdue.astype(np.int64),
            }
        )

    def _credit_lists(self, invoices: pd.DataFrame) -> pd.DataFrame:
        """List moves derived from the invoices, by a state machine run on the events of
        each customer in date order: black once a defaulted invoice is 90 days overdue
        (for good); grey while an invoice is unpaid more than 30 days after its due date;
        red after 6 on-time payments in a row (a payment 15+ days late or a grey event
        resets the count); none otherwise."""
        cust = self._inv_cust  # customer positions (integers sort fast)
        due = invoices["due_date"].to_numpy().astype("datetime64[D]")
        paid = invoices["paid_date"].to_numpy().astype("datetime64[D]")
        over = invoices["days_overdue"].to_numpy()
        is_paid = ~np.isnat(paid)
        defaulted = self._invoice_defaulted
        grey_day = due + GREY_DAYS + 1
        went_grey = (over > GREY_DAYS) & (grey_day <= _END)
        black_day = due + BLACK_DAYS + 1
        went_black = defaulted & (black_day <= _END)
        # events: kind 0 pay, 1 grey, 2 black
        ev_c = np.concatenate([cust[is_paid], cust[went_grey], cust[went_black]])
        ev_d = np.concatenate([paid[is_paid], grey_day[went_grey], black_day[went_black]])
        kind = np.repeat([0, 1, 2], [is_paid.sum(), went_grey.sum(), went_black.sum()])
        late = np.concatenate([over[is_paid], np.zeros(went_grey.sum() + went_black.sum(), int)])
        grey_paid = np.concatenate(
            [over[is_paid] > GREY_DAYS, np.zeros(went_grey.sum() + went_black.sum(), bool)]
        )
        order = _sort_order(kind, ev_d, ev_c)
        ev_c, ev_d, kind, late, grey_paid = (a[order] for a in (ev_c, ev_d, kind, late, grey_paid))
        first = np.append(True, ev_c[1:] != ev_c[:-1])
        delta = np.where(kind == 1, 1, 0) - grey_paid.astype(int)
        open_grey = _group_cumsum(delta, first)
        black = _group_cumsum((kind == 2).astype(int), first) > 0
        reset = (kind >= 1) | ((kind == 0) & (late >= RED_LOST_DAYS))
        on_time = ((kind == 0) & (late == 0)).astype(int)
        streak = _group_cumsum(on_time, first | reset)
        state = np.where(black, 3, np.where(open_grey > 0, 2, np.where(streak >= RED_STREAK, 1, 0)))
        prev = np.where(first, 0, np.append(0, state[:-1]))
        move = state != prev
        reason = np.select(
            [state == 3, state == 2, prev == 2, state == 1],
            [4, 2, 3, 0],
            default=1,  # red -> none after a late payment
        )
        # by date, then by customer (the ids sort as the positions do)
        ev_c, ev_d, state, reason = (a[move] for a in (ev_c, ev_d, state, reason))
        order = _sort_order(ev_c, ev_d)
        return pd.DataFrame(
            {
                "customer_id": self.ids_str.take(ev_c[order]),
                "list_date": ev_d[order],
                "list": _cat(state[order], CREDIT_LISTS),
                "reason": _cat(reason[order], CREDIT_REASONS),
            }
        )

    # --- service tickets -----------------------------------------------------------
    def _crm_day_in_month(self, month: np.ndarray, who: np.ndarray) -> np.ndarray:
        """A day in ``month`` while ``who`` was a customer (the CRM's own draws)."""
        first = month_start(month)
        last = month_start(month + 1) - 1
        lo = np.maximum(first, self.acq_date[who])
        churned = ~np.isnat(self.churn_date[who])
        hi = np.where(churned, np.minimum(last, self.churn_date[who]), last)
        span = (hi - lo).astype(int) + 1
        return lo + (self.crm_rng.random(month.size) * span).astype(int)

    def _tickets(self, incidents: pd.DataFrame) -> pd.DataFrame:
        """A ticket for every incident (its handling as recorded in ``incidents``) and for
        every enquiry: channel, first response, resolution, escalation, follow-up."""
        rng = self.crm_rng
        c, m, _, sev, well = self._incidents_raw
        pos = np.empty(c.size, dtype=int)  # row in ``incidents`` of each incident
        pos[self._incident_order] = np.arange(c.size)
        inc_day = incidents["incident_date"].to_numpy().astype("datetime64[D]")[pos]
        res_days = incidents["resolution_days"].to_numpy()[pos]
        resolved = incidents["resolved"].to_numpy()[pos]
        visit = np.concatenate([self._followup[k] for k in range(N_MONTHS)])
        e_c, e_m = (np.concatenate(x) for x in zip(*self._enquiries, strict=True))
        e_day = self._crm_day_in_month(e_m, e_c)
        k_inc, k_enq = c.size, e_c.size
        who = np.concatenate([c, e_c])
        day = np.concatenate([inc_day, e_day])
        k = who.size
        opened = day.astype("datetime64[m]") + (rng.uniform(8, 20, k) * 60).astype(int)
        channel = rng.choice(len(TICKET_CHANNELS), k, p=TICKET_CHANNEL_P)
        base = np.array([FIRST_RESPONSE_HOURS[ch] for ch in TICKET_CHANNELS])[channel]
        response = base * rng.lognormal(0, 0.5, k) * self._response_mult(self.region[who], day)
        response = np.round(response, 2)
        inc_res = np.where(resolved, res_days * 24 + rng.uniform(1, 23, k_inc), np.nan)
        enq_res = rng.lognormal(np.log(6), 0.7, k_enq)
        resolution = np.round(np.maximum(np.concatenate([inc_res, enq_res]), response + 0.25), 2)
        resolution[:k_inc][~resolved] = np.nan
        p_esc = np.concatenate([0.05 + 0.12 * (sev - 1) + 0.25 * ~well, np.full(k_enq, 0.03)])
        escalated = rng.random(k) < p_esc
        handled = np.concatenate([well, rng.random(k_enq) < 0.9])
        # by time, then by customer (the ids sort as the positions do)
        order = _sort_order(who, opened)
        incident_row = np.concatenate([pos, np.full(k_enq, -1)])  # -1: an enquiry
        return pd.DataFrame(
            {
                "ticket_id": _ids("T", k, 7),
                "customer_id": self.ids_str.take(who[order]),
                "incident_id": incidents["incident_id"].array.take(
                    incident_row[order], allow_fill=True
                ),
                "opened_at": opened.astype("datetime64[ns]")[order],
                "channel": _cat(channel[order], TICKET_CHANNELS),
                "first_response_hours": response[order],
                "resolution_hours": resolution[order],
                "escalated": escalated[order],
                "follow_up_visit": np.concatenate([visit, np.zeros(k_enq, bool)])[order],
                "handled_well": handled[order],
            }
        )

    # --- campaigns -----------------------------------------------------------------
    def _campaign_table(self) -> pd.DataFrame:
        frame = CAMPAIGNS.copy()
        for col in ("start_date", "end_date"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def _campaign_members(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Members (eligible customers, randomised) with the contact date of the treated
        (in the first two weeks, not after leaving); their latent class and true effect."""
        rng = self.crm_rng
        members, truth = [], []
        for c in self._campaigns:
            w, t = c["members"], c["treated"]
            contact = month_start(c["month"]) + rng.integers(0, 14, w.size)
            churn = self.churn_date[w]
            contact = np.where(~np.isnat(churn) & (churn < contact), churn, contact)
            contact = np.where(t, contact, np.datetime64("NaT"))
            members.append(
                pd.DataFrame(
                    {
                        "campaign_id": c["campaign_id"],
                        "customer_id": self.ids_str.take(w),
                        "group": _cat((~t).astype(np.int64), CAMPAIGN_GROUPS),
                        "contact_date": contact,
                    }
                )
            )
            truth.append(
                pd.DataFrame(
                    {
                        "campaign_id": c["campaign_id"],
                        "customer_id": self.ids_str.take(w),
                        "uplift_class": _cat(self.uplift_class[w], UPLIFT_CLASSES),
                        "true_effect": np.round(self._campaign_true_effect(c), 6),
                    }
                )
            )
        return pd.concat(members, ignore_index=True), pd.concat(truth, ignore_index=True)

    # --- customer master records -------------------------------------------------------
    def _records(
        self, orders: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.api.extensions.ExtensionArray]:
        """One record per firm plus duplicates of 3-5% of the firms, created later and
        typed differently; orders after a duplicate's creation go to it half the time."""
        rng = self.crm_rng
        names = FirmNames(rng, self.region)
        n = self.n
        dup_firm = np.flatnonzero(rng.random(n) < DUPLICATE_SHARE)
        second = dup_firm[rng.random(dup_firm.size) < SECOND_DUPLICATE_SHARE]
        dup_of = np.concatenate([dup_firm, second])
        variant = rng.choice(len(VARIANTS), dup_of.size, p=VARIANT_P)
        # a Chinese name's English variant; an English name has none: its suffix instead
        cn = self.region[dup_of] <= 1
        variant = np.where(
            (variant == VARIANTS.index("english_name")) & ~cn, VARIANTS.index("suffix"), variant
        )
        new_phone = rng.random(dup_of.size) < NEW_PHONE_SHARE
        other_number = rng.integers(1_000_000, 99_999_999, dup_of.size)
        last = np.where(np.isnat(self.churn_date), _END, self.churn_date)
        span = (last[dup_of] - self.acq_date[dup_of]).astype(int) + 1
        created = self.acq_date[dup_of] + (rng.random(dup_of.size) * span).astype(int)
        firm = np.concatenate([np.arange(n), dup_of])
        kind = np.concatenate([np.full(n, -1), variant])
        # every firm's own record at once; the duplicates one by one, in record order,
        # as each variant draws from ``rng`` (a few per cent of the records)
        name, phone, address = ([], [], [])  # of the duplicates
        for j, (i, v) in enumerate(zip(dup_of, variant, strict=True)):
            number = other_number[j] if new_phone[j] else None
            name.append(names.name(i, VARIANTS[v]))
            phone.append(names.phone(i, VARIANTS[v], number))
            address.append(names.address(i, VARIANTS[v]))
        name, phone, address = (
            pa.concat_arrays([original, pa.array(duplicates, type=pa.string())])
            for original, duplicates in zip(names.originals(), (name, phone, address), strict=True)
        )
        created_all = np.concatenate([self.acq_date, created])
        order = _sort_order(np.arange(firm.size), created_all)
        rec_ids = _ids("D", firm.size, 7)  # in order of creation
        rec_number = np.empty(firm.size, dtype=np.int64)  # of each firm row
        rec_number[order] = np.arange(firm.size)
        records = pd.DataFrame(
            {
                "record_id": rec_ids,
                "name": pd.array(name.take(order), dtype="str"),
                "phone": pd.array(phone.take(order), dtype="str"),
                "address": pd.array(address.take(order), dtype="str"),
                "region": _cat(self.region[firm[order]], REGIONS),
                "created_date": created_all[order],
            }
        )
        truth = pd.DataFrame(
            {
                "record_id": rec_ids,
                "customer_id": self.ids_str.take(firm[order]),
                "variant": _cat(kind[order] + 1, RECORD_VARIANTS),
            }
        )
        # orders: the original record, or a duplicate created before the order (half)
        oc = self._order_customer  # customer position of every order row
        rec_of_order = rec_number[oc]
        day = orders["order_date"].to_numpy().astype("datetime64[D]")
        sales = ~orders["is_return"].to_numpy()
        u = rng.random(len(orders))
        first_dup = np.full(n, -1)  # each firm's first duplicate (row of ``firm``)
        first_dup[dup_firm] = n + np.arange(dup_firm.size)
        which = first_dup[oc]
        has = which >= 0
        use = has & sales & (u < DUPLICATE_ORDER_SHARE)
        use[use] = day[use] >= created_all[which[use]]
        rec_of_order[use] = rec_number[which[use]]
        # a return is booked under the record of its sale
        rec_of_order[~sales] = rec_of_order[self._return_sale_row]
        return records, truth, rec_ids.take(rec_of_order)
