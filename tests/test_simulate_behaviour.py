"""The synthetic company's second edition, behaviour (issue 15, items 1-3): each true
effect is recovered from the observable tables by a standard method, written here
independently of the generator's code (the generator is only called to make the data;
its parameters are read from ``truth``, ``truth_effects`` or the documented constants).

Small simulations with fixed seeds keep the suite fast. Tests of a zero effect use a
stated significance level ALPHA: with a fixed seed each test is deterministic; for a
fresh seed a zero-effect test would fail with probability ALPHA.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from crmlab._schema import REGIONS
from crmlab.simulate import simulate_company
from crmlab.simulate._params import GROUP_EFFECTS, QUALITY_CUT, SURVEY_PANEL_LOGIT, WOM
from crmlab.simulate._run import _Simulation

ALPHA = 0.01  # zero effects must not be found at this level
FACTORS = ["region", "industry", "channel", "size"]


@pytest.fixture(scope="module")
def company() -> dict[str, pd.DataFrame]:
    return simulate_company(seed=7, n_customers=6_000)


@pytest.fixture(scope="module")
def customers(company) -> pd.DataFrame:
    """One row per customer: its labels as strings, acquisition and churn dates."""
    cust = company["customers"].set_index("customer_id")
    frame = pd.DataFrame({f: cust[f].astype(str) for f in FACTORS})
    frame["acquired"] = cust["acquisition_date"]
    frame["churn_date"] = company["churn"].set_index("customer_id")["churn_date"]
    return frame


def _sales_with_market(company) -> pd.DataFrame:
    """Sales lines joined with the month's competitor price index (market_prices)."""
    sales = company["orders"][~company["orders"]["is_return"]].copy()
    sales["price_date"] = sales["order_date"].dt.to_period("M").dt.to_timestamp()
    market = company["market_prices"][["price_date", "product_line", "competitor_price_index"]]
    return sales.merge(market, on=["price_date", "product_line"], how="left", validate="m:1")


def _month_index(dates: pd.Series) -> pd.Series:
    """Month number from 2022-01 (= 0)."""
    return (dates.dt.year - 2022) * 12 + dates.dt.month - 1


def _lr_pvalue(formula: str, factor: str, data: pd.DataFrame, fit) -> float:
    """Likelihood-ratio p-value of dropping ``C(factor)`` from ``formula`` (fit = a
    function formula -> fitted statsmodels result)."""
    full = fit(formula)
    reduced = fit(formula.replace(f" + C({factor})", "").replace(f"C({factor}) + ", ""))
    return float(stats.chi2.sf(2 * (full.llf - reduced.llf), full.df_model - reduced.df_model))


# --- item 1: purchasing -------------------------------------------------------------


def test_market_prices_are_the_prices_orders_were_quoted_at(company):
    """Every sales line's list price and promotion flag are those of its month and line in
    ``market_prices``; the competitor index starts at par (1.000) in 2022-01."""
    sales = _sales_with_market(company)
    market = company["market_prices"]
    merged = sales.merge(
        market[["price_date", "product_line", "list_price", "promotion"]],
        on=["price_date", "product_line"],
        suffixes=("", "_m"),
    )
    assert len(merged) == len(sales)
    assert (merged["list_price"] == merged["list_price_m"]).all()
    assert (merged["promotion"] == merged["promotion_m"]).all()
    first = market[market["price_date"] == "2022-01-01"]
    assert (first["competitor_price_index"] == 1.0).all()
    assert len(market) == 4 * 36


def test_price_varies_within_a_customer(company):
    """The first edition's net price had a within customer-and-line sd of about 0.048 in
    logs (datasheet, known limitations); the second edition negotiates each order (sd
    0.08, clipped at 0), runs deeper and more frequent promotions and records the
    competitors' index, so the relative price (unit price / index) must vary at least
    twice as much."""
    sales = _sales_with_market(company)
    x = np.log(sales["unit_price"] / sales["competitor_price_index"])
    sd = (
        x
        - x.groupby([sales["customer_id"], sales["product_line"]], observed=True).transform("mean")
    ).std()
    assert sd > 2 * 0.048


