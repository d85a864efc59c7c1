"""The synthetic company (``crmlab.simulate``): determinism, the committed files, the
schema and its invariants, the shapes that must emerge from the generative model, the
causal levers the chapters rely on, and bad input.

Expectations are worked out by hand from the model's constants (the arithmetic is in the
comments) or are properties the model implies. Rates estimated from a simulation are
checked within 4 binomial standard errors: a fixed seed makes each test deterministic,
and 4 SE keeps it valid for any seed a change to the simulator might effectively bring.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets, simulate
from crmlab.simulate import (
    CHURN_CAUSES,
    CHURN_TYPE_OF_CAUSE,
    COSTS,
    OUT_OF_RANGE_CODES,
    STATED_REASON_NOISE,
    SURVEY_ITEMS,
    SURVEY_MESS,
    TABLE_SCHEMAS,
    simulate_company,
)

START, END = pd.Timestamp("2022-01-01"), pd.Timestamp("2024-12-31")
COMMITTED = Path(__file__).resolve().parent.parent / "datasets" / "company"


def _within(observed: float, expected: float, n: int, k: float = 4.0) -> bool:
    """``observed`` share within ``k`` binomial standard errors of ``expected``."""
    se = np.sqrt(expected * (1 - expected) / n)
    return abs(observed - expected) <= k * se


def _month_end(dates: pd.Series) -> pd.Series:
    """Last day of each date's month."""
    return dates.dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()


@pytest.fixture(scope="module")
def company() -> dict[str, pd.DataFrame]:
    """A small company for schema and invariant checks."""
    return simulate_company(seed=7, n_customers=2_000)


@pytest.fixture(scope="module")
def big() -> dict[str, pd.DataFrame]:
    """A larger company for rates and causal levers."""
    return simulate_company(seed=11, n_customers=4_000)


# --- determinism and the committed files --------------------------------------------


def test_same_seed_gives_identical_tables():
    a = simulate_company(seed=3, n_customers=300)
    b = simulate_company(seed=3, n_customers=300)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_different_seed_gives_different_tables():
    a = simulate_company(seed=3, n_customers=300)
    b = simulate_company(seed=4, n_customers=300)
    for name in ["orders", "truth", "survey"]:
        assert not a[name].equals(b[name]), name


def test_numpy_integer_seed_is_accepted():
    a = simulate_company(seed=np.int64(3), n_customers=300)
    b = simulate_company(seed=3, n_customers=300)
    pd.testing.assert_frame_equal(a["orders"], b["orders"], check_exact=True)


def test_smallest_allowed_company_runs():
    tables = simulate_company(seed=0, n_customers=50)
    assert len(tables["customers"]) == len(tables["truth"]) == 50


def test_regenerates_committed_files_bit_for_bit(tmp_path, capsys):
    """``python -m crmlab.simulate --out DIR`` (seed 2024, 5,000 customers) writes the
    same bytes as ``datasets/company/*.csv.gz`` (gzip with mtime 0)."""
    from crmlab.cli import simulate_main  # what `python -m crmlab.simulate` runs

    assert simulate_main(["--out", str(tmp_path), "--no-manifest"]) == 0
    written = sorted(p.name for p in (tmp_path / "company").iterdir())
    committed = sorted(p.name for p in COMMITTED.glob("*.csv.gz"))
    assert written == committed == sorted(f"{t}.csv.gz" for t in TABLE_SCHEMAS)
    for name in written:
        new = hashlib.sha256((tmp_path / "company" / name).read_bytes()).hexdigest()
        old = hashlib.sha256((COMMITTED / name).read_bytes()).hexdigest()
        assert new == old, name
    assert not (tmp_path / "MANIFEST").exists()  # --no-manifest
    assert "wrote" in capsys.readouterr().out


def test_load_company_equals_a_fresh_simulation(monkeypatch):
    monkeypatch.delenv("CRMLAB_DATA_DIR", raising=False)
    loaded = datasets.load_company()
    fresh = simulate_company()  # defaults: seed 2024, 5,000 customers, competitive
    assert simulate.DEFAULT_SEED == 2024 and simulate.DEFAULT_N_CUSTOMERS == 5_000
    assert loaded.keys() == fresh.keys()
    for name in fresh:
        pd.testing.assert_frame_equal(loaded[name], fresh[name], check_exact=True)


