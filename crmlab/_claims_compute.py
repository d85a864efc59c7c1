"""The computations of the claims ledger (:mod:`crmlab.claims`): one function per claim.

Each takes a :class:`LedgerData` (the tables of one run, loaded on first use, with the
results several claims share) and the name of a data set, calls the chapter functions and
returns a :class:`Finding` whose verdict is decided by :func:`within` or :func:`at_least`
(a tolerance band) or by a test with its p-value. :data:`COMPUTE` maps claim ids to them.
The public API is :mod:`crmlab.claims`.

What lives where: the computations, :func:`mention_ratio` and :data:`COMPUTE` are here;
:class:`LedgerData` in ``crmlab/_claims_data.py``; the rules, formats and
:class:`Finding` in ``crmlab/_claims_rules.py``; the claims' texts in
``crmlab/_claims_text.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from crmlab import (
    btyd,
    churn,
    churn_causes,
    economics,
    funnel,
    segment,
)
from crmlab._claims_data import LedgerData
from crmlab._claims_rules import (
    FAILS,
    HOLDS,
    UNTESTABLE,
    Finding,
    at_least,
    band_finding,
    label_of,
    pct,
    signed_pct,
    within,
    yuan,
)

__all__ = ["COMPUTE", "mention_ratio"]

#: Yearly discount rate of the customer-value model of the +5% retention claim.
DISCOUNT_RATE = 0.10
#: Fewest customers a tenure year needs before it is compared (as in notebook 00).
MIN_CUSTOMERS = 30
#: Causes of churn (``crmlab._schema.CHURN_CAUSES``) that are a failure of service or care:
#: passive service (消极的服务接触) and a badly handled incident (微妙事件的不良处理).
SERVICE_CAUSES = ("passive_service", "incident_mishandled")
#: The course's word of mouth: a satisfied customer tells 8, a dissatisfied one 25.
TELLS_SATISFIED, TELLS_DISSATISFIED = 8, 25
#: Tolerance of the word-of-mouth ratio: the claim holds within a factor of 1.5 of 25 / 8.
RATIO_FACTOR = 1.5


# --------------------------------------------------------------------------- computations
def _pareto_revenue(data: LedgerData, name: str) -> Finding:
    if name == "company":
        revenue = economics.customer_revenue(data.table("orders"))
        what, what_zh = "net revenue (returns subtracted)", "净收入（扣除退货）"
    elif name == "cdnow":
        revenue = economics.customer_revenue(data.real("cdnow"))
        what, what_zh = "spend", "消费额"
    else:
        telco = data.real("telco")
        # a customer in the first month has no total charge yet (blank): billed nothing, 0
        blank = int(telco["total_charges"].isna().sum())
        charges = telco.assign(total_charges=telco["total_charges"].fillna(0.0))
        revenue = economics.customer_revenue(charges, amount="total_charges")
        what = f"total charges to date ({blank} customers not yet billed count as 0)"
        what_zh = f"至今累计费用（{blank}位尚未计费的客户按0计）"
    negative = int((revenue < 0).sum())
    if negative:
        what += f"; {negative} customers with negative revenue count as 0"
        what_zh += f"；{negative}位净收入为负的客户按0计"
    revenue = revenue.clip(lower=0)
    share, gini = segment.top_share(revenue, 0.2), segment.gini(revenue)
    verdict = at_least(share, 0.75)
    than, than_zh = ("at least", "不低于") if verdict == HOLDS else ("less than", "低于")
    return Finding(
        share,
        "share",
        f"share of {what} held by the top 20% of customers",
        f"收入最高的20%客户所占{what_zh}的份额",
        verdict,
        f"the top 20% hold {pct(share)}, {than} 75% (Gini {gini:.2f})",
        f"前20%的客户占{pct(share)}，{than_zh}75%（基尼系数{gini:.2f}）",
    )


def _pareto_profit(data: LedgerData, name: str) -> Finding:
    claims = data.profit_claims
    share, none = float(claims["top_profit_share"]), pct(claims["unprofitable_share"])
    verdict = at_least(share, 0.75)
    than, than_zh = ("at least", "不低于") if verdict == HOLDS else ("less than", "低于")
    return Finding(
        share,
        "share",
        "share of total profit (after the cost to serve, losses included) made by the 20% "
        "most profitable customers",
        "利润最高的20%客户所占总利润（扣除服务成本，含亏损客户）的份额",
        verdict,
        f"the most profitable 20% make {pct(share)} of total profit, {than} 75% ({none} of "
        "customers make none)",
        f"利润最高的20%客户贡献总利润的{pct(share)}，{than_zh}75%（{none}的客户没有利润）",
    )


def _retention_plus_5(data: LedgerData, name: str) -> Finding:
    if name == "company":
        r, n, year = data.retention
        base = f"the customers on hand on 1 January {year} still there on 31 December ({n:,})"
        base_zh = f"{year}年1月1日在册、12月31日仍在的客户（{n:,}位）"
    else:
        r, k = data.telco_retention
        base = f"Kaplan-Meier survival to {12 * k} months, S({12 * k})^(1/{k})"
        base_zh = f"Kaplan-Meier 生存曲线，S({12 * k})^(1/{k})"
    measure = (
        f"rise in a customer's value m r / (1 + d - r) when yearly retention r rises by 5 "
        f"points (d = {DISCOUNT_RATE:.0%}; r from {base})",
        f"年保持率 r 提高5个百分点时客户价值 m r / (1 + d - r) 的增幅（d = {DISCOUNT_RATE:.0%}；"
        f"r 取自{base_zh}）",
    )
    if r + 0.05 >= 1:
        return Finding(
            np.nan,
            "change",
            *measure,
            UNTESTABLE,
            f"yearly retention is {r:.3f}: 5 more points would reach 100%",
            f"年保持率为{r:.3f}，再提高5个百分点就达到100%",
        )
    up = economics.retention_uplift(r, DISCOUNT_RATE)
    said = (
        f"from {r:.3f} to {r + 0.05:.3f} a customer's value rises by {signed_pct(up)}",
        f"保持率从{r:.3f}升到{r + 0.05:.3f}，客户价值增加{signed_pct(up)}",
    )
    return band_finding(up, "change", 0.25, 1.00, measure, said)


def _unprofitable_half(data: LedgerData, name: str) -> Finding:
    claims = data.profit_claims
    share, buyers = float(claims["unprofitable_share"]), pct(claims["unprofitable_share_buyers"])
    return band_finding(
        share,
        "share",
        0.40,
        0.60,
        (
            "share of customers whose profit after the cost to serve is zero or less",
            "扣除服务成本后利润为零或为负的客户所占比例",
        ),
        (
            f"{pct(share)} of customers bring no profit ({buyers} of those who bought)",
            f"{pct(share)}的客户没有带来利润（有购买的客户中为{buyers}）",
        ),
    )


def _half_lost(data: LedgerData, name: str) -> Finding:
    if name == "company":
        r, _, year = data.retention
        left = economics.retained_after(r, 5)
        measure = (
            f"share of today's customers left after five years at the yearly retention r of "
            f"{year}, r^5",
            f"按{year}年的年保持率 r 计算，5年后仍在的现有客户比例 r^5",
        )
        said = (
            f"at {r:.3f} a year, {pct(left)} of today's customers remain after five years",
            f"年保持率{r:.3f}，5年后还剩{pct(left)}的现有客户",
        )
    else:
        left = float(data.telco_km.survival_at([60]).iloc[0, 0])
        measure = (
            "share of new customers still customers after 60 months (Kaplan-Meier)",
            "新客户60个月后仍在的比例（Kaplan-Meier）",
        )
        said = (
            f"{pct(left)} of new customers are still customers after five years",
            f"5年后仍有{pct(left)}的新客户在册",
        )
    return band_finding(left, "share", 0.40, 0.60, measure, said)


def _span(data: LedgerData) -> tuple[str, str]:
    years = data.lost_years
    return (f" {years}", f"{years}年") if years else ("", "")


def _service_share(data: LedgerData, low: float, high: float, care: bool) -> Finding:
    labels, kind = data.causes("cause")
    span, span_zh = _span(data)
    table = churn_causes.pareto_table(labels)
    parts = table["share"].reindex(list(SERVICE_CAUSES), fill_value=0.0)
    share, top = float(parts.sum()), str(table.index[0])
    source = "true cause (the simulator's record)" if kind == "true" else "stated reason"
    source_zh = "真实原因（模拟器的记录）" if kind == "true" else "自述原因"
    note = (
        ("; the data do not separate care from service", "；数据不区分关怀与服务")
        if care
        else ("", "")
    )
    what = ("too little care", "关怀不够") if care else ("poor service", "服务不满意")
    a, b, largest = pct(parts.iloc[0]), pct(parts.iloc[1]), pct(table["share"].iloc[0])
    return band_finding(
        share,
        "share",
        low,
        high,
        (
            f"share of the customers lost{span} whose {source} is passive service or "
            f"a badly handled incident{note[0]}",
            f"{span_zh}流失客户中，{source_zh}为消极的服务接触或微妙事件的不良处理的比例{note[1]}",
        ),
        (
            f"{pct(share)} of {len(labels):,} lost customers left over {what[0]} (passive "
            f"service {a}, incidents handled badly {b}; the largest cause is "
            f"{label_of(top)}, {largest})",
            f"{len(labels):,}位流失客户中{pct(share)}因{what[1]}离开（消极的服务接触{a}，"
            f"微妙事件的不良处理{b}；最大的原因是{label_of(top, True)}，{largest}）",
        ),
    )


def _service_70(data: LedgerData, name: str) -> Finding:
    return _service_share(data, 0.60, 0.80, care=False)


def _care_two_thirds(data: LedgerData, name: str) -> Finding:
    return _service_share(data, 2 / 3 - 0.10, 2 / 3 + 0.10, care=True)


def _tenure_who(data: LedgerData) -> tuple[str, str]:
    start = data.window[0]
    return (
        f"customers won from {start:%Y-%m} whose tenure year ended in the data; gross profit "
        "= revenue - cost of goods (the cost to serve is not split by year)",
        f"{start:%Y-%m}起获得、该客龄年已在数据内结束的客户；毛利 = 收入 - 销售成本"
        "（服务成本未按年拆分）",
    )


def _repeat_more_profitable(data: LedgerData, name: str) -> Finding:
    who, who_zh = _tenure_who(data)
    measure = (
        f"gross profit per customer in the 2nd year after acquisition over the 1st, - 1 ({who})",
        f"获得后第2年与第1年的每位客户毛利之比减1（{who_zh}）",
    )
    t = data.tenure
    if not {1, 2} <= set(t.index) or t.loc[[1, 2], "n_customers"].min() < MIN_CUSTOMERS:
        return Finding(
            np.nan,
            "change",
            *measure,
            UNTESTABLE,
            f"fewer than {MIN_CUSTOMERS} customers are observed in a second full tenure year",
            f"观察到完整第2个客龄年的客户少于{MIN_CUSTOMERS}位",
        )
    (g1, g2), (n1, n2) = t.loc[[1, 2], "revenue_per_customer"], t.loc[[1, 2], "n_customers"]
    rise = float(g2 / g1 - 1)
    said = (
        f"second-year customers ({n2:,}) brought {yuan(g2)} of gross profit each, first-year "
        f"ones ({n1:,}) {yuan(g1)}: {signed_pct(rise)}",
        f"第2年客户（{n2:,}位）每位带来毛利{yuan(g2, True)}，"
        f"第1年客户（{n1:,}位）{yuan(g1, True)}：{signed_pct(rise)}",
    )
    return band_finding(rise, "change", 0.20, 0.85, measure, said)


def _profitable_after_a_year(data: LedgerData, name: str) -> Finding:
    who, who_zh = _tenure_who(data)
    t = data.tenure
    if 1 in t.index:
        g1 = float(t.loc[1, "revenue_per_customer"])
        said = (
            f"before it, a new customer brings {yuan(g1)} of gross profit in its first year, "
            "so the claim holds only where winning a customer costs more than that",
            f"不计获客成本，新客户第1年带来毛利{yuan(g1, True)}；获客成本高于此数时这一说法才成立",
        )
    else:
        g1, said = np.nan, ("no full first tenure year is observed", "数据中没有完整的第1个客龄年")
    return Finding(
        g1,
        "yuan",
        f"gross profit per new customer in its first year ({who})",
        f"新客户第1年的每位毛利（{who_zh}）",
        UNTESTABLE,
        "the data record no acquisition cost, which is what the claim says makes the first "
        f"year unprofitable; {said[0]}",
        f"数据没有记录获客成本，而这一说法正是说获客成本使第1年不赚钱；{said[1]}",
    )


def _word_of_mouth(data: LedgerData, name: str) -> Finding:
    satisfied, dissatisfied, which, which_zh = data.satisfaction_groups()
    made = data.table("referrals")["referrer_id"].astype(str).value_counts()
    per_sat = float(satisfied.map(made).fillna(0).mean())
    per_dis = float(dissatisfied.map(made).fillna(0).mean())
    n_sat = len(satisfied)
    verdict = at_least(per_sat, 1.0)
    reached = ("reaches", "达到") if verdict == HOLDS else ("falls short of", "达不到")
    return Finding(
        per_sat,
        "number",
        f"recorded referrals {data.years} (customers won) per satisfied respondent of "
        f"{which} (overall satisfaction 4-5, clean answers)",
        f"{which_zh}每位满意受访者（清洗后的答卷，总体满意度4至5分）{data.years}年的推荐记录数"
        "（推荐成交的新客户）",
        verdict,
        f"{n_sat:,} satisfied respondents made {per_sat:.3f} referrals each (dissatisfied, "
        f"1-2: {per_dis:.3f}), which {reached[0]} 1 closed deal each; the 8 potential deals "
        "are conversations the data do not record",
        f"{n_sat:,}位满意受访者平均每人推荐{per_sat:.3f}位（不满意的1至2分受访者：{per_dis:.3f}），"
        f"{reached[1]}每人成交1笔；8笔潜在生意是谈话，数据没有记录",
    )


def mention_ratio(
    negative: np.ndarray, positive: np.ndarray
) -> tuple[float, float, float, float, float]:
    """Ratio of mean negative mentions per dissatisfied customer to mean positive mentions
    per satisfied customer, with a 95% interval by the delta method on the log ratio.

    ``negative`` holds one count per dissatisfied customer, ``positive`` one per satisfied
    customer. ``var(log ratio) = s_n^2 / (n_n m_n^2) + s_p^2 / (n_p m_p^2)`` (sample
    variances ``s^2``, means ``m``; the two groups independent), so the interval widens
    with the spread of the counts, not only with their total.

    Parameters
    ----------
    negative : array of int
        Negative mentions of each dissatisfied customer.
    positive : array of int
        Positive mentions of each satisfied customer.

    Returns
    -------
    tuple
        (ratio, low, high, mean negative, mean positive); the interval is NaN when a group
        has fewer than two customers or no mention.

    Raises
    ------
    ValueError
        If the satisfied customers posted no positive mention (the ratio is undefined).

    Examples
    --------
    Means 0.5 and 1, variances 1/3 and 2/3: var(log ratio) = (1/3) / (4 x 0.25) +
    (2/3) / (4 x 1) = 0.5, so the interval is 0.5 x exp(± 1.96 x 0.707), about 0.5 / 4 to 0.5 x 4.

    >>> r = mention_ratio(np.array([0, 1, 0, 1]), np.array([1, 1, 2, 0]))
    >>> [round(x, 3) for x in r]
    [0.5, 0.125, 1.999, 0.5, 1.0]
    """
    neg, pos = np.asarray(negative, float), np.asarray(positive, float)
    m_n, m_p = neg.mean(), pos.mean()
    if m_p == 0:
        raise ValueError("the satisfied customers posted no positive mention: no ratio.")
    ratio = m_n / m_p
    if neg.size < 2 or pos.size < 2 or m_n == 0:
        return float(ratio), np.nan, np.nan, float(m_n), float(m_p)
    se = math.sqrt(neg.var(ddof=1) / (neg.size * m_n**2) + pos.var(ddof=1) / (pos.size * m_p**2))
    low, high = ratio * math.exp(-1.96 * se), ratio * math.exp(1.96 * se)
    return float(ratio), float(low), float(high), float(m_n), float(m_p)


def _word_of_mouth_ratio(data: LedgerData, name: str) -> Finding:
    satisfied, dissatisfied, which, which_zh = data.satisfaction_groups()
    wave = data.survey_wave[1]
    mentions = data.table("mentions")
    for column in ("customer_id", "mention_date", "sentiment"):
        if column not in mentions.columns:
            raise KeyError(f"mentions has no {column!r} column; it has {list(mentions.columns)}.")
    odd = ~mentions["sentiment"].astype(str).isin(["positive", "negative"]).to_numpy()
    if odd.any():
        raise ValueError(
            "column 'sentiment' of mentions must be positive or negative; rows "
            f"{mentions.index[odd][:5].tolist()} are not."
        )
    if wave is not None:
        mentions = mentions[(mentions["mention_date"].dt.year == wave).to_numpy()]
        when, when_zh = f"in {wave}", f"{wave}年"
    else:
        when, when_zh = f"in {data.years}", f"{data.years}年"
    by = mentions.groupby([mentions["customer_id"].astype(str), mentions["sentiment"].astype(str)])
    counts = by.size()
    pos = counts.xs("positive", level=1) if "positive" in counts.index.get_level_values(1) else None
    neg = counts.xs("negative", level=1) if "negative" in counts.index.get_level_values(1) else None
    pos_each = satisfied.map(pos if pos is not None else {}).fillna(0).to_numpy(float)
    neg_each = dissatisfied.map(neg if neg is not None else {}).fillna(0).to_numpy(float)
    ratio, low, high, m_n, m_p = mention_ratio(neg_each, pos_each)
    course = TELLS_DISSATISFIED / TELLS_SATISFIED
    band = (course / RATIO_FACTOR, course * RATIO_FACTOR)
    verdict = within(ratio, *band)
    ci = f", 95% CI {low:.2f}-{high:.2f}" if math.isfinite(low) else ""
    ci_zh = f"，95%置信区间{low:.2f}至{high:.2f}" if math.isfinite(low) else ""
    where = (
        ("inside", "在")
        if verdict == HOLDS
        else (("above", "高于") if ratio > band[1] else ("below", "低于"))
    )
    return Finding(
        ratio,
        "number",
        f"negative public mentions {when} per dissatisfied respondent (overall satisfaction "
        f"1-2) over positive mentions per satisfied respondent (4-5), {which}; the course's "
        f"{TELLS_DISSATISFIED} / {TELLS_SATISFIED} = {course:.3f}",
        f"{which_zh}不满意受访者（总体满意度1至2分）每人{when_zh}的负面公开提及数，除以满意受访者"
        f"（4至5分）每人的正面提及数；课程为{TELLS_DISSATISFIED} / {TELLS_SATISFIED} = "
        f"{course:.3f}",
        verdict,
        f"{len(dissatisfied):,} dissatisfied respondents posted {m_n:.3f} negative mentions each, "
        f"{len(satisfied):,} satisfied ones {m_p:.3f} positive: ratio {ratio:.3f}{ci}, "
        f"{where[0]} {band[0]:.2f} to {band[1]:.2f}; a mention is a public post, not a count "
        "of the people it reaches",
        f"{len(dissatisfied):,}位不满意受访者平均每人发布{m_n:.3f}条负面提及，{len(satisfied):,}位满意"
        f"受访者每人{m_p:.3f}条正面提及：比值{ratio:.3f}{ci_zh}，{where[1]}{band[0]:.2f}至"
        f"{band[1]:.2f}的范围；一条提及是一次公开发帖，不是它影响到的人数",
    )


def _leaky_bucket(data: LedgerData, name: str) -> Finding:
    year = data.last_full_year
    bal = churn.dynamic_balance(
        data.table("customers"), data.table("churn"), start=str(year), as_of=str(year), freq="Y"
    ).iloc[0]
    lost, won = int(bal["lost"]), int(bal["won"])
    return Finding(
        lost / 52,
        "per_week",
        f"customers lost per week in {year} (churn.dynamic_balance)",
        f"{year}年每周流失的客户数（churn.dynamic_balance）",
        UNTESTABLE,
        "the claim is about what replacing customers costs, and the data record no "
        f"acquisition cost (notebook 00 assumes the ratio); in {year} the firm lost {lost:,} "
        f"customers and won {won:,}",
        "这一说法讲的是替换客户的花费，数据没有记录获客成本（笔记本00假设了成本比）；"
        f"{year}年公司流失{lost:,}位客户，新增{won:,}位",
    )


def _girard(data: LedgerData, name: str) -> Finding:
    if name == "company":
        orders = data.table("orders")
        start, end = data.window
        summary = btyd.rfm_summary(orders, as_of=end, unit="day")
        acquired = data.table("customers").set_index("customer_id")["acquisition_date"]
        # a customer won before the window had bought before it: every line is a repeat
        seen_first = (acquired.reindex(summary.index) >= start).to_numpy()
        first, total = summary.loc[seen_first, "first_amount"].sum(), orders["amount"].sum()
        measure = (
            f"share of net revenue {start:%Y-%m} to {end:%Y-%m} not from a customer's first "
            f"purchase day (customers won before {start:%Y-%m} had bought before: all of theirs)",
            f"{start:%Y-%m}至{end:%Y-%m}净收入中不来自客户首次购买日的份额"
            f"（{start:%Y-%m}前获得的客户此前已买过，其收入全部计入）",
        )
    else:
        cdnow = data.real("cdnow")
        end = cdnow["date"].max()
        summary = btyd.rfm_summary(cdnow, as_of=end, order_date="date", unit="day")
        first, total = summary["first_amount"].sum(), cdnow["amount"].sum()
        measure = (
            f"share of spend to {end:%Y-%m} not from a customer's first purchase day (one "
            "cohort, all new in early 1997: the share grows with the window)",
            f"截至{end:%Y-%m}消费额中不来自首次购买日的份额"
            "（同一批1997年初的新客户，观察期越长份额越大）",
        )
    if total <= 0:
        raise ValueError(f"the {name} revenue sums to {total:g}: it has no shares.")
    share = float(1 - first / total)
    said = (
        f"{pct(share)} of sales came from repeat purchases",
        f"{pct(share)}的销售来自重复购买",
    )
    return band_finding(share, "share", 0.55, 0.75, measure, said)


def _largest(data: LedgerData, category: str, level: str) -> Finding:
    labels, kind = data.causes(level)
    span, span_zh = _span(data)
    test = churn_causes.largest_share_test(labels, category)
    share = float(test.table.loc[category, "share"])
    top = pct(test.table.loc[test.largest, "share"])
    what = ("churn type", "流失类型") if level == "type" else ("cause", "流失原因")
    true = ("true", "真实") if kind == "true" else ("stated", "自述")
    c, c_zh = label_of(category), label_of(category, True)
    return Finding(
        share,
        "share",
        f"share of the customers lost{span} whose {true[0]} {what[0]} is {c}",
        f"{span_zh}流失客户中{true[1]}{what[1]}为{c_zh}的比例",
        HOLDS if test.supported else FAILS,
        f"{c} {pct(share)}, the largest is {label_of(test.largest)} ({top}); {c} minus the "
        f"largest other {signed_pct(test.difference)}, one-sided p = {test.p_value:.3g}",
        f"{c_zh}占{pct(share)}，最大的是{label_of(test.largest, True)}（{top}）；"
        f"{c_zh}减去其余最大者为{signed_pct(test.difference)}，单侧 p = {test.p_value:.3g}",
    )


def _price_main_cause(data: LedgerData, name: str) -> Finding:
    return _largest(data, "price", "cause")


def _fault_largest(data: LedgerData, name: str) -> Finding:
    return _largest(data, "fault", "type")


def _zero_churn(data: LedgerData, name: str) -> Finding:
    if name == "telco":
        telco = data.telco
        rate, lost = churn.churn_rate(telco), int(telco["churned"].sum())
        return Finding(
            rate,
            "share",
            "share of customers who left in the last month observed (churn.churn_rate)",
            "在观察的最后一个月流失的客户比例（churn.churn_rate）",
            HOLDS if rate > 0 else FAILS,
            f"{lost:,} of {len(telco):,} customers left in that month",
            f"{len(telco):,}位客户中有{lost:,}位在该月流失",
        )
    start, end = data.window
    bal = churn.dynamic_balance(
        data.table("customers"), data.table("churn"), start=start, as_of=end, freq="Q"
    )
    rate = bal["churn_rate"]
    n_zero, span = int((rate <= 0).sum()), f"{bal.index[0]}-{bal.index[-1]}"
    return Finding(
        float(rate.min()),
        "share",
        f"lowest quarterly churn rate, {span} (churn.dynamic_balance)",
        f"{span}各季度流失率的最小值（churn.dynamic_balance）",
        HOLDS if n_zero == 0 else FAILS,
        f"churn was {pct(rate.min())} to {pct(rate.max())} a quarter; "
        + (
            f"all {len(rate)} quarters lost customers"
            if n_zero == 0
            else f"{n_zero} of {len(rate)} quarters lost none"
        ),
        f"每季度流失率在{pct(rate.min())}至{pct(rate.max())}之间；"
        + (
            f"{len(rate)}个季度都有客户流失"
            if n_zero == 0
            else f"{len(rate)}个季度中有{n_zero}个季度没有流失"
        ),
    )


def _sales_funnel(data: LedgerData, name: str) -> Finding:
    course = funnel.funnel_table(
        funnel.COURSE_FUNNEL["n_customers"], stages=funnel.COURSE_FUNNEL.index
    )
    pipeline = data.table("pipeline")
    which, which_zh = "opportunities", "销售机会"
    if "outcome" in pipeline.columns:  # an open opportunity has not finished its funnel
        n_open = int((pipeline["outcome"].astype(str) == "open").sum())
        pipeline = pipeline[(pipeline["outcome"].astype(str) != "open").to_numpy()]
        which = f"closed opportunities (won or lost; {n_open:,} still open left out)"
        which_zh = f"已结束的销售机会（成交或失败；{n_open:,}个仍在进行的未计入）"
    firm = funnel.pipeline_funnel(pipeline, forecast_value=None, stages=list(course.index))
    win, course_win = (
        firm["cumulative_conversion"].iloc[-1],
        course["cumulative_conversion"].iloc[-1],
    )
    gaps = firm["stage_conversion"].iloc[1:] - course["stage_conversion"].iloc[1:]
    verdict = HOLDS if (gaps.abs() <= 0.05 + 1e-12).all() else FAILS
    ours = [pct(x) for x in firm["stage_conversion"].iloc[1:]]
    theirs = [pct(x) for x in course["stage_conversion"].iloc[1:]]
    zh = dict(zip(course.index, funnel.COURSE_FUNNEL["zh"], strict=True))
    steps = list(zip(course.index[:-1], course.index[1:], strict=True))
    off = [step for step, gap in zip(steps, gaps, strict=True) if abs(gap) > 0.05 + 1e-12]
    if off:
        said = (
            f"{', '.join(f'{a} to {b}' for a, b in off)} differ by more than 5 points",
            f"{'、'.join(f'{zh[a]}到{zh[b]}' for a, b in off)}相差超过5个百分点",
        )
    else:
        said = ("every stage is within 5 points", "各阶段都在5个百分点以内")
    return Finding(
        float(win),
        "share",
        f"share of {which} that reach a contract (funnel.pipeline_funnel)",
        f"{which_zh}最终签约的比例（funnel.pipeline_funnel）",
        verdict,
        f"stage conversions {', '.join(ours)} against the course's {', '.join(theirs)}: "
        f"{said[0]}; contact to contract {pct(win)} against {pct(course_win)}",
        f"各阶段转化率{'、'.join(ours)}，课程为{'、'.join(theirs)}：{said[1]}；从初步接触到签约"
        f"{pct(win)}，课程为{pct(course_win)}",
    )


#: Claim id -> its computation.
COMPUTE: dict[str, Callable[[LedgerData, str], Finding]] = {
    "pareto_80_20": _pareto_revenue,
    "pareto_80_20_profit": _pareto_profit,
    "retention_plus_5": _retention_plus_5,
    "unprofitable_half": _unprofitable_half,
    "half_lost_in_5_years": _half_lost,
    "service_70": _service_70,
    "care_two_thirds": _care_two_thirds,
    "repeat_more_profitable": _repeat_more_profitable,
    "profitable_after_a_year": _profitable_after_a_year,
    "word_of_mouth_8": _word_of_mouth,
    "word_of_mouth_25": _word_of_mouth_ratio,
    "leaky_bucket": _leaky_bucket,
    "girard_65": _girard,
    "price_main_cause": _price_main_cause,
    "fault_largest": _fault_largest,
    "zero_churn_impossible": _zero_churn,
    "sales_funnel": _sales_funnel,
}