def test_per_customer_elasticity_is_recovered_from_own_orders(company):
    """Per customer: least-squares slope of log quantity on log(unit price / competitor
    index), within product line (each customer-line demeaned), for customers with at least
    20 sales lines. Its rank correlation with ``truth.price_elasticity`` was 0.52 in the
    first edition (issue 15); measured here (seed 7, 6,000 customers): 0.76 over 1,826
    customers. Floor 0.70. A slope has standard error about 0.25 / (0.11 x sqrt(20)) = 0.5,
    so a correlation of 1 is not reachable."""
    sales = _sales_with_market(company)
    x = np.log(sales["unit_price"] / sales["competitor_price_index"])
    y = np.log(sales["quantity"])
    key = [sales["customer_id"], sales["product_line"]]
    xd = x - x.groupby(key, observed=True).transform("mean")
    yd = y - y.groupby(key, observed=True).transform("mean")
    by = sales["customer_id"]
    sxy = (xd * yd).groupby(by).sum()
    sxx = (xd * xd).groupby(by).sum()
    n_lines = by.value_counts()
    keep = n_lines[n_lines >= 20].index
    slope = (sxy / sxx).loc[keep]
    truth = company["truth"].set_index("customer_id")["price_elasticity"].loc[keep]
    rho = stats.spearmanr(slope, truth).statistic
    assert len(keep) > 1_000
    assert rho > 0.70, rho
    # ignoring the competitors' index leaves its moves in the error: a worse fit
    xn = np.log(sales["unit_price"])
    xnd = xn - xn.groupby(key, observed=True).transform("mean")
    naive = ((xnd * yd).groupby(by).sum() / (xnd * xnd).groupby(by).sum()).loc[keep]
    assert stats.spearmanr(naive, truth).statistic < rho


def test_low_tolerance_customers_cut_orders_after_a_quality_incident(company):
    """Event study from orders and incidents: for each quality incident in month m of a
    customer with no quality incident in m-3..m-1, who was a customer from m-3 to m+2,
    compare the customer's sales lines in m+1..m+2 with m-3..m-1 (per month). The model
    multiplies the order rate by exp(-1.2 (1 - tolerance) x memory), memory 1 in m+1 and
    0.6 in m+2, so for tolerance 0.3 the expected ratio is (exp(-0.84) + exp(-0.504)) / 2
    = (0.432 + 0.604) / 2 = 0.52, for tolerance 0.75 (exp(-0.3) + exp(-0.18)) / 2 = 0.79.
    Groups: tolerance below 0.4 and above 0.6 (truth); the low group's ratio of summed
    counts must be below the high group's by more than 3 bootstrap standard errors."""
    assert QUALITY_CUT == 1.2
    sales = company["orders"][~company["orders"]["is_return"]]
    counts = pd.crosstab(sales["customer_id"], _month_index(sales["order_date"]))
    counts = counts.reindex(columns=range(36), fill_value=0)
    inc = company["incidents"]
    q = inc[inc["incident_type"] == "quality"]
    qcount = pd.crosstab(q["customer_id"], _month_index(q["incident_date"]))
    qcount = qcount.reindex(columns=range(36), fill_value=0)
    truth = company["truth"].set_index("customer_id")
    acq = _month_index(company["customers"].set_index("customer_id")["acquisition_date"])
    churn_m = _month_index(truth["churn_date"]).fillna(99)
    rows = []
    for cid, row in qcount.iterrows():
        for m in np.flatnonzero(row.to_numpy() > 0):
            if m < 3 or m > 33 or row.iloc[m - 3 : m].sum() > 0:
                continue
            if acq[cid] > m - 3 or churn_m[cid] <= m + 2:
                continue
            c = counts.loc[cid] if cid in counts.index else pd.Series(0, index=range(36))
            rows.append((cid, c.iloc[m - 3 : m].sum() / 3, c.iloc[m + 1 : m + 3].sum() / 2))
    ev = pd.DataFrame(rows, columns=["customer_id", "before", "after"])
    ev["tolerance"] = truth.loc[ev["customer_id"], "quality_tolerance"].to_numpy()
    rng = np.random.default_rng(0)

    def ratio(part: pd.DataFrame) -> tuple[float, float]:
        r = part["after"].sum() / part["before"].sum()
        boot = []
        for _ in range(300):
            b = part.iloc[rng.integers(0, len(part), len(part))]
            boot.append(b["after"].sum() / b["before"].sum())
        return r, float(np.std(boot))

    low, se_low = ratio(ev[ev["tolerance"] < 0.4])
    high, se_high = ratio(ev[ev["tolerance"] > 0.6])
    assert low < high - 3 * np.hypot(se_low, se_high), (low, high)
    assert low < 0.7