# --- schema -------------------------------------------------------------------------


def test_every_table_of_the_schema_is_returned(company):
    assert set(company) == set(TABLE_SCHEMAS)


@pytest.mark.parametrize("table", list(TABLE_SCHEMAS))
def test_dtypes_follow_the_schema(company, table):
    frame, schema = company[table], TABLE_SCHEMAS[table]
    for col in schema.get("ids", []):
        assert isinstance(frame[col].dtype, pd.StringDtype), col
    for col in schema.get("dates", []):
        assert frame[col].dtype == "datetime64[ns]", col
    for col, levels in schema.get("categories", {}).items():
        assert isinstance(frame[col].dtype, pd.CategoricalDtype), col
        assert list(frame[col].cat.categories) == levels, col
        assert frame[col].cat.ordered == (col in schema.get("ordered", [])), col
    for col, dtype in schema.get("dtypes", {}).items():
        assert frame[col].dtype == dtype, col


@pytest.mark.parametrize(
    ("table", "col"),
    [
        ("customers", "customer_id"),
        ("orders", "order_id"),
        ("incidents", "incident_id"),
        ("contacts", "contact_id"),
        ("churn", "customer_id"),
        ("survey", "response_id"),
        ("pipeline", "opportunity_id"),
        ("truth", "customer_id"),
        ("referrals", "referred_id"),
    ],
)
def test_ids_are_unique_and_present(company, table, col):
    ids = company[table][col]
    assert ids.notna().all() and ids.is_unique


@pytest.mark.parametrize(
    ("table", "col"),
    [
        ("orders", "customer_id"),
        ("incidents", "customer_id"),
        ("contacts", "customer_id"),
        ("churn", "customer_id"),
        ("survey", "customer_id"),
        ("pipeline", "customer_id"),
        ("referrals", "referrer_id"),
        ("referrals", "referred_id"),
    ],
)
def test_customer_ids_exist_in_customers(company, table, col):
    ids = company[table][col].dropna()  # pipeline: failed opportunities have no customer
    assert ids.isin(company["customers"]["customer_id"]).all()


def test_truth_has_one_row_per_customer_in_the_same_order(company):
    pd.testing.assert_series_equal(
        company["truth"]["customer_id"], company["customers"]["customer_id"]
    )


@pytest.mark.parametrize(
    ("table", "col"),
    [
        ("orders", "order_date"),
        ("incidents", "incident_date"),
        ("contacts", "contact_date"),
        ("churn", "churn_date"),
        ("referrals", "referral_date"),
        ("truth", "churn_date"),
    ],
)
def test_event_dates_fall_in_2022_to_2024(company, table, col):
    dates = company[table][col].dropna()
    assert dates.between(START, END).all()


def test_other_dates_follow_their_documented_windows(company):
    # acquisition: month -72 (2016-01) to month 35 (2024-12), day 1..28 of the month
    acq = company["customers"]["acquisition_date"]
    assert acq.between(pd.Timestamp("2016-01-01"), pd.Timestamp("2024-12-28")).all()
    assert (acq.dt.day <= 28).all()
    # survey: one wave a year (second edition), each <wave>-09-01 + 0..44 days, duplicates
    # 1..5 days later: from 1 September to 20 October of the wave's year
    survey = company["survey"]
    assert set(survey["wave"]) == {2022, 2023, 2024}
    resp, year = survey["response_date"], survey["wave"]
    opens = pd.to_datetime(year.astype(str) + "-09-01")
    assert ((resp - opens).dt.days.between(0, 49)).all()
    # pipeline: opportunities not won in 2022-2024 are opened from 2021-01 (month -12);
    # won ones before their contract date (tests/test_simulate_crm.py)
    pl = company["pipeline"]
    assert (pl["open_date"] <= END).all()
    assert (pl.loc[pl["outcome"] != "won", "open_date"] >= pd.Timestamp("2021-01-01")).all()


