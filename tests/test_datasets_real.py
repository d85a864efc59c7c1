"""The real data sets: loaded through ``crmlab.datasets.load`` with their documented
dtypes, and the figures in their datasheets recomputed here from the rows.

Expected values are either worked out independently (revenue, shares, Gini, counts) or
published (Cronbach's alpha from R psych, Cox coefficients from R ``coxph``, BG/NBD
parameters from Fader, Hardie & Lee 2005); the source is in each test's docstring.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.hazard_regression import PHReg

from crmlab import btyd, datasets

REAL = ["cdnow_master", "cdnow_sample", "telco_churn", "bfi", "rossi"]
ITEMS = [f"{trait}{i}" for trait in "ACENO" for i in range(1, 6)]


def _is_str(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype)


@pytest.fixture(scope="module")
def master() -> pd.DataFrame:
    return datasets.load("cdnow_master")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return datasets.load("cdnow_sample")


@pytest.fixture(scope="module")
def telco() -> pd.DataFrame:
    return datasets.load("telco_churn")


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return datasets.load("bfi")


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    return datasets.load("rossi")


# --- registry ----------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL)
def test_registered_with_datasheet(name):
    assert name in datasets.list_datasets()
    sheet = datasets.describe(name)
    assert sheet.startswith("# ") and "Licence" in sheet and "Known figures" in sheet


# --- CDNOW -------------------------------------------------------------------------


def test_cdnow_master_shape_and_dtypes(master):
    assert master.shape == (69_659, 4)
    assert list(master.columns) == ["customer_id", "date", "n_cds", "amount"]
    assert _is_str(master["customer_id"])
    assert master["customer_id"].iloc[0] == "00001"  # leading zeros kept
    assert master["customer_id"].str.len().eq(5).all()
    assert master["customer_id"].nunique() == 23_570
    assert master["date"].dtype == "datetime64[ns]"
    assert master["date"].min() == pd.Timestamp("1997-01-01")
    assert master["date"].max() == pd.Timestamp("1998-06-30")
    assert master["n_cds"].dtype == "int64"
    assert master["amount"].dtype == "float64"
    assert master.notna().all().all()


def test_cdnow_master_revenue_concentration(master):
    """Revenue, top-20% share, Gini and one-time buyers of the whole cohort.

    Worked out from the rows (DESIGN.md, "Real data"); not the 80/20 of folklore.
    """
    assert round(master["amount"].sum(), 2) == 2_500_315.63

    spend = master.groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    n = len(spend)  # 23,570 customers; the top 20% are 0.2 * 23,570 = 4,714 of them
    n_top = int(np.ceil(0.2 * n))
    assert n_top == 4_714
    assert spend.iloc[:n_top].sum() / spend.sum() == pytest.approx(0.6778, abs=5e-5)

    # Gini with spends sorted ascending, x_(1) <= ... <= x_(n), ranks i = 1..n:
    #   G = sum_i (2 i - n - 1) x_(i) / (n * sum_i x_(i))
    # (= mean absolute difference over all pairs / (2 * mean); 0 equal, -> 1 one buyer)
    x = np.sort(spend.to_numpy())
    i = np.arange(1, n + 1)
    gini = np.sum((2 * i - n - 1) * x) / (n * x.sum())
    assert gini == pytest.approx(0.6346, abs=5e-5)

    # one-time buyers: exactly one purchase row
    assert (master.groupby("customer_id").size() == 1).sum() == 11_908


def test_cdnow_sample_shape_and_dtypes(sample, master):
    assert sample.shape == (6_919, 5)
    assert list(sample.columns) == ["customer_id", "sample_id", "date", "n_cds", "amount"]
    assert _is_str(sample["customer_id"]) and _is_str(sample["sample_id"])
    assert sample["sample_id"].iloc[0] == "0001"
    assert sample["date"].dtype == "datetime64[ns]"
    assert sample["n_cds"].dtype == "int64" and sample["amount"].dtype == "float64"
    assert sample["customer_id"].nunique() == 2_357
    # one sample id per customer and back
    pairs = sample[["customer_id", "sample_id"]].drop_duplicates()
    assert len(pairs) == 2_357 and pairs["sample_id"].is_unique
    # every sample purchase is a purchase of the master file
    keys = ["customer_id", "date", "n_cds", "amount"]
    merged = sample.merge(master[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    assert merged["_merge"].eq("both").all()


def test_cdnow_sample_bgnbd_matches_paper(sample):
    """BG/NBD fitted to the 2,357-customer sample, 39-week calibration period.

    Published: Fader, Hardie & Lee (2005), "Counting your customers" the easy way,
    Marketing Science 24(2), 275-284: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
    LL = -9582.4. Purchases on the same day count once; time in weeks; calibration ends
    1997-09-30. Log-likelihood of one customer (paper, eq. 6):
      L = B(a, b + x)/B(a, b) * G(r + x)/G(r) * alpha^r / (alpha + T)^(r + x)
          + [x > 0] * B(a + 1, b + x - 1)/B(a, b) * G(r + x)/G(r) * alpha^r / (alpha + t_x)^(r + x)
    """
    calib = sample[sample["date"] <= "1997-09-30"]
    summary = btyd.rfm_summary(calib, as_of="1997-09-30", order_date="date", amount=None)
    fit = btyd.fit_bgnbd(summary)  # the paper's eq. 6, maximised in crmlab.btyd
    r, alpha, a, b = fit.params
    assert (round(r, 3), round(alpha, 3), round(a, 3), round(b, 3)) == (0.243, 4.414, 0.793, 2.426)
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)


# --- Telco churn -------------------------------------------------------------------

TELCO_CATEGORIES = [
    "churn",
    "multiple_lines",
    "internet_service",
    "online_security",
    "online_backup",
    "device_protection",
    "tech_support",
    "streaming_tv",
    "streaming_movies",
    "contract",
    "payment_method",
]


def test_telco_shape_and_dtypes(telco):
    assert telco.shape == (7_043, 21)
    assert "rownames" not in telco.columns
    assert _is_str(telco["customer_id"])
    assert telco["customer_id"].iloc[0] == "T0001" and telco["customer_id"].iloc[-1] == "T7043"
    assert telco["customer_id"].is_unique
    for col in TELCO_CATEGORIES:
        assert isinstance(telco[col].dtype, pd.CategoricalDtype), col
    assert list(telco["churn"].cat.categories) == ["No", "Yes"]
    assert list(telco["contract"].cat.categories) == ["Month-to-month", "One year", "Two year"]
    for col in [
        "female",
        "senior_citizen",
        "partner",
        "dependents",
        "tenure",
        "phone_service",
        "paperless_billing",
    ]:
        assert telco[col].dtype == "int64", col
    assert telco["monthly_charges"].dtype == "float64"
    assert telco["total_charges"].dtype == "float64"


def test_telco_churn_counts_and_missing_total_charges(telco):
    """1,869 Yes / 5,174 No; 11 blank total_charges kept missing (tenure 0), not imputed."""
    assert telco["churn"].value_counts().to_dict() == {"No": 5_174, "Yes": 1_869}
    missing = telco["total_charges"].isna()
    assert missing.sum() == 11
    assert telco.loc[missing, "tenure"].eq(0).all()
    assert telco.drop(columns="total_charges").notna().all().all()


# --- bfi ---------------------------------------------------------------------------


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Raw Cronbach's alpha from pairwise-complete covariances, as R psych::alpha.

    psych::alpha (Revelle, psych package, R/alpha.R) computes
    ``C <- cov(x, use = "pairwise")`` and ``raw_alpha = (1 - tr(C)/sum(C)) * k/(k - 1)``
    (Cronbach 1951); pandas' ``DataFrame.cov`` also uses pairwise-complete observations.
    """
    cov = items.astype("float64").cov().to_numpy()
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def test_bfi_shape_and_dtypes(bfi):
    assert bfi.shape == (2_800, 29)
    assert list(bfi.columns) == ["respondent_id", *ITEMS, "gender", "education", "age"]
    assert _is_str(bfi["respondent_id"]) and bfi["respondent_id"].is_unique
    assert bfi["respondent_id"].iloc[0] == "61617"
    for col in [*ITEMS, "education"]:
        assert bfi[col].dtype == "Int64", col
    assert bfi[ITEMS].isna().sum().sum() == 508  # missing answers stay missing
    assert bfi["A1"].isna().sum() == 16 and bfi["O2"].isna().sum() == 0
    assert bfi["education"].isna().sum() == 223
    assert bfi[ITEMS].stack().between(1, 6).all()
    assert set(bfi["gender"]) == {1, 2}