# --- item 1: region, industry, channel ------------------------------------------------


def test_region_industry_channel_effects_on_spend(company, customers):
    """Mean log amount per sales line per customer, OLS on the four labels (size is a
    control). Region and industry have large true effects (GROUP_EFFECTS): detected (F
    test, p < 0.001); channel has none: not found at ALPHA. The europe - africa contrast
    is 0.45 - (-0.50) = 0.95 in truth: the estimate within 3 standard errors."""
    sales = company["orders"][~company["orders"]["is_return"]]
    data = customers.copy()
    data["y"] = np.log(sales["amount"]).groupby(sales["customer_id"]).mean()
    data = data.dropna(subset=["y"])
    fit = smf.ols("y ~ C(region) + C(industry) + C(channel) + C(size)", data).fit()
    p = sm.stats.anova_lm(fit, typ=2)["PR(>F)"]
    assert p["C(region)"] < 0.001 and p["C(industry)"] < 0.001
    assert p["C(channel)"] > ALPHA
    truth = GROUP_EFFECTS["spend"]["region"]
    contrast = truth["europe"] - truth["africa"]
    assert contrast == pytest.approx(0.95)
    est, se = fit.params["C(region)[T.europe]"], fit.bse["C(region)[T.europe]"]  # vs africa
    assert abs(est - contrast) < 3 * se, (est, se)


def test_region_industry_channel_effects_on_churn(company, customers):
    """Churn in 2022 per customer, Poisson regression on the four labels with the months
    the customer was at risk in 2022 as exposure (customers won by the end of 2022; the
    log-linear rate model of a constant hazard), likelihood-ratio test per label.
    Industry (e_commerce +0.60 on the log hazard) and channel (online +0.55, referral
    -0.45) are detected (p < 0.001); region has no direct effect on churn: not found at
    ALPHA. The year is 2022 because from 2023 region acts on churn indirectly, through the
    CRM roll-out (live region by region, a hazard ratio of about 0.68 with its
    satisfaction effect) and campaign A02 (four regions): over 2022-2024 region is found
    at p = 0.0015 at this seed, a true effect, not a label effect. Measured at this seed:
    industry p = 1e-5, channel p < 1e-6, region p = 0.63 in 2022."""
    end_2022 = pd.Timestamp("2022-12-31")
    data = customers[customers["acquired"] <= end_2022].copy()
    churned = data["churn_date"] <= end_2022
    end = data["churn_date"].where(churned, end_2022)
    start = data["acquired"].clip(lower=pd.Timestamp("2022-01-01"))
    data["exposure"] = ((end - start).dt.days / 30.44).clip(lower=0.1)
    data["churned"] = churned.astype(int)
    formula = "churned ~ C(region) + C(industry) + C(channel) + C(size)"

    def fit(f: str):
        family = sm.families.Poisson()
        return smf.glm(f, data, family=family, offset=np.log(data["exposure"])).fit()

    assert _lr_pvalue(formula, "industry", data, fit) < 0.001
    assert _lr_pvalue(formula, "channel", data, fit) < 0.001
    assert _lr_pvalue(formula, "region", data, fit) > ALPHA
    assert GROUP_EFFECTS["churn"]["region"] == {}