def test_no_activity_before_acquisition(company):
    acq = company["customers"].set_index("customer_id")["acquisition_date"]
    for table, col in [
        ("orders", "order_date"),
        ("incidents", "incident_date"),
        ("contacts", "contact_date"),
        ("churn", "churn_date"),
    ]:
        frame = company[table]
        assert (frame[col] >= frame["customer_id"].map(acq)).all(), table


def test_no_activity_after_the_month_of_churn(company):
    """The model decides churn at the end of a month: a leaver's orders, incidents and
    contacts of that month are generated, later months have none."""
    churn = company["churn"].set_index("customer_id")["churn_date"]
    for table, col in [
        ("orders", "order_date"),
        ("incidents", "incident_date"),
        ("contacts", "contact_date"),
    ]:
        frame = company[table]
        if table == "orders":
            frame = frame[~frame["is_return"]]  # returns may follow 7-44 days later
        limit = _month_end(frame["customer_id"].map(churn))
        assert not (frame[col] > limit).any(), table


@pytest.mark.parametrize(
    "table, col",
    [
        ("orders", "order_date"),
        ("incidents", "incident_date"),
        ("contacts", "contact_date"),
        ("survey", "response_date"),
    ],
)
def test_no_activity_after_the_churn_date(company, table, col):
    churn = company["churn"].set_index("customer_id")["churn_date"]
    frame = company[table]
    if table == "orders":
        frame = frame[~frame["is_return"]]  # returns may follow 7-44 days later
    assert not (frame[col] > frame["customer_id"].map(churn)).any()


def test_referrers_were_customers_at_the_referral(company):
    churn = company["churn"].set_index("customer_id")["churn_date"]
    acquired = company["customers"].set_index("customer_id")["acquisition_date"]
    ref = company["referrals"]
    assert (ref["referrer_id"].map(acquired) < ref["referral_date"]).all()
    assert not (ref["referrer_id"].map(churn) < ref["referral_date"]).any()


# --- orders, prices, returns --------------------------------------------------------


def test_list_prices_follow_the_documented_price_changes(company):
    """Hand-worked paths from PRICE_CHANGES (month 0 = 2022-01):
    textiles 12.00, x1.06 from month 14 (2023-03) = 12.72, x1.05 from month 29 (2024-06)
    = 13.356 -> 13.36; electronics 45.00, x1.08 from month 9 (2022-10) = 48.60, x0.96
    from month 30 (2024-07) = 46.656 -> 46.66; machinery parts 120.00, x1.05 from month
    20 (2023-09) = 126.00, x1.06 from month 33 (2024-10) = 133.56; household 8.50,
    x1.07 from month 27 (2024-04) = 9.095 -> 9.10."""
    paths = {
        "textiles": [("2022-01", 12.00), ("2023-03", 12.72), ("2024-06", 13.36)],
        "electronics": [("2022-01", 45.00), ("2022-10", 48.60), ("2024-07", 46.66)],
        "machinery_parts": [("2022-01", 120.00), ("2023-09", 126.00), ("2024-10", 133.56)],
        "household": [("2022-01", 8.50), ("2024-04", 9.10)],
    }
    sales = company["orders"][~company["orders"]["is_return"]]
    for line, steps in paths.items():
        rows = sales[sales["product_line"] == line]
        month = rows["order_date"].dt.to_period("M")
        expected = pd.Series(np.nan, index=rows.index)
        for start, price in steps:
            expected[month >= pd.Period(start, "M")] = price
        np.testing.assert_allclose(rows["list_price"], expected, atol=1e-9, err_msg=line)


def test_amount_is_quantity_times_unit_price_to_the_cent(company):
    o = company["orders"]
    assert (np.abs(o["amount"] - o["quantity"] * o["unit_price"]) <= 0.005 + 1e-9).all()


def test_unit_price_is_within_a_cent_of_list_price_net_of_discount(company):
    """What holds now: unit price is rounded from the unrounded list price, so it may
    differ from the rounded one by 0.005 x (1 - discount) + 0.005 <= 0.01."""
    o = company["orders"]
    gap = np.abs(o["unit_price"] - o["list_price"] * (1 - o["discount"]))
    assert (gap <= 0.01 + 1e-9).all()
    assert o["discount"].between(0, 0.35).all()


