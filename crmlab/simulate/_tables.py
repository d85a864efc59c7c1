"""Part 3 of a run: the observable tables and the latent truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import (
    CHANNELS,
    CHURN_CAUSES,
    CHURN_TYPE_OF_CAUSE,
    CONTACT_TYPES,
    DIMENSION_CODES,
    INCIDENT_TYPES,
    INDUSTRIES,
    LOYALTY_TYPES,
    PRODUCT_LINES,
    REGIONS,
    REVERSE_ITEMS,
    RQ_SCALES,
    SERVICE_DIMENSIONS,
    SIZES,
    SURVEY_ITEMS,
)
from crmlab.simulate._params import (
    _FIRM_QUALITY,
    COSTS,
    END,
    OUT_OF_RANGE_CODES,
    PRODUCTS,
    PROMO_DISCOUNT,
    STATED_REASON_NOISE,
    SURVEY_DATE,
    SURVEY_MESS,
    TRUE_DRIVER_WEIGHTS,
)


class _Tables:
    """Part 3 of a run: the observable tables (orders, incidents, contacts, referrals,
    customers, churn, survey, pipeline) and the latent truth, built from the state that
    parts 1 and 2 left behind."""

    rng: np.random.Generator
    n: int
    market: str

    def _orders(self) -> pd.DataFrame:
        rng = self.rng
        c, m = self._orders_raw
        k = c.size
        cum = np.cumsum(self.line_pref[c], axis=1)
        line = (rng.random(k)[:, None] > cum).sum(axis=1).clip(max=len(PRODUCT_LINES) - 1)
        list_price = self.list_price[line, m]
        promo = self.promo[line, m]
        discount = np.clip(
            self.negotiated[c] + PROMO_DISCOUNT * promo + rng.normal(0, 0.03, k), 0, 0.35
        ).round(3)
        unit_price = (list_price * (1 - discount)).round(2)
        base_price = PRODUCTS["base_list_price"].to_numpy()[line]
        mean_q = PRODUCTS["mean_quantity"].to_numpy()[line]
        qty = (
            mean_q
            * self.qty_level[c]
            * (unit_price / base_price) ** self.elasticity[c]
            * rng.lognormal(-0.03, 0.25, k)
        )
        qty = np.maximum(1, np.round(qty)).astype(np.int64)
        date = self._day_in_month(m, c)
        order = np.lexsort((c, date))
        c, m, line, list_price, discount, unit_price, qty, date, promo = (
            a[order] for a in (c, m, line, list_price, discount, unit_price, qty, date, promo)
        )
        ids = np.array([f"O{i:07d}" for i in range(1, k + 1)], dtype=object)
        quote_days = rng.poisson(self.choose_days[c])
        late_p = 0.15 + 1.5 * self.credit_risk[c]
        late = rng.random(k) < np.clip(late_p, 0, 0.95)
        days_late = np.where(late, 1 + rng.poisson(5 + 60 * self.credit_risk[c]), 0)
        defaulted = late & (rng.random(k) < 0.25 * self.credit_risk[c])
        amount = (qty * unit_price).round(2)
        frame = pd.DataFrame(
            {
                "order_id": ids,
                "customer_id": self.ids[c],
                "order_date": date,
                "product_line": np.array(PRODUCT_LINES, dtype=object)[line],
                "quantity": qty,
                "list_price": list_price.round(2),
                "discount": discount,
                "unit_price": unit_price,
                "amount": amount,
                "promotion": promo,
                "is_return": False,
                "return_of": np.full(k, None, dtype=object),
                "quote_days": quote_days,
                "days_late": days_late,
                "defaulted": defaulted,
            }
        )
        # returns: more likely for customers with quality trouble; negative lines
        p_ret = 0.015 + 0.03 * (1 - self.tolerance[c])
        ret = np.flatnonzero(rng.random(k) < p_ret)
        share = rng.choice([0.1, 0.25, 0.5, 1.0], ret.size, p=[0.4, 0.3, 0.2, 0.1])
        r_qty = -np.maximum(1, np.round(qty[ret] * share)).astype(np.int64)
        r_date = date[ret] + rng.integers(7, 45, ret.size)
        keep = r_date <= np.datetime64(END.date())
        ret, r_qty, r_date = ret[keep], r_qty[keep], r_date[keep]
        returns = pd.DataFrame(
            {
                "order_id": [f"R{i:07d}" for i in range(1, ret.size + 1)],
                "customer_id": self.ids[c[ret]],
                "order_date": r_date,
                "product_line": frame["product_line"].to_numpy()[ret],
                "quantity": r_qty,
                "list_price": frame["list_price"].to_numpy()[ret],
                "discount": discount[ret],
                "unit_price": unit_price[ret],
                "amount": (r_qty * unit_price[ret]).round(2),
                "promotion": promo[ret],
                "is_return": True,
                "return_of": ids[ret],
                "quote_days": None,
                "days_late": None,
                "defaulted": False,
            }
        )
        out = pd.concat([frame, returns], ignore_index=True)
        out = out.sort_values(["order_date", "order_id"], kind="stable", ignore_index=True)
        self.orders_frame = out
        return out

    def _incidents(self) -> pd.DataFrame:
        rng = self.rng
        c, m, t, sev, well = self._incidents_raw
        date = self._day_in_month(m, c)
        res_days = rng.poisson(np.where(well, 2 + 2 * sev, 8 + 8 * sev))
        resolved = well | (rng.random(c.size) < 0.55)
        complaint = rng.random(c.size) < np.clip(0.15 + 0.2 * sev + 0.3 * ~well, 0, 0.95)
        order = self._incident_order = np.lexsort((c, date))  # CRM hooks (sim-crm)
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids[c],
                    "incident_date": date,
                    "incident_type": np.array(INCIDENT_TYPES, dtype=object)[t],
                    "severity": sev,
                    "resolution_days": res_days,
                    "resolved": resolved,
                    "handled_well": well,
                    "complaint": complaint,
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "incident_id", [f"I{i:06d}" for i in range(1, len(frame) + 1)])
        return frame

    def _contacts(self) -> pd.DataFrame:
        rng = self.rng
        c, m = self._contacts_raw
        date = self._day_in_month(m, c)
        kind = rng.choice(3, c.size, p=[0.25, 0.65, 0.10])
        cost = COSTS.set_index("unit").loc[CONTACT_TYPES, "cost"].to_numpy()[kind]
        order = np.lexsort((c, date))
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids[c],
                    "contact_date": date,
                    "contact_type": np.array(CONTACT_TYPES, dtype=object)[kind],
                    "cost": cost,
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "contact_id", [f"K{i:07d}" for i in range(1, len(frame) + 1)])
        return frame

    def _referrals(self) -> pd.DataFrame:
        """Customers won by referral get a referrer among customers active at the time,
        drawn in proportion to propensity to refer x satisfaction."""
        rng = self.rng
        referred = np.flatnonzero(
            (self.channel == CHANNELS.index("referral")) & (self.acq_month >= 0)
        )
        weight_all = self.refer * np.exp(0.8 * self.sat_prop)
        referrer = np.full(referred.size, -1)
        for m in np.unique(self.acq_month[referred]):
            here = np.flatnonzero(self.acq_month[referred] == m)
            month_end = (np.datetime64("2022-01", "M") + m + 1).astype("datetime64[D]") - 1
            ok = (self.acq_month < m) & (np.isnat(self.churn_date) | (self.churn_date > month_end))
            cand = np.flatnonzero(ok)
            if cand.size:
                w = weight_all[cand]
                referrer[here] = rng.choice(cand, here.size, p=w / w.sum())
        has = referrer >= 0
        rows = {
            "referrer_id": self.ids[referrer[has]],
            "referred_id": self.ids[referred[has]],
            "referral_date": self.acq_date[referred[has]],
        }
        return pd.DataFrame(rows)

    def _customers(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "customer_id": self.ids,
                "region": np.array(REGIONS, dtype=object)[self.region],
                "industry": np.array(INDUSTRIES, dtype=object)[self.industry],
                "size": np.array(SIZES, dtype=object)[self.size],
                "channel": np.array(CHANNELS, dtype=object)[self.channel],
                "acquisition_date": self.acq_date,
                "payment_terms_days": self.payment_terms,
                "status": np.where(self.alive, "active", "churned"),
            }
        )

    def _churn(self) -> pd.DataFrame:
        rng = self.rng
        who = np.flatnonzero(self.churn_month >= 0)
        date = self.churn_date[who]
        cause = self.churn_cause[who]
        stated = np.where(rng.random(who.size) < STATED_REASON_NOISE, 0, cause)
        causes = np.array(CHURN_CAUSES, dtype=object)
        frame = pd.DataFrame(
            {
                "customer_id": self.ids[who],
                "churn_date": date,
                "stated_reason": causes[stated],
                "churn_type": [CHURN_TYPE_OF_CAUSE[x] for x in causes[stated]],
            }
        )
        return frame.sort_values(["churn_date", "customer_id"], ignore_index=True)

    def _survey(self) -> pd.DataFrame:
        rng = self.rng
        invited = np.flatnonzero(~np.isnan(self.sat_at_survey))
        sat = self.sat_at_survey[invited]
        # response bias: satisfied and larger customers answer more often
        p = 1 / (1 + np.exp(-(-0.7 + 0.7 * (sat - 3.4) + 0.35 * self.size[invited])))
        resp = invited[rng.random(invited.size) < p]
        self.responded = np.zeros(self.n, dtype=bool)
        self.responded[resp] = True
        k = resp.size
        s = self.sat_at_survey[resp]
        large = (self.size[resp] == 2).astype(float)
        cols: dict[str, np.ndarray] = {}
        gaps = np.zeros(k)

        def likert(latent: np.ndarray, noise: float = 0.45) -> np.ndarray:
            return np.clip(np.round(latent + rng.normal(0, noise, latent.size)), 1, 5)

        for dim in SERVICE_DIMENSIONS:
            c = DIMENSION_CODES[dim]
            exp_lat = 3.9 + 0.35 * large + rng.normal(0, 0.45, k)
            per_lat = _FIRM_QUALITY[dim] + 0.75 * (s - 3.4) + rng.normal(0, 0.45, k)
            cols[f"exp_{c}1"], cols[f"exp_{c}2"] = likert(exp_lat), likert(exp_lat)
            cols[f"per_{c}1"], cols[f"per_{c}2"] = likert(per_lat), likert(per_lat)
            gaps += TRUE_DRIVER_WEIGHTS[dim] * (per_lat - exp_lat)
        cols["overall_sat"] = likert(3.9 + 1.6 * gaps, 0.5)
        att = self.attitude[resp]
        cols["repurchase_intent"] = likert(3.3 + 0.6 * att + 0.4 * (s - 3.4), 0.6)
        cols["recommend"] = likert(2.8 + 3.0 * self.refer[resp] + 0.6 * (s - 3.4), 0.6)
        cols["compare_competitors"] = likert(
            2.2 - 0.8 * self.elasticity[resp] - 1.2 * self.switching[resp], 0.6
        )
        rq_lat = {
            "trust": 3.4 + 0.45 * att + 0.4 * (s - 3.4),
            "satisf": 3.4 + 0.8 * (s - 3.4),
            "belong": 3.0 + 0.5 * att + 1.0 * self.switching[resp] - 0.3,
            "friend": 2.8
            + 0.5 * np.log1p(self.contact_rate[resp] * 6)
            + 0.8 * (self.ltype[resp] == LOYALTY_TYPES.index("kinship")),
        }
        for scale, n_items in RQ_SCALES.items():
            per_person = rq_lat[scale] + rng.normal(0, 0.35, k)
            for j in range(1, n_items + 1):
                name = f"rq_{scale}{j}"
                value = likert(per_person, 0.55)
                cols[name] = 6 - value if name in REVERSE_ITEMS else value
        answers = np.column_stack([cols[item] for item in SURVEY_ITEMS])
        # --- realistic mess at documented rates
        straight = rng.random(k) < SURVEY_MESS["straightliner"]
        answers[straight] = rng.choice([3, 4, 5], straight.sum(), p=[0.3, 0.4, 0.3])[:, None]
        oor = rng.random(answers.shape) < SURVEY_MESS["out_of_range_cell"]
        answers[oor] = rng.choice(OUT_OF_RANGE_CODES, oor.sum())
        miss = rng.random(answers.shape) < SURVEY_MESS["missing_cell"]
        answers[miss] = np.nan
        day = SURVEY_DATE.to_datetime64().astype("datetime64[D]") + rng.integers(0, 45, k)
        frame = pd.DataFrame(answers, columns=SURVEY_ITEMS)
        frame.insert(0, "customer_id", self.ids[resp])
        frame.insert(1, "response_date", day)
        dup = np.flatnonzero(rng.random(k) < SURVEY_MESS["duplicate_respondent"])
        second = frame.iloc[dup].copy()
        second["response_date"] = second["response_date"] + pd.to_timedelta(
            rng.integers(1, 6, dup.size), unit="D"
        )
        block = second[SURVEY_ITEMS].to_numpy()
        jitter = (rng.random(block.shape) < 0.15) * rng.choice([-1, 1], block.shape)
        in_range = (block >= 1) & (block <= 5)
        block = np.where(in_range, np.clip(block + jitter, 1, 5), block)
        second[SURVEY_ITEMS] = block
        self.survey_flags = (resp, straight)
        out = pd.concat([frame, second], ignore_index=True)
        # nobody answers after leaving: a leaver's answer is dated no later than the churn
        churn_date = pd.Series(self.churn_date, index=self.ids).loc[out["customer_id"]]
        left = churn_date.notna().to_numpy()
        out.loc[left, "response_date"] = np.minimum(
            out.loc[left, "response_date"].to_numpy(), churn_date.to_numpy()[left]
        )
        out = out.sort_values(["response_date", "customer_id"], kind="stable", ignore_index=True)
        out.insert(0, "response_id", [f"S{i:05d}" for i in range(1, len(out) + 1)])
        self.n_duplicates = dup.size
        return out

    def _mean_order_value(self) -> np.ndarray:
        """Expected amount of one order at 2022-01 list prices, the customer's negotiated
        discount and no promotion: sum over lines of preference x E[quantity] x price.
        E[quantity] = mean_q x level x (price / base)^elasticity x E[lognormal(-0.03, 0.25)]
        (rounding of quantities to whole units is ignored)."""
        base = PRODUCTS["base_list_price"].to_numpy()[None, :]
        mean_q = PRODUCTS["mean_quantity"].to_numpy()[None, :]
        price = base * (1 - self.negotiated[:, None])
        noise = np.exp(-0.03 + 0.25**2 / 2)
        qty = mean_q * self.qty_level[:, None] * (price / base) ** self.elasticity[:, None]
        return (self.line_pref * qty * price).sum(axis=1) * noise

    def _truth(self) -> pd.DataFrame:
        causes = np.array(CHURN_CAUSES + [None], dtype=object)
        cause = causes[self.churn_cause]  # -1 -> None
        return pd.DataFrame(
            {
                "customer_id": self.ids,
                "loyalty_type": np.array(LOYALTY_TYPES, dtype=object)[self.ltype],
                "attitude": self.attitude.round(4),
                "switching_cost": self.switching.round(4),
                "price_elasticity": self.elasticity.round(4),
                "promo_response": self.promo_response.round(4),
                "quality_tolerance": self.tolerance.round(4),
                "purchase_rate": self.rate.round(4),
                "quantity_level": self.qty_level.round(4),
                "mean_order_value": self._mean_order_value().round(2),
                "satisfaction_propensity": self.sat_prop.round(4),
                "satisfaction_at_survey": self.sat_at_survey.round(4),
                "referral_propensity": self.refer.round(4),
                "credit_risk": self.credit_risk.round(4),
                "contact_rate": self.contact_rate.round(4),
                "monthly_dropout": self.dropout_base.round(6),
                "churn_date": self.churn_date,
                "churn_cause": cause,
                "churn_type": [CHURN_TYPE_OF_CAUSE.get(x) for x in cause],
                "survey_responded": self.responded,
                "survey_straightliner": np.isin(
                    self.ids, self.ids[self.survey_flags[0][self.survey_flags[1]]]
                ),
                "market": self.market,
            }
        )
