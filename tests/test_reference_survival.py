"""crmlab.survival against the reference implementations (issue 13).

Expected values come from lifelines' own test suite (file and test named in each
docstring) or from R 4.2.2 with survival 3.5-3 (the R call pasted in the docstring, as
lifelines does). Data under ``tests/data/`` (see its README for sources and licences);
Rossi is ``datasets/rossi.csv``. In the R calls, ``rossi`` is that file, and
``rossi$entry <- pmin((seq_len(432) - 1) %% 10, rossi$week - 1)`` gives a late-entry
variant whose entries often equal event weeks (the case where conventions differ).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets
from crmlab import survival as sv

DATA = Path(__file__).parent / "data"
ROSSI_COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


@pytest.fixture(scope="module")
def rossi():
    return datasets.load("rossi")


@pytest.fixture(scope="module")
def rossi_entry(rossi):
    """Rossi with entry = min(row % 10, week - 1): 387 entries equal an event week."""
    return rossi.assign(entry=np.minimum(np.arange(len(rossi)) % 10, rossi["week"] - 1))


@pytest.fixture(scope="module")
def g3():
    d = pd.read_csv(DATA / "g3.csv")
    return d.assign(event=d["event"].astype(int))


@pytest.fixture(scope="module")
def rossi_fit(rossi):
    return sv.cox_model(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES)


@pytest.fixture(scope="module")
def rossi_entry_fit(rossi_entry):
    return sv.cox_model(
        rossi_entry, duration="week", event="arrest", covariates=ROSSI_COVARIATES, entry="entry"
    )


# --- Kaplan-Meier ------------------------------------------------------------------------
def test_km_survival_against_R(g3):
    """lifelines, lifelines/tests/test_estimation.py,
    test_kmf_survival_curve_output_against_R: group RIT S(25), S(53) = 0.909, 0.779;
    the others S(9), S(19), S(32), S(34) = 0.833, 0.667, 0.5, 0.333."""
    rit = sv.kaplan_meier(g3[g3["group"] == "RIT"], duration="time", event="event")
    np.testing.assert_allclose(rit.survival_at([25, 53]).iloc[0], [0.909, 0.779], atol=5e-4)
    rest = sv.kaplan_meier(g3[g3["group"] != "RIT"], duration="time", event="event")
    np.testing.assert_allclose(
        rest.survival_at([9, 19, 32, 34]).iloc[0], [5 / 6, 4 / 6, 3 / 6, 2 / 6], rtol=1e-12
    )


def test_km_log_log_bands_against_R(g3):
    """lifelines, test_estimation.py, test_kmf_confidence_intervals_output_against_R
    ("this uses conf.type = 'log-log'"): lower 0.2731, 0.1946, 0.1109, 0.0461; upper
    0.975, 0.904, 0.804, 0.676 at t = 9, 19, 32, 34. R to more digits:
    summary(survfit(Surv(time, event) ~ 1, data = g3[g3$group != "RIT", ],
    conf.type = "log-log"), times = c(9, 19, 32, 34))."""
    km = sv.kaplan_meier(g3[g3["group"] != "RIT"], duration="time", event="event")
    assert km.method == "log-log"  # the default
    ci = km.confidence_interval([9, 19, 32, 34])
    np.testing.assert_allclose(ci["lower"], [0.2731, 0.1946, 0.1109, 0.0461], rtol=1e-3)
    np.testing.assert_allclose(ci["upper"], [0.975, 0.904, 0.804, 0.676], rtol=1e-3)
    np.testing.assert_allclose(
        ci["lower"], [0.27312284993, 0.19461663681, 0.11094826035, 0.04608224341], rtol=1e-9
    )
    np.testing.assert_allclose(
        ci["upper"], [0.9747124267, 0.9044341643, 0.8037092369, 0.6755643580], rtol=1e-9
    )


@pytest.mark.parametrize(
    ("method", "lower", "upper"),
    [
        ("log", [0.5826547955, 0.3786064609, 0.2246303478, 0.1075071392], [1, 1, 1, 1]),
        (
            "plain",
            [0.53513430938, 0.28947142197, 0.09992402697, 0.0],
            [1.0, 1.0, 0.900075973, 0.710528578],
        ),
        (
            "logit",
            [0.36874720973, 0.26811028744, 0.16793914604, 0.08389801193],
            [0.9771674501, 0.9161019881, 0.8320608540, 0.7318897126],
        ),
        (
            "arcsin",
            [0.46481695411, 0.27788481287, 0.14126902777, 0.04568557891],
            [0.9995815138, 0.9543144211, 0.8587309722, 0.7221151871],
        ),
    ],
)
def test_km_other_bands_against_R(g3, method, lower, upper):
    """R: summary(survfit(Surv(time, event) ~ 1, data = g3[g3$group != "RIT", ],
    conf.type = METHOD), times = c(9, 19, 32, 34)) for conf.type log, plain, logit,
    arcsin (survival 3.5-3)."""
    km = sv.kaplan_meier(g3[g3["group"] != "RIT"], duration="time", event="event", method=method)
    ci = km.confidence_interval([9, 19, 32, 34])
    np.testing.assert_allclose(ci["lower"], lower, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ci["upper"], upper, rtol=1e-8)


def test_km_bands_stay_inside_unit_interval(g3):
    # the old S +- z se bands left (0, 1) at small n; log-log cannot (it is a transform of
    # a band for log(-log S)), and before the first event the band is S = 1 itself
    tab = sv.kaplan_meier(g3, duration="time", event="event").table()
    inner = tab[(tab["survival"] > 0) & (tab["survival"] < 1)]
    assert ((inner["lower"] > 0) & (inner["upper"] < 1)).all()
    assert (inner["lower"] < inner["survival"]).all() and (inner["survival"] < inner["upper"]).all()
    assert tab.iloc[0][["survival", "lower", "upper"]].tolist() == [1, 1, 1]


def test_km_late_entry_against_R():
    """lifelines, test_estimation.py, test_late_entry_with_against_R: entry 1, 2, 4, 0,
    0; T 2, 10, 5, 4, 3 (all events): S = 1, 1, 0.667, 0.444, 0.222, 0.111, 0 at
    0, 1, 2, 3, 4, 5, 10. By hand with entry < t <= T: t=2 at risk {1, 4, 5} -> 2/3;
    t=3 {2, 4, 5} -> 4/9; t=4 {2, 4} (entry 4 is not < 4) -> 2/9; t=5 {2, 3} -> 1/9."""
    d = pd.DataFrame({"T": [2, 10, 5, 4, 3], "E": 1, "entry": [1, 2, 4, 0, 0]})
    km = sv.kaplan_meier(d, duration="T", event="E", entry="entry")
    np.testing.assert_allclose(
        km.survival_at([0, 1, 2, 3, 4, 5, 10]).iloc[0], [1, 1, 2 / 3, 4 / 9, 2 / 9, 1 / 9, 0]
    )


def test_km_late_entry_almost_tied_against_R():
    """lifelines, test_estimation.py, test_late_entry_with_almost_tied_entry_and_death_
    against_R: entry 1.9, 0, 0, 0, 0; T 2, 10, 5, 4, 3: S = 1, 1, 0.8, 0.6, 0.4, 0.2, 0
    at 0, 1.9, 2, 3, 4, 5, 10."""
    d = pd.DataFrame({"T": [2, 10, 5, 4, 3], "E": 1, "entry": [1.9, 0, 0, 0, 0]})
    km = sv.kaplan_meier(d, duration="T", event="E", entry="entry")
    np.testing.assert_allclose(
        km.survival_at([0, 1.9, 2, 3, 4, 5, 10]).iloc[0], [1, 1, 0.8, 0.6, 0.4, 0.2, 0]
    )


def test_km_unknown_band_method():
    d = pd.DataFrame({"tenure": [1, 2], "churned": [1, 0]})
    with pytest.raises(ValueError, match="log-log"):
        sv.kaplan_meier(d, method="greenwood")


# --- log-rank ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "chisq", "p"),
    [([1, 1, 1, 1, 1, 1], 0.254237, 0.614107), ([1, 0, 1, 1, 0, 1], 0.384615, 0.535143)],
)
def test_logrank_against_R_small(status, chisq, p):
    """lifelines, lifelines/tests/test_statistics.py,
    test_rank_test_output_against_R_no_censorship and ..._with_censorship:
    survdiff(Surv(c(10,20,30,10,20,50), status) ~ c(1,1,1,0,0,0))."""
    d = pd.DataFrame({"t": [10, 20, 30, 10, 20, 50], "e": status, "g": [1, 1, 1, 0, 0, 0]})
    r = sv.logrank_test(d, duration="t", event="e", group="g")
    assert r.statistic == pytest.approx(chisq, abs=1e-6)
    assert r.p_value == pytest.approx(p, abs=1e-6)


def test_logrank_g3_against_R(g3):
    """lifelines, test_statistics.py, test_logrank_test_output_against_R_1: p = 0.0138.
    R: survdiff(Surv(time, event) ~ group, data = g3): chisq 6.06288781598."""
    r = sv.logrank_test(g3, duration="time", event="event", group="group")
    assert r.p_value == pytest.approx(0.0138, abs=1e-4)
    assert r.statistic == pytest.approx(6.06288781598, rel=1e-9)


def test_logrank_lymphoma_against_statsdirect():
    """lifelines, test_statistics.py, test_load_lymphoma_logrank (StatsDirect's example):
    chi2 6.70971, p 0.0096; R survdiff gives 6.709710358."""
    d = pd.read_csv(DATA / "lymphoma.csv")
    r = sv.logrank_test(d, duration="Time", event="Censor", group="Stage_group")
    assert r.statistic == pytest.approx(6.70971, abs=1e-4)
    assert r.p_value == pytest.approx(0.0096, abs=1e-4)


def test_logrank_against_R_ethz_example():
    """lifelines, test_statistics.py, test_logrank_test_output_against_R_2 (ETH Zurich
    seminar example): chi2 16.8, p 4.17e-05; R survdiff: 16.79294099, p 4.168809109e-05."""
    control = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    treated = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 25]
    d = pd.DataFrame(
        {
            "t": control + treated,
            "e": [1] * 21 + [1] * 9 + [0] * 12,
            "g": ["control"] * 21 + ["treated"] * 21,
        }
    )
    r = sv.logrank_test(d, duration="t", event="e", group="g")
    assert r.statistic == pytest.approx(16.79294099, rel=1e-8)
    assert r.p_value == pytest.approx(4.168809109e-05, rel=1e-6)


# --- Cox: ties -----------------------------------------------------------------------------
def test_cox_efron_against_R(rossi_fit):
    """R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
    data = rossi) (Efron, R's default; lifelines test_coef_output_against_R_super_accurate
    pins the same fin -0.3794222)."""
    np.testing.assert_allclose(
        rossi_fit.params,
        [-0.37942216649, -0.05743774268, 0.31389978784, -0.14979569767, -0.43370387794]
        + [-0.08487108250, 0.09149708099],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        rossi_fit.bse,
        [0.19137948071, 0.02199947060, 0.30799277656, 0.21222429625, 0.38186805767]
        + [0.19575667191, 0.02864854996],
        rtol=1e-5,
    )
    assert rossi_fit.log_likelihood == pytest.approx(-658.747659446, abs=1e-6)


def test_cox_breslow_against_R(rossi):
    """R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
    data = rossi, ties = "breslow")."""
    fit = sv.cox_model(
        rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES, ties="breslow"
    )
    np.testing.assert_allclose(
        fit.params,
        [-0.37902188743, -0.05724592504, 0.31412976691, -0.15111460006, -0.43278257376]
        + [-0.08498283527, 0.09111154209],
        rtol=1e-6,
    )
    np.testing.assert_allclose(fit.bse["fin"], 0.19136442586, rtol=1e-5)
    assert fit.log_likelihood == pytest.approx(-659.120605677, abs=1e-6)


# --- Cox: late entry -------------------------------------------------------------------
def test_cox_late_entry_against_R_macs():
    """lifelines, test_estimation.py, test_entry_col_against_R:
    coxph(Surv(W, T, D) ~ AIDSY, data = df) on the multicenter AIDS cohort: coef 0.02322,
    se 0.24630. lifelines' test pins log-likelihood -95.15478, which is R's
    ``fit$loglik[1]`` (at beta = 0) and passes only through its rtol = 2; the maximised
    value is ``fit$loglik[2]`` = -95.1503408340. No entry here equals an event time."""
    d = pd.read_csv(DATA / "multicenter_aids_cohort.tsv", sep="\t")
    fit = sv.cox_model(d, duration="T", event="D", covariates=["AIDSY"], entry="W")
    assert fit.params["AIDSY"] == pytest.approx(0.0232152414747, rel=1e-6)
    assert fit.bse["AIDSY"] == pytest.approx(0.24629882639, rel=1e-6)
    assert fit.log_likelihood == pytest.approx(-95.1503408340, abs=1e-7)
    assert fit.concordance == pytest.approx(482 / (482 + 439), abs=1e-12)  # R concordance()


@pytest.mark.parametrize(
    ("ties", "params", "loglik"),
    [
        (
            "efron",
            [-0.36946114062, -0.05794840270, 0.29920516863, -0.15849022062, -0.41470853659]
            + [-0.08390900496, 0.08911627212],
            -650.255840850,
        ),
        (
            "breslow",
            [-0.36912172763, -0.05776059275, 0.29938378578, -0.15975696643, -0.41379077040]
            + [-0.08409480232, 0.08872595088],
            -650.634319347,
        ),
    ],
)
def test_cox_late_entry_tied_with_event_times_against_R(rossi_entry, ties, params, loglik):
    """R: coxph(Surv(entry, week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
    data = rossi, ties = TIES), the entry column of this module's docstring: 387 of 432
    entries equal a week in which someone was arrested. statsmodels PHReg alone, which
    counts a customer at risk in the entry week, gives fin -0.37338 and log-likelihood
    -653.44 (Efron); crmlab moves those entries half a step and matches R."""
    fit = sv.cox_model(
        rossi_entry,
        duration="week",
        event="arrest",
        covariates=ROSSI_COVARIATES,
        entry="entry",
        ties=ties,
    )
    np.testing.assert_allclose(fit.params, params, rtol=1e-6)
    assert fit.log_likelihood == pytest.approx(loglik, abs=1e-6)


def test_cox_late_entry_risk_sets_by_hand():
    # A: (0, 2] lost, x=1; B: (2, 3] lost, x=0; C: (0, 3] censored, x=0; D: (0, 4] lost, x=1
    # entry < t <= time: at t=2 B is not yet at risk -> {A, C, D}; A lost (x=1):
    #   e^b / (2 e^b + 1). At t=3 {B, C, D}; B lost: 1 / (2 + e^b). At t=4 {D}: 1.
    # d/db log L = 1 - 2u/(2u + 1) - u/(u + 2) = 0 with u = e^b -> u^2 = 1 -> b = 0,
    # log L = 2 log(1/3) = -2.1972. (With entry <= t, B at risk at t=2 would give
    # 1/(u + 1) = u/(u + 2) -> u = sqrt(2), b = 0.3466: PHReg without the shift.)
    # R: coxph(Surv(c(0,2,0,0), c(2,3,3,4), c(1,1,0,1)) ~ c(1,0,0,1)) -> 2.5e-16, -2.197225
    d = pd.DataFrame(
        {"entry": [0, 2, 0, 0], "t": [2, 3, 3, 4], "e": [1, 1, 0, 1], "x": [1, 0, 0, 1]}
    )
    for ties in ("breslow", "efron"):
        fit = sv.cox_model(d, duration="t", event="e", covariates=["x"], entry="entry", ties=ties)
        assert fit.params["x"] == pytest.approx(0.0, abs=1e-6)
        assert fit.log_likelihood == pytest.approx(2 * np.log(1 / 3), abs=1e-9)


def test_cox_company_late_entry_against_R_and_lifelines():
    """Notebook 04's model: 5,000 customers, whole-month tenure and entry, 2,222 entries
    equal to a month in which someone churned. The design matrix is crmlab's
    (survival_frame(..., grain="month", start="2022-01-01") joined with size, region,
    channel and four truth traits, design_matrix), written to CSV; then R (the script
    with the Python that writes the CSV: ``tests/data/company_cox.R``):
    f <- coxph(Surv(d$entry, d$tenure, d$churned) ~ X); f$loglik[2] = -10220.4323453,
    coef size=medium -0.107551477665, switching_cost -1.747284657780,
    satisfaction_propensity -1.065094656721; concordance(f): concordant 1596002,
    discordant 495441, tied.x 0; cox.zph(f, terms = FALSE) GLOBAL 14.4997511437 on 15 df
    (the second edition's committed data, with uplift classes tied to observables). On
    the first edition's data lifelines 0.30.3
    CoxPHFitter().fit(d, "tenure", "churned", entry_col="entry").log_likelihood_ agreed
    with R too (issue 13: crmlab gave a different value before the fix)."""
    company = datasets.load_company()
    life = sv.survival_frame(
        company["customers"],
        company["churn"],
        as_of="2024-12-31",
        grain="month",
        start="2022-01-01",
    )
    life = life.join(company["customers"].set_index("customer_id")[["size", "region", "channel"]])
    traits = ["switching_cost", "price_elasticity", "quality_tolerance", "satisfaction_propensity"]
    life = life.join(company["truth"].set_index("customer_id")[traits])
    churn_months = set(life.loc[life["churned"] == 1, "tenure"])
    assert int(life["entry"].isin(churn_months).sum()) == 2222
    fit = sv.cox_model(life, covariates=["size", "region", "channel", *traits], entry="entry")
    assert fit.log_likelihood == pytest.approx(-10220.4323453, abs=1e-5)
    np.testing.assert_allclose(
        fit.params[["size=medium", "switching_cost", "satisfaction_propensity"]],
        [-0.107551477665, -1.747284657780, -1.065094656721],
        rtol=1e-6,
    )
    assert fit.concordance == pytest.approx(1596002 / (1596002 + 495441), abs=1e-12)
    assert fit.ph_test().loc["GLOBAL", "chisq"] == pytest.approx(14.4997511437, rel=1e-7)


# --- Cox: proportional-hazards test (cox.zph) ---------------------------------------------
def test_ph_test_against_R_cox_zph_km(rossi_fit):
    """R: cox.zph(coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro +
    prio, data = rossi)) (transform = "km", survival 3.5-3): chisq per covariate and
    GLOBAL 17.69441525445 on 7 df (p 0.01342750679). Age p = 0.0145: not below 0.01."""
    ph = rossi_fit.ph_test()
    expected = [0.06242975136, 5.97398165342, 2.06826538748, 4.22459563342, 1.01102156444]
    expected += [0.01838329917, 0.52058425030, 17.69441525445]
    assert list(ph.index) == ROSSI_COVARIATES + ["GLOBAL"]
    np.testing.assert_allclose(ph["chisq"], expected, rtol=1e-7)
    assert ph["df"].tolist() == [1] * 7 + [7]
    assert ph.loc["age", "p"] == pytest.approx(0.01451846277, rel=1e-7)
    assert ph.loc["GLOBAL", "p"] == pytest.approx(0.01342750679, rel=1e-7)


@pytest.mark.parametrize(
    ("transform", "fin", "age", "total"),
    [
        ("rank", 1.38380845141, 0.89642146157, 11.02518340712),
        ("identity", 0.008950558751, 6.615943789294, 18.182687039129),
        ("log", 0.1375994333, 8.2314983419, 17.6615705707),
    ],
)
def test_ph_test_against_R_other_transforms(rossi_fit, transform, fin, age, total):
    """R: cox.zph(fit, transform = TRANSFORM) for the Rossi fit above."""
    ph = rossi_fit.ph_test(transform)
    np.testing.assert_allclose(
        ph.loc[["fin", "age", "GLOBAL"], "chisq"], [fin, age, total], rtol=1e-7
    )


def test_ph_test_breslow_against_R(rossi):
    """R: cox.zph(coxph(..., data = rossi, ties = "breslow")): age 5.94084672832, wexp
    4.19071462997, GLOBAL 17.57327877492."""
    fit = sv.cox_model(
        rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES, ties="breslow"
    )
    ph = fit.ph_test()
    np.testing.assert_allclose(
        ph.loc[["age", "wexp", "GLOBAL"], "chisq"],
        [5.94084672832, 4.19071462997, 17.57327877492],
        rtol=1e-7,
    )


def test_ph_test_late_entry_against_R(rossi_entry_fit):
    """R: cox.zph(coxph(Surv(entry, week, arrest) ~ fin + age + race + wexp + mar +
    paro + prio, data = rossi)) with transform "km" and "rank"."""
    km = rossi_entry_fit.ph_test()
    np.testing.assert_allclose(
        km.loc[["fin", "age", "prio", "GLOBAL"], "chisq"],
        [0.05171625565, 6.01037857471, 0.24663976949, 17.02546411192],
        rtol=1e-7,
    )
    rank = rossi_entry_fit.ph_test("rank")
    np.testing.assert_allclose(
        rank.loc[["fin", "wexp", "GLOBAL"], "chisq"],
        [1.50388993876, 4.24036989115, 10.81594887255],
        rtol=1e-7,
    )


def test_ph_test_categorical_term_against_R(rossi):
    """A categorical covariate is one term (df = levels - 1), as R:
    rossi$prio_grp <- cut(rossi$prio, c(-1, 0, 3, Inf), labels = c("none", "1-3", "4+"));
    cox.zph(coxph(Surv(week, arrest) ~ fin + age + prio_grp, data = rossi))."""
    d = rossi.assign(
        prio_grp=pd.Categorical(
            pd.cut(rossi["prio"], [-1, 0, 3, np.inf], labels=["none", "1-3", "4+"])
        )
    )
    fit = sv.cox_model(d, duration="week", event="arrest", covariates=["fin", "age", "prio_grp"])
    np.testing.assert_allclose(
        fit.params, [-0.35368022672, -0.06605633289, -0.21657861036, 0.33443702810], rtol=1e-6
    )
    ph = fit.ph_test()
    assert list(ph.index) == ["fin", "age", "prio_grp", "GLOBAL"]
    assert ph["df"].tolist() == [1, 1, 2, 4]
    np.testing.assert_allclose(
        ph["chisq"], [0.03916167346, 6.10518923218, 2.05442630719, 8.86316040302], rtol=1e-7
    )


def test_ph_test_approx_against_lifelines():
    """lifelines, test_statistics.py, test_proportional_hazard_test (R survival < 3.0,
    cox.zph(c, transform = 'rank')): var1 1.4938293, var2 0.8792998, var3 2.2686088,
    p(var3) 0.1320184; test_proportional_hazard_test_with_log_transform: 2.227627,
    0.714427, 1.466321, p(var3) 0.225927. The same data with the score test of
    survival 3.5-3 (cox.zph(c, transform = "rank")) give 1.5140152046, 0.4285765254,
    2.6223930993."""
    d = pd.read_csv(DATA / "regression.csv")
    fit = sv.cox_model(d, duration="T", event="E", covariates=["var1", "var2", "var3"])
    rank = fit.ph_test("rank", method="approx")
    np.testing.assert_allclose(rank["chisq"].iloc[:3], [1.4938293, 0.8792998, 2.2686088], rtol=1e-6)
    assert rank.loc["var3", "p"] == pytest.approx(0.1320184, rel=1e-5)
    log = fit.ph_test("log", method="approx")
    np.testing.assert_allclose(log["chisq"].iloc[:3], [2.227627, 0.714427, 1.466321], rtol=1e-5)
    assert log.loc["var3", "p"] == pytest.approx(0.225927, rel=1e-5)
    score = fit.ph_test("rank")
    np.testing.assert_allclose(
        score["chisq"].iloc[:3], [1.5140152046, 0.4285765254, 2.6223930993], rtol=1e-7
    )


@pytest.mark.parametrize(
    ("events", "approx", "score"),
    [([1, 1, 1, 1, 1], 0.00971, 0.016725385), ([1, 1, 1, 0, 1], 1.013802, 2.2891915)],
)
def test_ph_test_km_five_rows(events, approx, score):
    """lifelines, test_statistics.py, test_proportional_hazard_test_with_kmf and
    ..._with_kmf_with_some_censorship (old cox.zph(c, transform='km')): 0.00971 and
    1.013802; survival 3.5-3: 0.016725385 and 2.2891915.
    R: df <- data.frame(var1 = c(0.209325, 0.693919, 0.443804, 0.065636, 0.386294),
    T = c(5.269797, 6.601666, 7.335846, 11.684092, 12.678458), E = EVENTS);
    cox.zph(coxph(Surv(T, E) ~ var1, data = df), transform = 'km')."""
    d = pd.DataFrame(
        {
            "var1": [0.209325, 0.693919, 0.443804, 0.065636, 0.386294],
            "T": [5.269797, 6.601666, 7.335846, 11.684092, 12.678458],
            "E": events,
        }
    )
    fit = sv.cox_model(d, duration="T", event="E", covariates=["var1"])
    assert fit.ph_test(method="approx").loc["var1", "chisq"] == pytest.approx(approx, rel=1e-3)
    assert fit.ph_test().loc["var1", "chisq"] == pytest.approx(score, rel=1e-7)


def test_scaled_schoenfeld_against_R(rossi_fit, rossi_entry_fit):
    """R: z <- cox.zph(fit); head(cbind(z$time, z$x, z$y)) for the Rossi fit and the
    late-entry fit (columns time, g, fin, age, race, ...)."""
    s = rossi_fit.scaled_schoenfeld()
    assert len(s) == 114 and list(s.columns[:3]) == ["time", "g", "fin"]
    np.testing.assert_allclose(s["g"].iloc[:3], [0.0, 0.0023148148, 0.0046296296], atol=1e-9)
    np.testing.assert_allclose(
        s.iloc[0, 2:],
        [-2.1091017, -0.13455159, 1.36632925, -2.4943014, 0.095568363]
        + [-3.2115435, -0.42234308128],
        rtol=1e-6,
    )
    e = rossi_entry_fit.scaled_schoenfeld()
    np.testing.assert_allclose(e["g"].iloc[:3], [0.0, 0.022222222, 0.033333333], atol=1e-8)
    np.testing.assert_allclose(
        e.iloc[1, 2:],
        [-2.3252893, 1.04162943, 0.17318896, -1.0456116, -4.85000077] + [2.3833263, -0.031653876],
        rtol=1e-6,
    )


def test_ph_test_bad_arguments(rossi_fit):
    with pytest.raises(ValueError, match="transform"):
        rossi_fit.ph_test("weeks")
    with pytest.raises(ValueError, match="method"):
        rossi_fit.ph_test(method="exact")


# --- Cox: concordance ----------------------------------------------------------------------
def test_concordance_against_R(rossi_fit, rossi_entry_fit):
    """R: concordance(fit): Rossi concordant 27242, discordant 15291, tied.x 49 (C =
    0.6403); late entry 25877, 14362, 47 (C = 0.6429). C = (conc + tied/2) / total."""
    assert rossi_fit.concordance == pytest.approx((27242 + 49 / 2) / (27242 + 15291 + 49))
    assert rossi_entry_fit.concordance == pytest.approx((25877 + 47 / 2) / (25877 + 14362 + 47))


def test_concordance_by_hand():
    # times 1, 2, 3 (all lost), 4 censored; scores x: 3, 1, 2, 0.
    # pairs (lost first, other at risk): (1,2) 3>1 yes, (1,3) 3>2 yes, (1,4) 3>0 yes,
    # (2,3) 1<2 no, (2,4) 1>0 yes, (3,4) 2>0 yes -> 5 of 6 concordant: C = 5/6
    d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 1, 0], "x": [3.0, 1.0, 2.0, 0.0]})
    fit = sv.cox_model(d, duration="t", event="e", covariates=["x"])
    assert fit.params["x"] > 0
    assert fit.concordance == pytest.approx(5 / 6)