def test_unit_price_is_list_price_net_of_discount_rounded(company):
    o = company["orders"]
    expected = (o["list_price"] * (1 - o["discount"])).round(2)
    assert (np.abs(o["unit_price"] - expected) < 1e-9).all()


def test_returns_are_negative_lines_and_sales_positive(company):
    o = company["orders"]
    ret = o["is_return"]
    assert (o.loc[ret, "quantity"] < 0).all() and (o.loc[ret, "amount"] < 0).all()
    assert (o.loc[~ret, "quantity"] >= 1).all() and (o.loc[~ret, "amount"] > 0).all()
    assert o["return_of"].notna().eq(ret).all()
    assert o["order_id"].str.startswith("R").eq(ret).all()
    # returns carry no quote or payment record
    assert o.loc[ret, "quote_days"].isna().all() and o.loc[ret, "days_late"].isna().all()
    assert o.loc[~ret, "quote_days"].notna().all() and (o.loc[~ret, "days_late"] >= 0).all()


def test_return_points_to_an_earlier_sale_of_the_same_customer_and_line(company):
    o = company["orders"]
    sales = o[~o["is_return"]].set_index("order_id")
    rets = o[o["is_return"]]
    assert rets["return_of"].is_unique  # at most one return per order line
    assert rets["return_of"].isin(sales.index).all()
    orig = sales.loc[rets["return_of"]]
    assert (orig["customer_id"].to_numpy() == rets["customer_id"].to_numpy()).all()
    assert (orig["product_line"].to_numpy() == rets["product_line"].to_numpy()).all()
    lag = (
        (rets["order_date"].to_numpy() - orig["order_date"].to_numpy())
        .astype("timedelta64[D]")
        .astype(int)
    )
    assert ((lag >= 7) & (lag <= 44)).all()  # returned 7..44 days later
    # the return is at the original price, for 10%, 25%, 50% or 100% of the quantity
    assert (orig["unit_price"].to_numpy() == rets["unit_price"].to_numpy()).all()
    q = orig["quantity"].to_numpy()
    shares = np.maximum(1, np.round(np.outer(q, [0.1, 0.25, 0.5, 1.0])))
    assert (shares == -rets["quantity"].to_numpy()[:, None]).any(axis=1).all()


def test_payment_records_are_consistent(company):
    sales = company["orders"][~company["orders"]["is_return"]]
    # defaulted lines were late first (late & coin): days_late >= 1
    assert (sales.loc[sales["defaulted"], "days_late"] >= 1).all()
    assert (sales["quote_days"] >= 0).all()


# --- incidents, contacts, pipeline, referrals ---------------------------------------


def test_order_linked_incident_rates(big):
    """Per order line: quality 2.0%, delivery 2.5%, billing 1.0% (INCIDENT_P_PER_ORDER),
    so 5.5 order-linked incidents per 100 order lines."""
    n_sales = int((~big["orders"]["is_return"]).sum())
    counts = big["incidents"]["incident_type"].value_counts()
    for kind, p in simulate.INCIDENT_P_PER_ORDER.items():
        assert _within(counts[kind] / n_sales, p, n_sales), kind


def test_incident_severity_and_handling(big):
    inc = big["incidents"]
    n = len(inc)
    for sev, p in [(1, 0.6), (2, 0.3), (3, 0.1)]:
        assert _within((inc["severity"] == sev).mean(), p, n), sev
    # P(handled well) = 0.78 - 0.12 (severity - 1) + 0.06 size_code, size_code small=0:
    # small customers, severity 1: 0.78; severity 2: 0.66
    size = inc["customer_id"].map(big["customers"].set_index("customer_id")["size"])
    for sev, p in [(1, 0.78), (2, 0.66)]:
        cell = inc[(size == "small").to_numpy() & (inc["severity"] == sev).to_numpy()]
        assert _within(cell["handled_well"].mean(), p, len(cell)), sev
    assert inc.loc[inc["handled_well"], "resolved"].all()  # handled well implies resolved