@pytest.mark.parametrize(
    ("scale", "reversed_items", "expected"),
    [
        # Published in R: psych::alpha(bfi[16:20])$total$raw_alpha = 0.814
        ("N", [], 0.8140),
        # Keys as in psych's bfi example (A1, C4, C5, E1, E2, O2, O5 negative), 7 - x
        ("A", ["A1"], 0.7030),
        ("C", ["C4", "C5"], 0.7267),
        ("E", ["E1", "E2"], 0.7617),
        ("O", ["O2", "O5"], 0.6002),
    ],
)
def test_bfi_cronbach_alpha(bfi, scale, reversed_items, expected):
    """Cronbach's alpha per Big Five scale (raw, pairwise covariances, psych's default).

    Neuroticism 0.8140 (standardised 0.8147) is the value R psych prints for
    ``alpha(bfi[16:20])``; the others were computed for DESIGN.md with the same method.
    """
    items = bfi[[f"{scale}{i}" for i in range(1, 6)]].copy()
    for col in reversed_items:
        items[col] = 7 - items[col]
    assert round(cronbach_alpha(items), 4) == expected


# --- Rossi -------------------------------------------------------------------------


def test_rossi_shape_and_dtypes(rossi):
    assert rossi.shape == (432, 11)
    assert list(rossi.columns) == [
        "person_id",
        "week",
        "arrest",
        "fin",
        "age",
        "race",
        "wexp",
        "mar",
        "paro",
        "prio",
        "educ",
    ]
    assert _is_str(rossi["person_id"]) and rossi["person_id"].iloc[0] == "1"
    for col in rossi.columns[1:]:
        assert rossi[col].dtype == "int64", col
    for col in ["arrest", "fin", "race", "wexp", "mar", "paro"]:
        assert set(rossi[col]) == {0, 1}, col
    assert rossi["arrest"].sum() == 114
    assert rossi["fin"].sum() == 216  # randomised: half received aid
    assert rossi["race"].sum() == 379  # 1 = black
    assert rossi["mar"].sum() == 53  # 1 = married
    assert rossi.loc[rossi["arrest"] == 0, "week"].eq(52).all()  # censored at 52 weeks


