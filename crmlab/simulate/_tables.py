"""Part 3 of a run: the observable tables and the latent truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import (
    CHANNELS,
    CHURN_CAUSES,
    CHURN_TYPE_OF_CAUSE,
    CHURN_TYPES,
    CONTACT_TYPES,
    DIMENSION_CODES,
    INCIDENT_TYPES,
    INDUSTRIES,
    LOYALTY_TYPES,
    MENTION_CHANNELS,
    PRODUCT_LINES,
    REGIONS,
    REVERSE_ITEMS,
    RQ_SCALES,
    SENTIMENTS,
    SERVICE_DIMENSIONS,
    SIZES,
    SURVEY_ITEMS,
)
from crmlab.simulate._params import (
    _FIRM_QUALITY,
    COMPETITOR_STEP_SD,
    COMPETITOR_WAR_CUT,
    COMPETITOR_WAR_P,
    COSTS,
    END,
    GROUP_EFFECTS,
    MENTION_CHANNEL_P,
    N_MONTHS,
    NEGOTIATION_SD,
    OUT_OF_RANGE_CODES,
    PRODUCTS,
    PROMO_P,
    QUALITY_CUT,
    SAT_AR,
    SAT_SHOCK_SD,
    STATED_REASON_NOISE,
    SURVEY_MESS,
    SURVEY_PANEL_LOGIT,
    SURVEY_WAVES,
    TRUE_DRIVER_WEIGHTS,
    WOM,
)
from crmlab.simulate._population import _ids, _sort_order


def _cat(codes: np.ndarray, levels: list[str]) -> pd.Categorical:
    """A categorical from integer codes, -1 for missing (faster than from strings for
    long tables)."""
    return pd.Categorical.from_codes(codes, categories=levels)


# the churn type of each churn cause, as codes of CHURN_TYPES
_CHURN_TYPE_CODE = np.array([CHURN_TYPES.index(CHURN_TYPE_OF_CAUSE[c]) for c in CHURN_CAUSES])


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
        cum = np.cumsum(self.line_pref, axis=1)[c]  # per customer, then per order
        line = (rng.random(k)[:, None] > cum).sum(axis=1).clip(max=len(PRODUCT_LINES) - 1)
        list_price = self.list_price[line, m]
        promo = self.promo[line, m]
        # each order is negotiated afresh around the customer's usual discount
        discount = np.clip(
            self.negotiated[c] + self.promo_depth[line, m] + rng.normal(0, NEGOTIATION_SD, k),
            0,
            0.35,
        ).round(3)
        unit_price = (list_price * (1 - discount)).round(2)
        # quantity responds to the net price relative to the 2022-01 list price and to the
        # competitors' price index: (p / (p0 x competitor index)) ^ elasticity
        reference = PRODUCTS["base_list_price"].to_numpy()[line] * self.competitor_index[line, m]
        mean_q = PRODUCTS["mean_quantity"].to_numpy()[line]
        qty = (
            mean_q
            * self.qty_level[c]
            * (unit_price / reference) ** self.elasticity[c]
            * rng.lognormal(-0.03, 0.25, k)
        )
        qty = np.maximum(1, np.round(qty)).astype(np.int64)
        date = self._day_in_month(m, c)
        order = _sort_order(c, date)
        c, m, line, list_price, discount, unit_price, qty, date, promo = (
            a[order] for a in (c, m, line, list_price, discount, unit_price, qty, date, promo)
        )
        quote_days = rng.poisson(self.choose_days[c])
        late_p = 0.15 + 1.5 * self.credit_risk[c]
        late = rng.random(k) < np.clip(late_p, 0, 0.95)
        days_late = np.where(late, 1 + rng.poisson(5 + 60 * self.credit_risk[c]), 0)
        defaulted = late & (rng.random(k) < 0.25 * self.credit_risk[c])
        amount = (qty * unit_price).round(2)
        # returns: more likely for customers with quality trouble; negative lines
        p_ret = 0.015 + 0.03 * (1 - self.tolerance[c])
        ret = np.flatnonzero(rng.random(k) < p_ret)
        share = rng.choice([0.1, 0.25, 0.5, 1.0], ret.size, p=[0.4, 0.3, 0.2, 0.1])
        r_qty = -np.maximum(1, np.round(qty[ret] * share)).astype(np.int64)
        r_date = date[ret] + rng.integers(7, 45, ret.size)
        keep = r_date <= np.datetime64(END.date())
        ret, r_qty, r_date = ret[keep], r_qty[keep], r_date[keep]
        n_ret = ret.size
        # sales and returns in one table, sorted by date, sales (O...) before returns
        # (R...) on a day, then by number: integer keys instead of sorting the id strings
        all_date = np.concatenate([date, r_date])
        is_return = np.repeat([False, True], [k, n_ret])
        number = np.concatenate([np.arange(k), np.arange(n_ret)])
        row = np.concatenate([np.arange(k), ret])  # the sale line each row comes from
        final = _sort_order(number, is_return, all_date)
        row, is_ret, number = row[final], is_return[final], number[final]
        ids = _ids("O", k, 7)
        both = type(ids)._concat_same_type([ids, _ids("R", n_ret, 7)])
        order_id = both.take(np.where(is_ret, k + number, number))
        return_of = ids.take(np.where(is_ret, row, -1), allow_fill=True)
        qty_all = np.concatenate([qty, r_qty])[final]
        frame = pd.DataFrame(
            {
                "order_id": order_id,
                "customer_id": self.ids_str.take(c[row]),
                "order_date": all_date[final],
                "product_line": _cat(line[row], PRODUCT_LINES),
                "quantity": qty_all,
                "list_price": list_price[row].round(2),
                "discount": discount[row],
                "unit_price": unit_price[row],
                "amount": np.where(is_ret, (qty_all * unit_price[row]).round(2), amount[row]),
                "promotion": promo[row],
                "is_return": is_ret,
                "return_of": return_of,
                "quote_days": pd.arrays.IntegerArray(quote_days[row], is_ret),
                "days_late": pd.arrays.IntegerArray(days_late[row], is_ret),
                "defaulted": defaulted[row] & ~is_ret,
            }
        )
        self.orders_frame = frame
        # CRM hooks (sim-crm): the customer position of every row and the row of each
        # return's sale (in row order), so the CRM's tables need not look ids up
        self._order_customer = c[row]
        row_of = np.empty(final.size, dtype=np.int64)
        row_of[final] = np.arange(final.size)
        self._return_sale_row = row_of[row[is_ret]]
        return frame

    def _incidents(self) -> pd.DataFrame:
        rng = self.rng
        c, m, t, sev, well = self._incidents_raw
        date = self._day_in_month(m, c)
        res_days = rng.poisson(np.where(well, 2 + 2 * sev, 8 + 8 * sev))
        resolved = well | (rng.random(c.size) < 0.55)
        complaint = rng.random(c.size) < np.clip(0.15 + 0.2 * sev + 0.3 * ~well, 0, 0.95)
        order = self._incident_order = _sort_order(c, date)  # CRM hooks (sim-crm)
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids_str.take(c),
                    "incident_date": date,
                    "incident_type": _cat(t, INCIDENT_TYPES),
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
        frame.insert(0, "incident_id", _ids("I", len(frame), 6))
        return frame

    def _contacts(self) -> pd.DataFrame:
        rng = self.rng
        c, m = self._contacts_raw
        date = self._day_in_month(m, c)
        kind = rng.choice(3, c.size, p=[0.25, 0.65, 0.10])
        cost = COSTS.set_index("unit").loc[CONTACT_TYPES, "cost"].to_numpy()[kind]
        order = _sort_order(c, date)
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids_str.take(c),
                    "contact_date": date,
                    "contact_type": _cat(kind, CONTACT_TYPES),
                    "cost": cost,
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "contact_id", _ids("K", len(frame), 7))
        return frame

    def _referrals(self) -> pd.DataFrame:
        """Customers won by referral (2022-2024) are converted referral leads: each takes,
        uniformly and without replacement, one of the leads generated in its month or the
        two before by a customer acquired in an earlier month and still a customer at the
        end of its month. Should the leads run out, the referrer is drawn among those
        customers in proportion to the monthly lead rate at their satisfaction propensity
        (counted in ``self.n_referrals_without_lead``)."""
        rng = self.rng
        referred = np.flatnonzero(
            (self.channel == CHANNELS.index("referral")) & (self.acq_month >= 0)
        )
        l_c, l_m = self._leads_raw
        self.lead_converted = np.zeros(l_c.size, dtype=bool)
        weight_all = self.refer * np.exp(WOM["lead_slope"] * (3.4 + self.sat_prop - 4))
        referrer = np.full(referred.size, -1)
        self.n_referrals_without_lead = 0
        for m in np.unique(self.acq_month[referred]):
            here = np.flatnonzero(self.acq_month[referred] == m)
            month_end = (np.datetime64("2022-01", "M") + m + 1).astype("datetime64[D]") - 1
            ok = (self.acq_month < m) & (np.isnat(self.churn_date) | (self.churn_date > month_end))
            cand = np.flatnonzero((l_m >= m - 2) & (l_m <= m) & ~self.lead_converted & ok[l_c])
            take = rng.choice(cand, min(here.size, cand.size), replace=False)
            self.lead_converted[take] = True
            referrer[here[: take.size]] = l_c[take]
            rest = here[take.size :]
            if rest.size:
                pool = np.flatnonzero(ok)
                if pool.size:
                    w = weight_all[pool]
                    referrer[rest] = rng.choice(pool, rest.size, p=w / w.sum())
                    self.n_referrals_without_lead += rest.size
        has = referrer >= 0
        rows = {
            "referrer_id": self.ids[referrer[has]],
            "referred_id": self.ids[referred[has]],
            "referral_date": self.acq_date[referred[has]],
        }
        return pd.DataFrame(rows)

    def _mentions(self) -> pd.DataFrame:
        """Public mentions (口碑) in date order, each on a channel drawn by sentiment."""
        rng = self.rng
        c, m, negative = self._mentions_raw
        date = self._day_in_month(m, c)
        channel = np.empty(c.size, dtype=np.int64)
        for flag, key in [(False, "positive"), (True, "negative")]:
            here = np.flatnonzero(negative == flag)
            channel[here] = rng.choice(len(MENTION_CHANNELS), here.size, p=MENTION_CHANNEL_P[key])
        order = _sort_order(c, date)
        return pd.DataFrame(
            {
                "mention_id": _ids("W", c.size, 6),
                "customer_id": self.ids_str.take(c[order]),
                "mention_date": date[order],
                "channel": _cat(channel[order], MENTION_CHANNELS),
                "sentiment": _cat(negative[order].astype(np.int64), SENTIMENTS),
            }
        )

    def _market_prices(self) -> pd.DataFrame:
        """The firm's monthly price calendar per product line: list price, promotion depth
        and the competitors' price index (what the firm's market watch records)."""
        n_lines = len(PRODUCT_LINES)
        months = np.datetime64("2022-01", "M") + np.arange(N_MONTHS)
        return pd.DataFrame(
            {
                "price_date": np.repeat(months.astype("datetime64[D]"), n_lines),
                "product_line": _cat(np.tile(np.arange(n_lines), N_MONTHS), PRODUCT_LINES),
                "list_price": self.list_price.T.ravel(),
                "promotion": self.promo.T.ravel(),
                "promotion_discount": self.promo_depth.T.ravel(),
                "competitor_price_index": self.competitor_index.T.ravel(),
            }
        )

    def _customers(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "customer_id": self.ids_str,
                "region": _cat(self.region, REGIONS),
                "industry": _cat(self.industry, INDUSTRIES),
                "size": _cat(self.size, SIZES),
                "channel": _cat(self.channel, CHANNELS),
                "acquisition_date": self.acq_date,
                "payment_terms_days": self.payment_terms,
                "status": _cat((~self.alive).astype(np.int64), ["active", "churned"]),
            }
        )

    def _churn(self) -> pd.DataFrame:
        rng = self.rng
        who = np.flatnonzero(self.churn_month >= 0)
        date = self.churn_date[who]
        cause = self.churn_cause[who]
        stated = np.where(rng.random(who.size) < STATED_REASON_NOISE, 0, cause)
        order = _sort_order(who, date)  # by date, then customer (ids sort as positions)
        who, date, stated = who[order], date[order], stated[order]
        return pd.DataFrame(
            {
                "customer_id": self.ids_str.take(who),
                "churn_date": date,
                "stated_reason": _cat(stated, CHURN_CAUSES),
                "churn_type": _cat(_CHURN_TYPE_CODE[stated], CHURN_TYPES),
            }
        )

    def _survey(self) -> pd.DataFrame:
        """The yearly waves (SURVEY_WAVES), each sent to the customers active in its
        September: a panel (who answered the last wave answers again more readily) with
        attrition (leavers are not invited) and new respondents. A straight-liner is a
        respondent's trait: one answers every wave that way."""
        rng = self.rng
        self.straightliner = rng.random(self.n) < SURVEY_MESS["straightliner"]
        self.responded_wave = np.zeros((len(SURVEY_WAVES), self.n), dtype=bool)
        self.n_duplicates = 0
        frames = []
        previous = np.zeros(self.n, dtype=bool)
        for w, year in enumerate(SURVEY_WAVES):
            frame = self._survey_wave(w, year, previous)
            previous = self.responded_wave[w]
            frames.append(frame)
        out = pd.concat(frames, ignore_index=True)
        who = out.pop("position").to_numpy()  # of the respondent
        # nobody answers before being won or after leaving
        day = np.maximum(out["response_date"].to_numpy(), self.acq_date[who])
        churn_date = self.churn_date[who]
        left = ~np.isnat(churn_date)
        out["response_date"] = np.where(left, np.minimum(day, churn_date), day)
        # by date, then respondent (ids sort as positions; a duplicate after its first)
        out = out.take(_sort_order(who, out["response_date"].to_numpy())).reset_index(drop=True)
        out.insert(0, "response_id", _ids("S", len(out), 6))
        self.responded = self.responded_wave.any(axis=0)
        return out

    def _survey_wave(self, w: int, year: int, previous: np.ndarray) -> pd.DataFrame:
        """One wave: who answers (response bias, panel), the 36 items, the mess."""
        rng = self.rng
        invited = np.flatnonzero(~np.isnan(self.sat_wave[w]))
        sat = self.sat_wave[w, invited]
        # response bias: satisfied and larger customers answer more often; panel members
        # (answered the previous wave) more often still
        logit = (
            -0.7
            + 0.7 * (sat - 3.4)
            + 0.35 * self.size[invited]
            + SURVEY_PANEL_LOGIT * previous[invited]
        )
        resp = invited[rng.random(invited.size) < 1 / (1 + np.exp(-logit))]
        self.responded_wave[w, resp] = True
        k = resp.size
        s = self.sat_wave[w, resp]
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
        straight = self.straightliner[resp]
        answers[straight] = rng.choice([3, 4, 5], straight.sum(), p=[0.3, 0.4, 0.3])[:, None]
        oor = rng.random(answers.shape) < SURVEY_MESS["out_of_range_cell"]
        answers[oor] = rng.choice(OUT_OF_RANGE_CODES, oor.sum())
        miss = rng.random(answers.shape) < SURVEY_MESS["missing_cell"]
        answers[miss] = np.nan
        opens = np.datetime64(f"{year}-09-01", "D")
        day = opens + rng.integers(0, 45, k)
        frame = pd.DataFrame(answers, columns=SURVEY_ITEMS)
        frame.insert(0, "customer_id", self.ids_str.take(resp))
        frame["position"] = resp  # of the respondent (dropped after sorting)
        frame.insert(1, "wave", year)
        frame.insert(2, "response_date", day)
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
        self.n_duplicates += dup.size
        return pd.concat([frame, second], ignore_index=True)

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
        cause = self.churn_cause  # -1: not churned (missing)
        return pd.DataFrame(
            {
                "customer_id": self.ids_str,
                "loyalty_type": _cat(self.ltype, LOYALTY_TYPES),
                "attitude": self.attitude.round(4),
                "switching_cost": self.switching.round(4),
                "price_elasticity": self.elasticity.round(4),
                "promo_response": self.promo_response.round(4),
                "quality_tolerance": self.tolerance.round(4),
                "purchase_rate": self.rate.round(4),
                "quantity_level": self.qty_level.round(4),
                "mean_order_value": self._mean_order_value().round(2),
                "satisfaction_propensity": self.sat_prop.round(4),
                "satisfaction_2022": self.sat_wave[0].round(4),
                "satisfaction_2023": self.sat_wave[1].round(4),
                "satisfaction_at_survey": self.sat_at_survey.round(4),
                "referral_propensity": self.refer.round(4),
                "credit_risk": self.credit_risk.round(4),
                "contact_rate": self.contact_rate.round(4),
                "monthly_dropout": self.dropout_base.round(6),
                "churn_date": self.churn_date,
                "churn_cause": _cat(cause, CHURN_CAUSES),
                "churn_type": _cat(np.where(cause >= 0, _CHURN_TYPE_CODE[cause], -1), CHURN_TYPES),
                "survey_responded": self.responded,
                "survey_straightliner": self.straightliner & self.responded,
                "n_referral_leads": self.n_referral_leads,
                "n_positive_mentions": self.n_pos_mentions,
                "n_negative_mentions": self.n_neg_mentions,
                "market": self.market,
            }
        )

    def _behaviour_effects(self) -> pd.DataFrame:
        """Every true effect of the behaviour mechanisms as a row of ``truth_effects``:
        region, industry and channel effects (all levels, zeros included), the purchasing
        response to quality incidents and prices, word-of-mouth rates, the survey panel."""
        levels = {"region": REGIONS, "industry": INDUSTRIES, "channel": CHANNELS}
        what = {
            "spend": ("log multiplier of order quantity (spend per order line)", "log"),
            "churn": ("log multiplier of the voluntary churn hazards", "log hazard ratio"),
            "referral": (
                "log multiplier of the propensity to refer (referral leads, positive mentions)",
                "log rate ratio",
            ),
        }
        rows = []
        for mechanism, by_factor in GROUP_EFFECTS.items():
            for factor, effects in by_factor.items():
                for level in levels[factor]:
                    text, unit = what[mechanism]
                    rows.append(
                        (
                            mechanism,
                            factor,
                            level,
                            effects.get(level, 0.0),
                            unit,
                            f"{factor}: {text}",
                        )
                    )
        scalar = [
            (
                "purchasing",
                "quality_cut",
                QUALITY_CUT,
                "log rate per (1 - tolerance) x quality memory",
                "order rate x exp(-quality_cut x (1 - tolerance) x quality memory); the memory "
                "adds "
                "each month's quality incidents and decays by 0.6 a month",
            ),
            (
                "purchasing",
                "negotiation_sd",
                NEGOTIATION_SD,
                "discount",
                "sd of an order's negotiated discount around the customer's usual one",
            ),
            (
                "purchasing",
                "promotion_probability",
                PROMO_P,
                "probability",
                "a product line is on promotion in a month",
            ),
            (
                "purchasing",
                "competitor_step_sd",
                COMPETITOR_STEP_SD,
                "log",
                "sd of the monthly step of the competitors' log price index",
            ),
            (
                "purchasing",
                "price_war_probability",
                COMPETITOR_WAR_P,
                "probability",
                "a price war starts on a product line in a month (lasts 2-4 months)",
            ),
            (
                "purchasing",
                "price_war_cut",
                COMPETITOR_WAR_CUT,
                "share",
                "competitors' price cut during a price war",
            ),
            (
                "satisfaction",
                "shock_ar",
                SAT_AR,
                "coefficient",
                "AR(1) coefficient of the monthly satisfaction shock",
            ),
            ("satisfaction", "shock_sd", SAT_SHOCK_SD, "points", "sd of its monthly innovation"),
            (
                "survey",
                "panel_logit",
                SURVEY_PANEL_LOGIT,
                "logit",
                "added to the response logit of who answered the previous wave",
            ),
        ]
        rows += [(m, p, None, float(v), u, d) for m, p, v, u, d in scalar]
        wom_text = {
            "pos_base": ("rate a month", "positive mentions of a customer with S = 4 and r = 0.2"),
            "pos_slope": ("per point", "log rate of positive mentions per point of satisfaction S"),
            "neg_base": ("rate a month", "negative mentions of a customer with S = 3"),
            "neg_slope": (
                "per point",
                "log rate of negative mentions per point of dissatisfaction (3 - S)",
            ),
            "neg_per_bad": (
                "per incident",
                "negative mentions per badly handled incident of severity 3 (x severity / 3)",
            ),
            "neg_at_fault_exit": (
                "probability",
                "a leaver for a fault cause posts a negative mention",
            ),
            "lead_base": ("rate a month", "referral leads of a customer with S = 4 and r = 0.2"),
            "lead_slope": ("per point", "log rate of referral leads per point of satisfaction S"),
        }
        rows += [("word_of_mouth", key, None, float(WOM[key]), *wom_text[key]) for key in WOM]
        return pd.DataFrame(
            rows, columns=["mechanism", "parameter", "level", "value", "unit", "description"]
        )