def test_contact_cost_is_the_documented_rate(company):
    rate = COSTS[COSTS["item"] == "contact"].set_index("unit")["cost"]  # 900, 40, 2,500
    con = company["contacts"]
    assert (con["cost"] == con["contact_type"].astype(str).map(rate)).all()


# the pipeline (rebuilt with sources, relationships and owners) is tested in
# tests/test_simulate_crm.py


def test_referrals_link_referral_customers_to_earlier_customers(company):
    cust = company["customers"].set_index("customer_id")
    ref = company["referrals"]
    referred = cust.loc[ref["referred_id"]]
    assert (referred["channel"] == "referral").all()
    assert (referred["acquisition_date"] >= START).all()
    assert (ref["referral_date"].to_numpy() == referred["acquisition_date"].to_numpy()).all()
    # the referrer was acquired in an earlier month
    referrer = cust.loc[ref["referrer_id"], "acquisition_date"].dt.to_period("M")
    assert (referrer.to_numpy() < referred["acquisition_date"].dt.to_period("M").to_numpy()).all()
    # every referral-channel customer won in 2022-2024 has a referrer (many candidates exist)
    n_ref = ((cust["channel"] == "referral") & (cust["acquisition_date"] >= START)).sum()
    assert len(ref) == n_ref


# --- churn --------------------------------------------------------------------------


def test_status_churn_table_and_truth_agree(company):
    cust, churn, truth = company["customers"], company["churn"], company["truth"]
    churned = cust.loc[cust["status"] == "churned", "customer_id"]
    assert sorted(churned) == sorted(churn["customer_id"])
    assert truth["churn_date"].notna().eq(cust["status"] == "churned").all()
    assert truth["churn_cause"].notna().eq(truth["churn_date"].notna()).all()
    true_date = truth.set_index("customer_id")["churn_date"]
    assert (churn["churn_date"].to_numpy() == true_date.loc[churn["customer_id"]].to_numpy()).all()


def test_churn_types_follow_the_cause_mapping(company):
    churn, truth = company["churn"], company["truth"]
    recorded = churn["stated_reason"].astype(str).map(CHURN_TYPE_OF_CAUSE)
    assert (churn["churn_type"].astype(str) == recorded).all()
    leavers = truth[truth["churn_date"].notna()]
    true_type = leavers["churn_cause"].astype(str).map(CHURN_TYPE_OF_CAUSE)
    assert (leavers["churn_type"].astype(str) == true_type).all()
    assert set(CHURN_TYPE_OF_CAUSE) == set(CHURN_CAUSES)


def test_stated_reason_is_the_true_cause_or_price(big):
    """With probability STATED_REASON_NOISE = 0.2 a leaver says "price" whatever the
    cause, so P(stated = true) = 0.8 + 0.2 P(cause = price)."""
    m = big["churn"].merge(big["truth"][["customer_id", "churn_cause"]], on="customer_id")
    stated, true = m["stated_reason"].astype(str), m["churn_cause"].astype(str)
    assert (stated[stated != true] == "price").all()
    p_price = (true == "price").mean()
    expected = (1 - STATED_REASON_NOISE) + STATED_REASON_NOISE * p_price
    assert _within((stated == true).mean(), expected, len(m))


def test_every_cause_occurs(big):
    causes = big["truth"]["churn_cause"].value_counts()
    assert (causes[CHURN_CAUSES] > 0).all()


def test_incident_causes_need_an_incident_first(company):
    """Hazards 'incident_mishandled' and 'quality' are zero until the customer has had a
    badly handled incident (resp. a quality incident), in or before the churn month."""
    truth, inc = company["truth"], company["incidents"]
    for cause, which in [
        ("incident_mishandled", ~inc["handled_well"]),
        ("quality", inc["incident_type"] == "quality"),
    ]:
        leavers = truth[truth["churn_cause"] == cause].set_index("customer_id")["churn_date"]
        first = inc[which].groupby("customer_id")["incident_date"].min()
        first = first.reindex(leavers.index)
        assert first.notna().all(), cause
        assert (first <= _month_end(leavers)).all(), cause


# --- survey -------------------------------------------------------------------------


