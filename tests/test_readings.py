"""Readings of odds and hazard ratios per covariate type (crmlab._readings, issue 17)."""

import math

import pandas as pd
import pytest

from crmlab import churn_warning, datasets
from crmlab import survival as sv
from crmlab._readings import Term, describe_terms, format_ratio, nice_step, ratio_lines, unit_of

# Eight customers; x = 0..7, churned 0 0 1 0 1 0 1 1 (the data of test_churn_warning).
X8 = [0, 1, 2, 3, 4, 5, 6, 7]
Y8 = [0, 0, 1, 0, 1, 0, 1, 1]


def _ten():
    # small: 2 churned of 6 (odds 2/4 = 0.5); large: 3 churned of 4 (odds 3/1 = 3)
    return pd.DataFrame(
        {
            "size": pd.Categorical(["small"] * 6 + ["large"] * 4, categories=["small", "large"]),
            "vip": [0] * 6 + [1] * 4,
            "churned": [1, 1, 0, 0, 0, 0, 1, 1, 1, 0],
        }
    )


def test_categorical_level_is_read_against_the_reference_level():
    # One categorical feature: the model is saturated, so the odds ratio is the 2x2
    # table's (3/1) / (2/4) = 6; log OR 1.792, se sqrt(1/2 + 1/4 + 1/3 + 1/1) = 1.443,
    # z = 1.24, p = 0.21: not significant.
    line = churn_warning.fit_logit(_ten(), features=["size"]).read()[0]
    assert line.startswith(
        "size=large: large rather than small (the reference level) multiplies the odds of "
        "churn by 6.000 (+500%; 95% CI "
    )
    assert line.endswith("; not significant at the 5% level)")


def test_binary_feature_is_read_as_1_rather_than_0():
    # the same table with a 0/1 column: same odds ratio 6
    line = churn_warning.fit_logit(_ten(), features=["vip"]).read()[0]
    assert line.startswith("vip: 1 rather than 0 multiplies the odds of churn by 6.000 (+500%")


def test_numeric_feature_that_rounds_to_one_is_read_per_round_step():
    # x in thousands (0, 1000, ..., 7000): the coefficient is the one of x = 0..7 divided
    # by 1000, so the per-unit ratio is about 1.0006 and its interval rounds to 1.00 too.
    # The standard deviation is 1000 x sd(0..7) = 2449, the round step below it 2000, and
    # the ratio per 2000 is exp(2 c), c the coefficient fitted on x = 0..7 (second fit).
    c = churn_warning.fit_logit(pd.DataFrame({"x": X8, "churned": Y8}), features=["x"])
    c = c.odds_ratios.loc["x", "coef"]
    big = pd.DataFrame({"x": [1000 * v for v in X8], "churned": Y8})
    line = churn_warning.fit_logit(big, features=["x"]).read()[0]
    assert line.startswith(
        f"x: 2,000 more (about one standard deviation) multiplies the odds of churn by "
        f"{math.exp(2 * c):.3f} ("
    )
    assert "1.000" not in line and "by 1 " not in line


def test_numeric_feature_per_named_step():
    # per 1,000 yuan on the thousand-scaled data: exp(1000 x c / 1000) = exp(c) = 1.811
    big = pd.DataFrame({"x": [1000 * v for v in X8], "churned": Y8})
    m = churn_warning.fit_logit(big, features=["x"])
    line = m.read(per={"x": (1000, "1,000 yuan")})[0]
    assert line.startswith("x: 1,000 yuan more multiplies the odds of churn by 1.811 (+81%")
    assert m.read(per={"x": 1000})[0].startswith("x: 1,000 more multiplies")
    with pytest.raises(ValueError, match="positive number"):
        m.read(per={"x": 0})
    cat = churn_warning.fit_logit(_ten(), features=["size"])
    with pytest.raises(ValueError, match="not a numeric covariate"):
        cat.read(per={"size": 10})


def test_cox_reading_per_type_on_rossi():
    # R survival: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
    # rossi) gives coef fin -0.37942 (fin is 0/1), prio 0.09150 (a count):
    # exp(-0.37942) = 0.684, exp(0.09150) = 1.096
    fit = sv.cox_model(
        datasets.load("rossi"),
        duration="week",
        event="arrest",
        covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"],
    )
    lines = dict(line.split(": ", 1) for line in fit.read())
    assert lines["fin"].startswith("1 rather than 0 multiplies the churn hazard by 0.684 (−32%")
    assert lines["prio"].startswith("one unit more multiplies the churn hazard by 1.096 (+10%")


def test_describe_terms_and_helpers():
    t = describe_terms(_ten().assign(flag=[True, False] * 5, n=range(10)), ["size", "flag", "n"])
    assert (t["size=large"].kind, t["size=large"].reference) == ("categorical", "small")
    assert t["flag"].kind == "binary" and t["n"].kind == "numeric"
    assert t["n"].spread == pytest.approx(3.02765, abs=1e-5)  # sd of 0..9 = sqrt(82.5 / 9)
    assert [nice_step(v) for v in (0.5, 7.0, 30.0, 2449.5)] == [0.5, 5.0, 20.0, 2000.0]
    assert format_ratio(0.99994) == "1.000" and format_ratio(1.0016) == "1.002"