def test_region_industry_channel_effects_on_referral(company, customers):
    """Referrals made (the referrals table) per customer, Poisson regression with the
    months a customer was active in 2022-2024 as exposure. Region (middle_east +0.70,
    east_asia +0.35) and channel (referral +0.60) are detected; industry has none."""
    data = customers.copy()
    end = data["churn_date"].fillna(pd.Timestamp("2024-12-31"))
    start = data["acquired"].clip(lower=pd.Timestamp("2022-01-01"))
    data["exposure"] = ((end - start).dt.days / 30.44).clip(lower=0.1)
    made = company["referrals"]["referrer_id"].value_counts()
    data["n"] = made.reindex(data.index, fill_value=0)
    formula = "n ~ C(region) + C(industry) + C(channel) + C(size)"

    def fit(f: str):
        family = sm.families.Poisson()
        return smf.glm(f, data, family=family, offset=np.log(data["exposure"])).fit()

    assert _lr_pvalue(formula, "region", data, fit) < 0.001
    assert _lr_pvalue(formula, "channel", data, fit) < 0.001
    assert _lr_pvalue(formula, "industry", data, fit) > ALPHA
    assert GROUP_EFFECTS["referral"]["industry"] == {}


def test_truth_effects_lists_every_level_with_its_value(company):
    """One row per mechanism x factor x level, zeros included, equal to GROUP_EFFECTS."""
    eff = company["truth_effects"]
    groups = eff[eff["mechanism"].isin(["spend", "churn", "referral"])]
    n_levels = {"region": 6, "industry": 5, "channel": 5}
    assert len(groups) == 3 * sum(n_levels.values())
    for row in groups.itertuples():
        assert row.value == GROUP_EFFECTS[row.mechanism][row.parameter].get(row.level, 0.0)
    assert (groups["value"] == 0).any() and (groups["value"] != 0).any()
    wom = eff[eff["mechanism"] == "word_of_mouth"].set_index("parameter")["value"]
    assert wom.to_dict() == pytest.approx(WOM)


# --- item 2: survey waves -------------------------------------------------------------


def test_survey_is_a_panel_of_three_waves(company):
    """Waves 2022, 2023, 2024; response ids unique across waves; customers who answered
    all three exist; some answer only later (new respondents) and some drop out."""
    survey = company["survey"]
    assert survey["response_id"].is_unique
    who = survey.groupby("wave")["customer_id"].apply(set)
    assert list(who.index) == [2022, 2023, 2024]
    assert len(who[2022] & who[2023] & who[2024]) > 100
    assert len(who[2023] - who[2022]) > 100  # new respondents
    assert len(who[2022] - who[2023]) > 100  # attrition


def test_panel_members_answer_again_more_readily(company):
    """Among customers invited to the 2023 wave (latent satisfaction recorded for it), the
    response rate of those who answered 2022 exceeds that of those who did not: the model
    adds SURVEY_PANEL_LOGIT = 1.5 to the logit (at a base rate of 0.4 that is 0.75). The
    gap must exceed 4 standard errors."""
    assert SURVEY_PANEL_LOGIT == 1.5
    truth, survey = company["truth"], company["survey"]
    invited = truth.loc[truth["satisfaction_2023"].notna(), "customer_id"]
    w22 = set(survey.loc[survey["wave"] == 2022, "customer_id"])
    w23 = set(survey.loc[survey["wave"] == 2023, "customer_id"])
    before = invited.isin(w22).to_numpy()
    answered = invited.isin(w23).to_numpy()
    a, b = answered[before].mean(), answered[~before].mean()
    se = np.sqrt(a * (1 - a) / before.sum() + b * (1 - b) / (~before).sum())
    assert a - b > 4 * se, (a, b)


def test_a_customer_followed_across_waves(company):
    """The same customer's answers move with their latent satisfaction: for customers
    who answered 2022 and 2024, the change in the mean of the perception items correlates
    positively with the change in latent satisfaction (truth), and customers whose 2022
    overall satisfaction was low (1-2) churned more by 2024-12-31 than those at 4-5."""
    survey = company["survey"].drop_duplicates(["customer_id", "wave"])
    items = [c for c in survey.columns if c.startswith("per_")]
    vals = survey[items].astype(float)
    vals = vals.where((vals >= 1) & (vals <= 5))
    survey = survey.assign(per=vals.mean(axis=1))
    wide = survey.pivot(index="customer_id", columns="wave", values="per").dropna(
        subset=[2022, 2024]
    )
    truth = company["truth"].set_index("customer_id")
    d_obs = wide[2024] - wide[2022]
    d_true = (
        truth.loc[wide.index, "satisfaction_at_survey"] - truth.loc[wide.index, "satisfaction_2022"]
    )
    r = stats.pearsonr(d_obs, d_true).statistic
    assert r > 0.1, r
    first = survey[survey["wave"] == 2022].set_index("customer_id")["overall_sat"].astype(float)
    churned = truth["churn_date"].notna()
    low = churned.loc[first[first.between(1, 2)].index].mean()
    high = churned.loc[first[first.between(4, 5)].index].mean()
    assert low > high