def test_survey_answers_are_likert_codes_or_missing(company):
    values = company["survey"][SURVEY_ITEMS].to_numpy(dtype=float, na_value=np.nan)
    ok = np.isnan(values) | np.isin(values, [1, 2, 3, 4, 5, *OUT_OF_RANGE_CODES])
    assert ok.all()


def test_survey_respondents_match_truth(company):
    truth, survey = company["truth"], company["survey"]
    responded = truth.loc[truth["survey_responded"], "customer_id"]
    assert sorted(responded) == sorted(survey["customer_id"].unique())
    # invited = active in the wave's September, the only ones with a satisfaction recorded
    # for that wave (second edition: waves 2022-2024; satisfaction_at_survey is 2024's)
    sat = truth.set_index("customer_id")[
        ["satisfaction_2022", "satisfaction_2023", "satisfaction_at_survey"]
    ]
    sat.columns = [2022, 2023, 2024]
    for wave, rows in survey.groupby("wave"):
        assert sat.loc[rows["customer_id"].unique(), wave].notna().all(), wave


def test_survey_mess_rates(big):
    """Realised rates within 4 binomial SE of SURVEY_MESS. Out-of-range codes are put in
    before missing cells, which overwrite 3% of them: expected 0.008 x 0.97 = 0.00776."""
    survey, truth = big["survey"], big["truth"]
    answers = survey[SURVEY_ITEMS].to_numpy(dtype=float, na_value=np.nan)
    cells = answers.size
    assert _within(np.isnan(answers).mean(), SURVEY_MESS["missing_cell"], cells)
    expected_oor = SURVEY_MESS["out_of_range_cell"] * (1 - SURVEY_MESS["missing_cell"])
    assert expected_oor == pytest.approx(0.00776)
    assert _within(np.isin(answers, OUT_OF_RANGE_CODES).mean(), expected_oor, cells)
    # straight-lining is a respondent's trait (second edition): rate among respondents
    n_resp = int(truth["survey_responded"].sum())
    straight = truth["survey_straightliner"].sum()
    assert _within(straight / n_resp, SURVEY_MESS["straightliner"], n_resp)
    # duplicates: a second sheet within a wave, per respondent and wave
    sheets = survey[["customer_id", "wave"]]
    n_pairs = len(sheets.drop_duplicates())
    duplicates = sheets.duplicated().sum()
    assert _within(duplicates / n_pairs, SURVEY_MESS["duplicate_respondent"], n_pairs)
    assert sheets.value_counts().max() <= 2


def test_straightliners_give_one_answer(big):
    """A straight-liner's row is one value in 3..5; only the later out-of-range and
    missing cells (about 4% of cells) can break it."""
    truth, survey = big["truth"], big["survey"]
    flagged = truth.loc[truth["survey_straightliner"], "customer_id"]
    first = survey.drop_duplicates(["customer_id", "wave"])  # a duplicate sheet is jittered
    rows = first[first["customer_id"].isin(flagged)]
    answers = rows[SURVEY_ITEMS]
    modal_share = answers.apply(lambda r: r.value_counts(normalize=True).iloc[0], axis=1)
    assert (modal_share >= 0.8).all()
    others = survey[~survey["customer_id"].isin(flagged)][SURVEY_ITEMS]
    assert (others.nunique(axis=1) > 1).all()


def test_survey_response_is_biased_toward_satisfied_and_large(big):
    """P(respond) = logistic(-0.7 + 0.7 (sat - 3.4) + 0.35 size_code + 1.5 x answered the
    previous wave), checked on the 2024 wave."""
    truth = big["truth"]
    invited = truth[truth["satisfaction_at_survey"].notna()].copy()
    wave = big["survey"][big["survey"]["wave"] == 2024]
    invited["survey_responded"] = invited["customer_id"].isin(wave["customer_id"])
    sat = invited.groupby("survey_responded")["satisfaction_at_survey"].mean()
    assert sat[True] > sat[False]
    size = invited["customer_id"].map(big["customers"].set_index("customer_id")["size"])
    rate = invited["survey_responded"].groupby(size.to_numpy()).mean()
    assert rate["small"] < rate["medium"] < rate["large"]