def test_rossi_cox_matches_published(rossi):
    """Cox model with Efron ties equals the published fit to 5 decimals.

    Allison (1995), Survival Analysis Using SAS, and Fox & Weisberg's appendix on Cox
    regression (carData::Rossi):
        coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
              data = Rossi)
        fin -0.37942 (se 0.19138), age -0.05744, race 0.31390, wexp -0.14980,
        mar -0.43370, paro -0.08487, prio 0.09150
    (lifelines' Rossi test uses the same values.)
    """
    fit = PHReg.from_formula(
        "week ~ fin + age + race + wexp + mar + paro + prio",
        data=rossi,
        status=rossi["arrest"].to_numpy(),
        ties="efron",
    ).fit()
    params = pd.Series(fit.params, index=fit.model.exog_names)
    bse = pd.Series(fit.bse, index=fit.model.exog_names)
    assert round(params["fin"], 5) == -0.37942
    assert round(bse["fin"], 5) == 0.19138
    expected = {
        "fin": -0.379422,
        "age": -0.057438,
        "race": 0.313900,
        "wexp": -0.149796,
        "mar": -0.433704,
        "paro": -0.084871,
        "prio": 0.091497,
    }
    for name, value in expected.items():
        assert params[name] == pytest.approx(value, abs=5e-6), name


# --- integrity ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL)
def test_truncated_file_is_rejected(name, tmp_path, monkeypatch):
    shutil.copytree(datasets.data_dir(), tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("CRMLAB_DATA_DIR", str(tmp_path))
    datasets._manifest.cache_clear()
    rel = datasets.catalog().loc[name, "file"]
    datasets.verify(name)  # the intact copy passes

    target = tmp_path / rel
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    datasets._manifest.cache_clear()
    try:
        with pytest.raises(ValueError, match=re.escape(Path(rel).name)):
            datasets.load(name)
    finally:
        datasets._manifest.cache_clear()