def test_ratio_within_half_a_percent_of_one_is_scaled_even_if_its_interval_is_not():
    # tenure in months, sd 12: per month 0.9969 (95% CI 0.9939-0.9999) would read "−0%";
    # per 10 months: 0.9969^10 = exp(10 ln 0.9969) = 0.969, 0.9939^10 = 0.941,
    # 0.9999^10 = 0.999, change −3%
    table = pd.DataFrame(
        {"odds_ratio": [0.9969], "lower": [0.9939], "upper": [0.9999], "p": [0.04]},
        index=["tenure_months"],
    )
    terms = {"tenure_months": Term("tenure_months", "numeric", spread=12.0)}
    assert ratio_lines(table, "odds_ratio", terms, what="the odds of churn", confidence=0.95) == [
        "tenure_months: 10 more (about one standard deviation) multiplies the odds of churn by "
        "0.969 (−3%; 95% CI 0.941-0.999)"
    ]


# --- units (issue 17 item 3): every numeric reading names its step's unit -------------------
def _one(name, ratio, lower, upper, p, term):
    table = pd.DataFrame(
        {"odds_ratio": [ratio], "lower": [lower], "upper": [upper], "p": [p]}, index=[name]
    )
    return ratio_lines(
        table, "odds_ratio", {name: term}, what="the odds of churn", confidence=0.95
    )[0]


def test_unit_is_read_from_the_vocabulary_name():
    assert unit_of("days_since_last") == "day" and unit_of("recency_days") == "day"
    assert unit_of("tenure_months") == "month" and unit_of("horizon_weeks") == "week"
    assert unit_of("n_orders_12m") == "count" and unit_of("n_incidents_6m") == "count"
    share = pd.Series([0.0, 0.5, 1.0])
    assert unit_of("promo_share_12m", share) == "share" and unit_of("share", share) == "share"
    # a "rate" outside [0, 1] is no share; money and an unknown name have no unit
    assert unit_of("churn_rate", pd.Series([0.2, 1.5])) is None
    assert unit_of("revenue") is None and unit_of("monthly_charges") is None
    terms = describe_terms(
        pd.DataFrame({"days_since_last": [1.0, 50.0, 300.0], "promo_share": [0.0, 0.2, 0.9]}),
        ["days_since_last", "promo_share"],
    )
    assert terms["days_since_last"].unit == "day" and terms["promo_share"].unit == "share"


def test_recency_in_days_never_reads_by_1_with_interval_1_1():
    # notebook 04's old reading: per day 1.0007 (95% CI 0.9999-1.0016), sd 120 days.
    # Per 100 days (the round step below 120): 1.0007^100 = exp(100 x 0.00069976) = 1.0725,
    # 0.9999^100 = exp(-0.0100005) = 0.990, 1.0016^100 = exp(0.159872) = 1.173; +7%.
    line = _one(
        "recency_days",
        1.0007,
        0.9999,
        1.0016,
        0.08,
        Term("recency_days", "numeric", spread=120.0, unit="day"),
    )
    assert line == (
        "recency_days: 100 days more (about one standard deviation) multiplies the odds of "
        "churn by 1.072 (+7%; 95% CI 0.990-1.173; not significant at the 5% level)"
    )


def test_per_unit_reading_names_the_unit():
    # 1.116 per day of quote delay is not within half a percent of 1: read per day
    line = _one(
        "quote_days",
        1.116,
        1.097,
        1.136,
        1e-6,
        Term("quote_days", "numeric", spread=3.0, unit="day"),
    )
    assert line.startswith("quote_days: 1 day more multiplies the odds of churn by 1.116 (+12%")
    # a count: one more (order), no unit word; months in the plural past one
    count = _one(
        "n_orders", 1.2, 1.1, 1.3, 0.001, Term("n_orders", "numeric", spread=4.0, unit="count")
    )
    assert count.startswith("n_orders: 1 more multiplies the odds of churn by 1.200 (+20%")
    # per month 0.9969 rounds to one: sd 25 months gives a step of 20; 0.9969^20 =
    # exp(20 x -0.0031048) = 0.9398
    months = _one(
        "tenure_months",
        0.9969,
        0.9939,
        0.9999,
        0.04,
        Term("tenure_months", "numeric", spread=25.0, unit="month"),
    )
    assert months.startswith(
        "tenure_months: 20 months more (about one standard deviation) "
        "multiplies the odds of churn by 0.940 (−6%"
    )


def test_share_is_read_per_ten_percentage_points():
    # one unit of a share is its whole range (0 -> 100%): per 0.1 instead,
    # 2.5987^0.1 = exp(0.1 x 0.95501) = 1.1003; 1.3984^0.1 = 1.0341; 4.8293^0.1 = 1.1706
    line = _one(
        "promo_share_12m",
        2.5987,
        1.3984,
        4.8293,
        0.0025,
        Term("promo_share_12m", "numeric", spread=0.2, unit="share"),
    )
    assert line == (
        "promo_share_12m: 10 percentage points more multiplies the odds of churn by 1.100 "
        "(+10%; 95% CI 1.034-1.171)"
    )


def test_money_is_read_per_the_step_the_caller_names():
    # per yuan 1.00005 (rounds to one); sd 30,000 yuan. Without a unit the automatic step
    # is 20,000 with no unit word; per 1,000 yuan: 1.00005^1000 = exp(0.0499988) = 1.051
    term = Term("revenue", "numeric", spread=30_000.0)
    table = pd.DataFrame(
        {"odds_ratio": [1.00005], "lower": [1.00001], "upper": [1.00009], "p": [0.01]},
        index=["revenue"],
    )
    kw = {"what": "the odds of churn", "confidence": 0.95}
    auto = ratio_lines(table, "odds_ratio", {"revenue": term}, **kw)[0]
    assert auto.startswith("revenue: 20,000 more (about one standard deviation) multiplies")
    named = ratio_lines(
        table, "odds_ratio", {"revenue": term}, per={"revenue": (1000, "1,000 yuan")}, **kw
    )[0]
    assert named.startswith("revenue: 1,000 yuan more multiplies the odds of churn by 1.051 (+5%")