def test_reverse_coded_items_run_against_their_scale(big):
    s = big["survey"][SURVEY_ITEMS].astype(float)
    s = s.where((s >= 1) & (s <= 5))
    s = s[s.nunique(axis=1) > 1]  # drop straight-liners
    for item, mate in [("rq_trust3", "rq_trust1"), ("rq_belong3", "rq_belong1")]:
        assert s[item].corr(s[mate]) < 0, item
        assert s[f"{item[:-1]}2"].corr(s[mate]) > 0, item


# --- emergent shapes ----------------------------------------------------------------


def test_seasonality_february_well_below_october(company):
    """SEASON gives February 0.62 / October 1.25 = 0.496 of the order rate; the active
    base only grows from February to October (acquisitions outpace churn), so the ratio
    of order counts should be about 0.5 or less. 0.7 leaves > 6 Poisson SE at ~1,000
    February orders."""
    sales = company["orders"][~company["orders"]["is_return"]]
    by_month = sales.groupby(sales["order_date"].dt.to_period("M")).size()
    for year in (2022, 2023, 2024):
        ratio = by_month[pd.Period(f"{year}-02", "M")] / by_month[pd.Period(f"{year}-10", "M")]
        assert ratio < 0.7, year


def test_orders_grow_over_the_three_years(company):
    """Trend: each customer's rate grows 4% a year (1.04^2 = 1.08 from 2022 to 2024) and
    the active base grows: about 45% of customers exist in 2022-01, 55% are won over the
    36 months while about a tenth leave each year."""
    sales = company["orders"][~company["orders"]["is_return"]]
    per_year = sales.groupby(sales["order_date"].dt.year).size()
    assert per_year[2022] < per_year[2023] < per_year[2024]
    assert per_year[2024] > 1.1 * per_year[2022]