# --- item 3: word of mouth ------------------------------------------------------------


def test_mention_counts_in_truth_equal_the_mentions_table(company):
    """truth.n_positive_mentions / n_negative_mentions are the true counts; every mention
    is public and attributed, so counting the mentions table gives them exactly, and the
    ratio of negative to positive mentions is the same computed either way."""
    truth = company["truth"].set_index("customer_id")
    m = company["mentions"]
    for sentiment, col in [
        ("positive", "n_positive_mentions"),
        ("negative", "n_negative_mentions"),
    ]:
        counted = m[m["sentiment"] == sentiment]["customer_id"].value_counts()
        counted = counted.reindex(truth.index, fill_value=0)
        assert (counted == truth[col]).all(), sentiment
    ratio_table = (m["sentiment"] == "negative").sum() / (m["sentiment"] == "positive").sum()
    ratio_truth = truth["n_negative_mentions"].sum() / truth["n_positive_mentions"].sum()
    assert ratio_table == ratio_truth
    assert m["mention_id"].is_unique


def test_mentions_follow_satisfaction(company):
    """Observed with the 2024 survey: respondents with overall satisfaction 1-2 post more
    negative mentions in 2024 than those at 4-5, and fewer positive ones."""
    survey = company["survey"]
    s24 = survey[survey["wave"] == 2024].drop_duplicates("customer_id").set_index("customer_id")
    sat = s24["overall_sat"].astype(float)
    m = company["mentions"]
    m = m[m["mention_date"].dt.year == 2024]
    neg = (
        m[m["sentiment"] == "negative"]["customer_id"]
        .value_counts()
        .reindex(sat.index, fill_value=0)
    )
    pos = (
        m[m["sentiment"] == "positive"]["customer_id"]
        .value_counts()
        .reindex(sat.index, fill_value=0)
    )
    low, high = sat.between(1, 2), sat.between(4, 5)
    assert neg[low].mean() > neg[high].mean()
    assert pos[low].mean() < pos[high].mean()


def test_negative_mentions_by_region_and_month_match_the_table():
    """The array the pipeline reads (regions x 36 months) counts the mentions table."""
    sim = _Simulation(np.random.default_rng(3), 800, "competitive")
    tables = sim.run()  # the raw tables, before simulate_company applies the schema
    m = tables["mentions"]
    m = m[m["sentiment"] == "negative"]
    region = m["customer_id"].map(tables["customers"].set_index("customer_id")["region"])
    month = (m["mention_date"].dt.year - 2022) * 12 + m["mention_date"].dt.month - 1
    table = pd.crosstab(region, month).reindex(index=REGIONS, columns=range(36), fill_value=0)
    assert sim.neg_mentions_region_month.shape == (6, 36)
    assert (table.to_numpy() == sim.neg_mentions_region_month).all()
    assert (sim.n_neg_mentions == tables["truth"]["n_negative_mentions"].to_numpy()).all()


def test_referrals_come_from_leads_of_satisfied_customers(company):
    """Referrals made per referral lead are at most one (a lead converts once), and
    referrers are more satisfied than the average active customer (latent satisfaction
    propensity, truth)."""
    truth = company["truth"].set_index("customer_id")
    made = company["referrals"]["referrer_id"].value_counts()
    assert (made <= truth.loc[made.index, "n_referral_leads"]).mean() > 0.95
    assert (
        truth.loc[made.index, "satisfaction_propensity"].mean()
        > truth["satisfaction_propensity"].mean()
    )
