"""crmlab.survey (reliability and factor analysis) against pingouin's test suite and R's
psych package (issue 13).

pingouin: ``tests/test_reliability.py``, ``test_cronbach_alpha``, and the examples of its
``cronbach_alpha`` docstring (which name the R call). R: 4.2.2 with psych 2.2.9, the
call pasted in each docstring; ``bfi`` is ``datasets/bfi.csv``, ``b <- bfi[, 2:26]``
its 25 items and ``rb <- cor(b, use = "pairwise")``. Data: ``tests/data/`` (README).
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.tools.sm_exceptions import ConvergenceWarning, EstimationWarning

from crmlab import datasets, survey

DATA = Path(__file__).parent / "data"
BFI_TRAITS = {t: [f"{t}{i}" for i in range(1, 6)] for t in "ACENO"}


@pytest.fixture(scope="module")
def bfi():
    return datasets.load("bfi")


@pytest.fixture(scope="module")
def wide_missing():
    return pd.read_csv(DATA / "cronbach_wide_missing.csv")


# --- Cronbach's alpha ----------------------------------------------------------------------
def test_alpha_long_format_as_pingouin():
    """pingouin, tests/test_reliability.py, test_cronbach_alpha: the Likert data
    (read_dataset("cronbach_alpha"), 15 subjects x 10 items in long format) give alpha
    0.592 (3 decimals) with CI [0.195, 0.840]; R psych alpha(): 0.5917188486, Feldt
    0.1949214 - 0.8398208."""
    long = pd.read_csv(DATA / "cronbach_alpha.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    a = survey.cronbach_alpha(wide)
    assert round(a, 3) == 0.592
    assert [round(v, 3) for v in a.ci] == [0.195, 0.840]
    assert a == pytest.approx(0.5917188486, abs=1e-9)
    assert a.ci == pytest.approx((0.1949214, 0.8398208), abs=1e-7)
    assert a.n == 15 and a.n_items == 10


def test_alpha_pairwise_as_pingouin(wide_missing):
    """pingouin, cronbach_alpha docstring, "In R: psych:alpha(data, use='pairwise')":
    (0.732660835214447, [0.435, 0.909]); test_cronbach_alpha: round(alpha, 2) == 0.73.
    R psych alpha(d, use = "pairwise"): Feldt 0.4353104 - 0.9093629."""
    a = survey.cronbach_alpha(wide_missing)
    assert a == pytest.approx(0.732660835214447, rel=1e-12)
    assert round(a, 2) == 0.73
    assert [round(v, 3) for v in a.ci] == [0.435, 0.909]
    assert a.ci == pytest.approx((0.4353104, 0.9093629), abs=1e-7)


def test_alpha_listwise_as_pingouin(wide_missing):
    """pingouin, cronbach_alpha docstring, "In R: psych:alpha(data, use='complete.obs')":
    (0.8016949152542373, [0.581, 0.933]); test_cronbach_alpha: round(alpha, 2) == 0.80.
    The interval counts all 12 rows (as pingouin and psych), not the complete ones."""
    a = survey.cronbach_alpha(wide_missing, nan_policy="listwise")
    assert a == pytest.approx(0.8016949152542373, rel=1e-12)
    assert round(a, 2) == 0.80
    assert [round(v, 3) for v in a.ci] == [0.581, 0.933]
    assert a.n == 12 and a.n_complete == int(wide_missing.notna().all(axis=1).sum())


def test_alpha_bfi_against_psych(bfi):
    """R: alpha(b[, c("N1","N2","N3","N4","N5")]): raw_alpha 0.8139629499, Feldt
    0.8028413 - 0.8246404; with use = "complete.obs" 0.8133031432 (0.8021421 -
    0.8240184); Conscientiousness with C4, C5 reversed (7 - x): 0.7267349729
    (0.7103987 - 0.7424187)."""
    neuro = BFI_TRAITS["N"]
    a = survey.cronbach_alpha(bfi, items=neuro, scale=(1, 6))
    assert a == pytest.approx(0.8139629499, abs=1e-9)
    assert a.ci == pytest.approx((0.8028413, 0.8246404), abs=1e-7)
    lw = survey.cronbach_alpha(bfi, items=neuro, nan_policy="listwise")
    assert lw == pytest.approx(0.8133031432, abs=1e-9)
    assert lw.ci == pytest.approx((0.8021421, 0.8240184), abs=1e-7)
    consc = survey.reverse_code(bfi, items=["C4", "C5"], scale=(1, 6))
    c = survey.cronbach_alpha(consc, items=BFI_TRAITS["C"])
    assert c == pytest.approx(0.7267349729, abs=1e-9)
    assert c.ci == pytest.approx((0.7103987, 0.7424187), abs=1e-7)


def test_alpha_assumes_no_scale(bfi):
    # issue 13: the default was the company's 1-5 scale, so six-point bfi items raised.
    # Now no scale is assumed; a declared scale still rejects answers off it.
    a = survey.cronbach_alpha(bfi, items=BFI_TRAITS["N"])
    assert 0.8 < a < 0.82 and 6 in set(bfi["N1"].dropna())
    with pytest.raises(ValueError, match=r"outside the scale 1\.\.5"):
        survey.cronbach_alpha(bfi, items=BFI_TRAITS["N"], scale=(1, 5))


def test_alpha_is_a_number_with_an_interval():
    # hand-worked: a, b, c below, alpha = 3/2 (1 - 17/3 / 15) = 0.93333; Feldt with n = 4,
    # k = 3: F(3, 6) upper 2.5% = 6.5988, lower 2.5% = 0.06840:
    # 1 - 0.06667 x 6.5988 = 0.5601; 1 - 0.06667 x 0.0684 = 0.9954
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    a = survey.cronbach_alpha(df)
    assert isinstance(a, float) and a == pytest.approx(1.5 * (1 - 17 / 45))
    assert a.ci == pytest.approx((0.5601, 0.9954), abs=1e-4)
    narrower = survey.cronbach_alpha(df, confidence=0.9).ci
    assert a.ci[0] < narrower[0] < narrower[1] < a.ci[1]
    assert a.summary()[["alpha", "n", "n_items"]].iloc[0].tolist() == pytest.approx([a, 4, 3])


# --- factor analysis ---------------------------------------------------------------------
def test_minres_communalities_against_psych(bfi):
    """R: fa(rb, nfactors = 5, n.obs = 2800, fm = "minres", rotate = "none")$communality
    for A1, C3, E5, N1, O4: 0.1916359, 0.3181806, 0.4026389, 0.6522811, 0.2512326."""
    fit = survey.factor_structure(bfi, dimensions=BFI_TRAITS)
    assert fit.method == "minres" and fit.converged and not fit.heywood
    np.testing.assert_allclose(
        fit.communality[["A1", "C3", "E5", "N1", "O4"]],
        [0.1916359, 0.3181806, 0.4026389, 0.6522811, 0.2512326],
        atol=2e-6,
    )
    assert fit.share_as_intended == 1.0


def test_kaiser_varimax_against_R(bfi):
    """R: L <- unclass(fa(rb, 5, fm = "minres", rotate = "none")$loadings);
    varimax(L, eps = 1e-14) (normalize = TRUE, Kaiser's, the default; psych's "varimax"
    calls it with eps 1e-5). Rows A1, C1, E1, N1, O1, factors matched to the traits
    (R's MR5, MR3, MR1, MR2, MR4); signs of whole factors are arbitrary, so compare
    absolute values."""
    fit = survey.factor_structure(bfi, dimensions=BFI_TRAITS)
    expected = pd.DataFrame(
        {
            "A": [0.409653, 0.023577, 0.100535, 0.216770, 0.064298],
            "C": [0.023757, 0.536286, 0.040191, 0.038754, 0.119402],
            "E": [0.036600, 0.061673, 0.574297, 0.074968, 0.219042],
            "N": [0.122515, 0.005635, 0.042204, 0.768774, 0.005099],
            "O": [0.083102, 0.195258, 0.068159, 0.084597, 0.496224],
        },
        index=["A1", "C1", "E1", "N1", "O1"],
    )
    got = fit.loadings.loc[expected.index, expected.columns].abs()
    np.testing.assert_allclose(got, expected, atol=5e-6)
    assert fit.rotation == "varimax (Kaiser-normalised)"


def test_raw_varimax_against_R_and_differs(bfi):
    """R: varimax(L, normalize = FALSE, eps = 1e-14): A1 row 0.388227 (MR5), 0.173749
    (MR2), 0.061682 (MR1); N1 row 0.794493 (MR2), 0.125338 (MR5). The raw rotation the
    function used before issue 13 differs from Kaiser's by up to 0.09 on bfi."""
    raw = survey.factor_structure(bfi, dimensions=BFI_TRAITS, kaiser=False)
    got = raw.loadings.abs()
    np.testing.assert_allclose(
        got.loc["A1", ["A", "N", "E"]], [0.388227, 0.173749, 0.061682], atol=5e-5
    )
    np.testing.assert_allclose(got.loc["N1", ["N", "A"]], [0.794493, 0.125338], atol=5e-5)
    kaiser = survey.factor_structure(bfi, dimensions=BFI_TRAITS)
    assert (kaiser.loadings - raw.loadings).abs().max().max() > 0.05


def test_ml_communalities_against_psych(bfi):
    """R: fa(rb, nfactors = 5, n.obs = 2800, fm = "ml", rotate = "none")$communality for
    A1, C3, E5, N1, O4: 0.1497965, 0.3171598, 0.4046938, 0.7054791, 0.2570422."""
    fit = survey.factor_structure(bfi, dimensions=BFI_TRAITS, method="ml")
    np.testing.assert_allclose(
        fit.communality[["A1", "C3", "E5", "N1", "O4"]],
        [0.1497965, 0.3171598, 0.4046938, 0.7054791, 0.2570422],
        atol=5e-5,
    )


@pytest.fixture(scope="module")
def company_items():
    """The 2023 wave of the company's survey, cleaned: on it the nine-factor model has a
    Heywood case (the 2022 and 2024 waves have none)."""
    raw = datasets.load_company()["survey"]
    clean = survey.reverse_code(survey.clean_survey(raw))
    clean = clean[clean["wave"] == 2023]
    dims = {d: spec["perception"] for d, spec in survey.SERVQUAL_ITEMS.items()}
    return clean, {**dims, **survey.RELATIONSHIP_SCALES}


def test_heywood_case_flagged_as_psych(company_items):
    """Notebook 01's nine-factor model (two perception items per SERVQUAL dimension) on the
    2023 wave (1,377 clean sheets, 609 complete). R 4.2.2, psych: ``items`` the 22 item
    columns of that wave written to CSV (``clean[items].to_csv(...)``),
    fa(cor(items, use = "pairwise"), nfactors = 9, n.obs = 609, fm = "minres",
    rotate = "none")$communality: per_res1 0.9953304, per_emp1 0.9959050 (at psych's
    bound of 0.005 on the uniqueness), per_tan1 0.5771725, rq_friend3 0.4077419."""
    clean, dims = company_items
    with pytest.warns(EstimationWarning, match=r"Heywood case for \['per_res1', 'per_emp1'\]"):
        fit = survey.factor_structure(clean, dimensions=dims)
    assert fit.heywood == ["per_res1", "per_emp1"] and fit.converged
    np.testing.assert_allclose(
        fit.communality[["per_res1", "per_emp1", "per_tan1", "rq_friend3"]],
        [0.9953304, 0.9959050, 0.5771725, 0.4077419],
        atol=2e-3,
    )
    assert "Heywood case" in str(fit)


def test_principal_axis_convergence_warning(company_items):
    # issue 13: statsmodels' principal axis stops at its iteration limit without a word;
    # on this model it does not converge (the communalities run past 1: a Heywood case)
    clean, dims = company_items
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = survey.factor_structure(clean, dimensions=dims, method="pa", maxiter=50)
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert messages == [
        "factor_structure: pa extraction did not converge after 50 iterations; the "
        "loadings are not a solution (try method='minres' or more maxiter)."
    ]
    assert not fit.converged and fit.n_iter == 50


def test_principal_axis_converges_to_minres(bfi):
    # a second method: iterated principal axis, when it converges, solves the same
    # least-squares problem as minres (no Heywood case on bfi), so the communalities agree
    pa = survey.factor_structure(bfi, dimensions=BFI_TRAITS, method="pa")
    minres = survey.factor_structure(bfi, dimensions=BFI_TRAITS)
    assert pa.converged
    np.testing.assert_allclose(pa.communality, minres.communality, atol=1e-5)


def test_factor_structure_bad_arguments(bfi):
    with pytest.raises(ValueError, match="method"):
        survey.factor_structure(bfi, dimensions=BFI_TRAITS, method="uls")
    with pytest.raises(ValueError, match="rotation"):
        survey.factor_structure(bfi, dimensions=BFI_TRAITS, rotation="oblimin")