def test_revenue_is_concentrated_in_the_top_fifth(company):
    """Order quantity has a per-customer factor LogNormal(-0.45, 0.95), independent of all
    other traits; its top 20% hold 1 - Phi(z_0.8 - sigma) = 1 - Phi(0.8416 - 0.95)
    = Phi(0.108) = 0.543 of the total. Revenue's expectation is that factor times
    independent positive factors (purchase rate, size, tenure), a mean-preserving spread
    in Lorenz order, so the top 20% should hold more than 0.54; 0.5 allows sampling."""
    o, cust = company["orders"], company["customers"]
    rev = o.groupby("customer_id")["amount"].sum().reindex(cust["customer_id"], fill_value=0)
    top = np.sort(rev.to_numpy())[::-1][: len(rev) // 5].sum() / rev.sum()
    assert top > 0.5


# --- causal levers ------------------------------------------------------------------


def test_badly_handled_incidents_raise_churn(big):
    """A badly handled incident adds its severity to the hazard of 'incident_mishandled'
    (0.04 x severity x (1 - tolerance) x ..., decaying by 0.6 a month) and lowers
    satisfaction. Handling is random given severity and size, so churn within 90 days
    of an incident compares cleanly. Comparing customers with a badly handled incident
    against those with none at all would not: customers without incidents are those
    with few orders or short tenure, and they churn more for other reasons."""
    inc = big["incidents"].merge(big["truth"][["customer_id", "churn_date"]], on="customer_id")
    soon = (inc["churn_date"] > inc["incident_date"]) & (
        inc["churn_date"] <= inc["incident_date"] + pd.Timedelta(days=90)
    )
    bad, well = soon[~inc["handled_well"]], soon[inc["handled_well"]]
    se = np.sqrt(
        bad.mean() * (1 - bad.mean()) / len(bad) + well.mean() * (1 - well.mean()) / len(well)
    )
    assert bad.mean() - well.mean() > 2 * se
    # customers: at least one badly handled incident vs incidents all handled well
    churned = big["truth"].set_index("customer_id")["churn_date"].notna()
    any_bad = big["incidents"].groupby("customer_id")["handled_well"].all().eq(False)
    rate = churned.loc[any_bad.index].groupby(any_bad.to_numpy()).mean()
    assert rate[True] > rate[False]


def test_price_type_customers_are_price_sensitive(big):
    """Price-type customers (利益/价格忠诚) have mean elasticity -2.4 x E[LogNormal(0, 0.25)]
    = -2.4 x exp(0.03125) = -2.48; the next most sensitive type (incentive) -1.44.
    In their orders, log quantity = elasticity x log(unit price / competitors' price
    index) + customer-line level + noise (``market_prices``), so the pooled within
    customer-and-line slope on that relative price should be close to -2.48 (standard
    error about 0.25 / (0.1 sqrt(20,000)) = 0.02; rounding quantities to whole units
    pulls it towards 0). The slope on the unit price alone, without the competitors'
    index, was -2.06 on this company (the index moves quantity too), hence the index."""
    truth = big["truth"]
    mean_e = truth.groupby("loyalty_type", observed=True)["price_elasticity"].mean()
    assert mean_e.idxmin() == "price"
    assert mean_e["price"] == pytest.approx(-2.48, abs=0.1)
    sales = big["orders"][~big["orders"]["is_return"]]
    mp = big["market_prices"].assign(month=lambda d: d["price_date"].dt.to_period("M"))
    index = sales.assign(month=sales["order_date"].dt.to_period("M")).merge(
        mp[["month", "product_line", "competitor_price_index"]],
        on=["month", "product_line"],
        how="left",
        validate="many_to_one",
    )["competitor_price_index"]
    assert index.notna().all()
    sales = sales.assign(relative_price=sales["unit_price"].to_numpy() / index.to_numpy())
    ltype = sales["customer_id"].map(truth.set_index("customer_id")["loyalty_type"])

    def slope(rows: pd.DataFrame) -> float:
        x, y = np.log(rows["relative_price"]), np.log(rows["quantity"])
        key = [rows["customer_id"], rows["product_line"]]
        x = x - x.groupby(key, observed=True).transform("mean")
        y = y - y.groupby(key, observed=True).transform("mean")
        beta, *_ = np.linalg.lstsq(x.to_numpy()[:, None], y.to_numpy(), rcond=None)
        return float(beta[0])

    price = slope(sales[(ltype == "price").to_numpy()])
    others = slope(sales[(ltype != "price").to_numpy()])
    assert price < 0
    print(f"pooled slope, price type: {price:.3f}; others {others:.3f}")
    assert price == pytest.approx(mean_e["price"], abs=0.4)
    assert price < others - 1.0


def test_satisfaction_matters_less_for_retention_under_monopoly():
    """Jones & Sasser: the satisfaction slope of the churn hazards is 1.3 in a competitive
    market and 0.08 under monopoly, so the churn gap between the lowest and highest third
    of satisfaction propensity shrinks. Same seed, so the same customers and traits.
    Each gap has SE about sqrt(0.5 x 0.5 / 1,000 + 0.2 x 0.8 / 1,000) = 0.02, the
    difference of gaps about 0.03; 0.1 is over 3 SE."""
    gaps, rates = {}, {}
    traits = None
    for market in ["competitive", "monopoly"]:
        truth = simulate_company(seed=5, n_customers=3_000, market=market)["truth"]
        assert (truth["market"] == market).all()
        cols = ["loyalty_type", "satisfaction_propensity", "price_elasticity"]
        if traits is None:
            traits = truth[cols]
        else:
            pd.testing.assert_frame_equal(truth[cols], traits)
        sat = truth["satisfaction_propensity"]
        low, high = sat <= sat.quantile(1 / 3), sat >= sat.quantile(2 / 3)
        churned = truth["churn_date"].notna()
        gaps[market] = churned[low].mean() - churned[high].mean()
        rates[market] = churned.mean()
    assert gaps["competitive"] > 0
    assert gaps["monopoly"] < gaps["competitive"] - 0.1
    assert rates["monopoly"] < rates["competitive"]


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": "1"}, "seed"),
        ({"seed": True}, "seed"),
        ({"n_customers": 49}, "n_customers"),
        ({"n_customers": 1_000.0}, "n_customers"),
        ({"n_customers": "1000"}, "n_customers"),
        ({"market": "oligopoly"}, "market"),
    ],
)
def test_bad_input_raises_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        simulate_company(**kwargs)
