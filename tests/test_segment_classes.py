"""Tests of crmlab.segment_classes (chapter 02, the course's classifications)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import satisfaction
from crmlab import segment_classes as sc


def test_value_tiers_hand_worked():
    # 100 customers worth 100, 99, ..., 1: ceil(0.01*100) = 1 VIP, ceil(0.05*100) = 5 ->
    # 4 major, 15 ordinary, 80 small
    values = pd.Series(np.arange(1.0, 101.0), index=[f"c{i}" for i in range(100)])
    t = sc.value_tiers(values)
    assert t["tier"].value_counts(sort=False).tolist() == [1, 4, 15, 80]
    assert t.index[0] == "c99" and t["rank"].iloc[0] == 1
    # ABC: total 5050; A while the share before a customer < 80%: the top m with
    # sum of the top (m - 1) < 4040. Top 55 sum = 55*100 - 55*54/2 = 4015 < 4040, top 56 =
    # 4060, so 56 customers are A (the 56th crosses 80%)
    assert (t["abc"] == "A").sum() == 56


def test_value_tiers_ties_and_cutoffs():
    # five equal values: ties keep index order; cut-offs (0.2, 0.4, 0.6) -> 1, 1, 1, 2
    t = sc.value_tiers(pd.Series([5.0] * 5, index=list("vwxyz")), tier_cutoffs=(0.2, 0.4, 0.6))
    assert t["tier"].astype(str).tolist() == ["VIP", "major", "ordinary", "small", "small"]
    assert t.index.tolist() == list("vwxyz")
    with pytest.raises(ValueError, match="tier_cutoffs"):
        sc.value_tiers(pd.Series([1.0, 2.0]), tier_cutoffs=(0.5, 0.2, 0.9))


def test_value_tiers_abc_by_plain_cumsum():
    # second method: cumulative share by pandas
    v = pd.Series(np.random.default_rng(3).lognormal(0, 1.5, 500))
    t = sc.value_tiers(v)
    before = v.sort_values(ascending=False).cumsum().shift(fill_value=0) / v.sum()
    expected = np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C"))
    assert (t["abc"].astype(str).to_numpy() == expected).all()


def test_tier_transitions_hand_worked():
    orders = pd.DataFrame(
        {
            "customer_id": list("ABCAB"),
            "order_date": pd.to_datetime(
                ["2023-03-01", "2023-04-01", "2023-05-01", "2024-03-01", "2024-06-01"]
            ),
            "amount": [90.0, 10.0, 5.0, 1.0, 50.0],
        }
    )
    # 2023: A 90 VIP, B 10 major, C 5 ordinary (cut-offs 1, 2, 3 of 3 customers)
    # 2024: B 50 VIP, A 1 major (ceil(0.33*2) = 1, ceil(0.66*2) = 2); C none
    m = sc.tier_transitions(orders, 2023, 2024, tier_cutoffs=(0.33, 0.66, 0.99))
    assert m.loc["VIP", "major"] == 1 and m.loc["major", "VIP"] == 1
    assert m.loc["ordinary", "none"] == 1 and m.to_numpy().sum() == 3
    shares = sc.tier_transitions(
        orders, 2023, 2024, tier_cutoffs=(0.33, 0.66, 0.99), normalize=True
    )
    assert shares.loc["VIP"].sum() == 1.0 and shares.loc["small"].sum() == 0.0


def test_credit_list_rules():
    orders = pd.DataFrame(
        {
            "customer_id": list("AABBCCDDE"),
            "days_late": [0, 0, 40, 0, 5, 3, 0, 0, 2],
            "defaulted": [False, False, False, False, True, True, True, False, False],
            "is_return": [False] * 8 + [False],
        }
    )
    cl = sc.credit_list(orders)
    # A on time: red. B mean 20 days > 15: grey. C two defaults: black. D one default:
    # grey. E late on 1 of 1 lines (share 1 > 0.5): grey
    assert cl["credit"].astype(str).to_dict() == {
        "A": "red",
        "B": "grey",
        "C": "black",
        "D": "grey",
        "E": "grey",
    }
    assert cl.loc["B", "late_share"] == 0.5 and cl.loc["B", "mean_days_late"] == 20


def test_credit_list_bad_days_late():
    orders = pd.DataFrame(
        {"customer_id": ["A", "B"], "days_late": [0, -3], "defaulted": [False, False]}
    )
    with pytest.raises(ValueError, match=r"'days_late'.*rows \[1\]"):
        sc.credit_list(orders)


def test_status_and_relationship_classes():
    customers = pd.DataFrame(
        {
            "customer_id": list("ABCDE"),
            "acquisition_date": pd.to_datetime(
                ["2020-01-01", "2020-01-01", "2024-06-01", "2020-01-01", "2025-03-01"]
            ),
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": list("AABC"),
            "order_date": pd.to_datetime(["2023-06-01", "2024-06-01", "2024-06-01", "2024-07-01"]),
            "amount": 1.0,
        }
    )
    churn = pd.DataFrame({"customer_id": ["D"], "churn_date": pd.to_datetime(["2023-01-05"])})
    st = sc.status_class(customers, orders, churn, as_of="2024-12-31")
    # A bought in both of the last two 365-day periods: loyal; B only in the last: other;
    # C acquired 213 days ago: new; D lost: churned; E acquired after as_of: left out
    assert st["status"].astype(str).to_dict() == {
        "A": "loyal",
        "B": "other_active",
        "C": "new",
        "D": "churned",
    }
    pipeline = pd.DataFrame(
        {
            "opportunity_id": ["P1", "P2", "P3", "P4"],
            "customer_id": [None, None, "C", None],
            "open_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2025-02-01"]),
            "relationship": ["potential", "competitor", "potential", "potential"],
        }
    )
    rc = sc.relationship_class(customers, pipeline, churn, as_of="2024-12-31")
    # A, B, C current; D historical; P1 potential, P2 competitor; P3 won (C); P4 after as_of
    assert dict(zip(rc["id"], rc["relationship"].astype(str), strict=True)) == {
        "A": "current",
        "B": "current",
        "C": "current",
        "D": "historical",
        "P1": "potential",
        "P2": "competitor",
    }


def test_five_level():
    s = sc.five_level(pd.Series([1, 2, 3, 4, 5, 2.5, None]), "loyalty")
    # 2.5 rounds half up to 3; missing stays missing
    assert s.astype(str).tolist()[:6] == [
        "很不忠诚",
        "不忠诚",
        "基本忠诚",
        "很忠诚",
        "非常忠诚",
        "基本忠诚",
    ]
    assert s.iloc[6:].isna().all()
    with pytest.raises(ValueError, match="kind"):
        sc.five_level(pd.Series([1]), "trust")


def test_five_level_and_satisfaction_class_are_one_rule():
    # issue 13: the two disagreed on a code of 9 (five_level: NaN, satisfaction_class:
    # error) and kept two label lists. One rule now: a data-entry code off the 1-5 scale is
    # an error naming its row, in both; the labels are the same.
    scores = pd.Series([5, 4.5, 3.49, 2, 1, None])
    a = sc.five_level(scores, "satisfaction")
    b = satisfaction.satisfaction_class(scores)
    assert a.astype(str).tolist() == b.astype(str).tolist()
    assert a.astype(str).tolist()[:5] == ["非常满意", "非常满意", "基本满意", "不满意", "很不满意"]
    assert list(a.cat.categories) == satisfaction.SATISFACTION_CLASSES[::-1]
    for f in (lambda x: sc.five_level(x, "satisfaction"), satisfaction.satisfaction_class):
        with pytest.raises(ValueError, match=r"rows \[1\]: \[9\.0\]"):
            f(pd.Series([3, 9]))
        with pytest.raises(ValueError, match="rows \\[0\\]"):
            f(pd.Series([0, 3]))
    with pytest.raises(ValueError, match="five points"):
        sc.five_level(scores, scale=(1, 7))


def test_status_class_names_the_amount_column():
    # issue 13: without an 'amount' column the first column (customer_id) was passed as
    # the amount, and the error named 'customer_id'. Now the missing column is named, and
    # amount= takes the user's own name.
    customers = pd.DataFrame(
        {"customer_id": ["A"], "acquisition_date": pd.to_datetime(["2020-01-01"])}
    )
    orders = pd.DataFrame(
        {"customer_id": ["A", "A"], "order_date": pd.to_datetime(["2023-06-01", "2024-06-01"])}
    )
    with pytest.raises(KeyError, match="'amount'"):
        sc.status_class(customers, orders, as_of="2024-12-31")
    st = sc.status_class(customers, orders.assign(value=1.0), as_of="2024-12-31", amount="value")
    assert st.loc["A", "status"] == "loyal"


def test_strategic_class_rule():
    t = pd.DataFrame(
        {
            "tier": ["VIP", "major", "major", "ordinary", "small", "VIP"],
            "potential": [True, True, False, True, True, True],
            "risk": [False, False, False, False, False, True],
        }
    )
    assert sc.strategic_class(t).tolist() == [
        "strategic",
        "strategic",
        "major",
        "major",
        "transactional",
        "risk",
    ]


def test_relationship_level_bins():
    # per year in a 365-day window: 0 basic, 2 reactive, 3 accountable, 12 proactive,
    # 13 partnership (bounds 0, 2, 6, 12 inclusive)
    n = {"A": 0, "B": 2, "C": 3, "D": 12, "E": 13}
    contacts = pd.DataFrame(
        {
            "customer_id": [c for c, k in n.items() for _ in range(k)],
            "contact_date": pd.Timestamp("2024-05-01"),
        }
    )
    lv = sc.relationship_level(contacts, list(n), as_of="2024-12-31")
    assert lv["level"].astype(str).tolist() == [
        "basic",
        "reactive",
        "accountable",
        "proactive",
        "partnership",
    ]
    # contacts outside the window do not count
    old = contacts.assign(contact_date=pd.Timestamp("2023-01-01"))
    assert (sc.relationship_level(old, ["E"], as_of="2024-12-31")["level"] == "basic").all()


def test_tier_summary_by_hand():
    # values 50, 30, 10, 5, 5 (total 100), tiers of 20% / 40% / 60%: VIP a, major b,
    # ordinary c, small d and e; ABC: A a b (80), B c d (15), C e (5)
    t = sc.value_tiers(
        pd.Series([50, 30, 10, 5, 5], index=list("abcde")), tier_cutoffs=(0.2, 0.4, 0.6)
    )
    s = sc.tier_summary(t, group="tier")
    assert s["n_customers"].tolist() == [1, 1, 1, 2]
    assert s["value_share"].tolist() == pytest.approx([0.5, 0.3, 0.1, 0.1])
    abc = sc.tier_summary(t, group="abc")
    assert abc["customer_share"].tolist() == pytest.approx([0.4, 0.4, 0.2])
    assert abc["value_share"].tolist() == pytest.approx([0.8, 0.15, 0.05])
    with pytest.raises(ValueError, match="total"):
        sc.tier_summary(t.assign(value=0.0), group="tier")


def test_resource_allocation_by_hand():
    d = pd.DataFrame(
        {
            "class": pd.Categorical(["x", "x", "y", "y"], categories=["x", "y", "z"]),
            "profit": [50.0, 10.0, 40.0, 0.0],
            "contact_cost": [0.0, 20.0, 60.0, 20.0],
        }
    )
    a = sc.resource_allocation(d)
    # x: 60 of 100 profit, 20 of 100 cost, 20 / 2 customers; y: 40, 80, 40; z: empty
    assert a.loc["x"].tolist() == pytest.approx([2, 0.6, 0.2, 10.0])
    assert a.loc["y"].tolist() == pytest.approx([2, 0.4, 0.8, 40.0])
    assert a.loc["z", "n_customers"] == 0
    with pytest.raises(KeyError):
        sc.resource_allocation(d.drop(columns="contact_cost"))


# --- the course terms: one definition each ---------------------------------------------
def test_key_customers_are_the_a_buyers_of_the_period():
    # buyers ranked: a 50, b 30, c 10, d 5, e 5 (total 100); f (-3) and g (0) are no buyers.
    # share before: a 0, b 0.50, c 0.80 -> a and b are below 80%, c is not (it starts at 80%)
    r = pd.Series([5.0, 50.0, -3.0, 30.0, 0.0, 10.0, 5.0], index=list("dafbgce"))
    assert sc.key_customers(r).tolist() == ["a", "b"]
    # at 85%: c starts at 80% < 85% -> key too; d starts at 90% -> not
    assert sc.key_customers(r, share=0.85).tolist() == ["a", "b", "c"]
    # every buyer at 100%, largest first, equal revenues in index order (d before e)
    assert sc.key_customers(r, share=1.0).tolist() == ["a", "b", "c", "d", "e"]


def test_key_customers_the_buyer_crossing_the_share_is_key():
    # 40 + 30 = 70 < 80 before the third (20): it crosses 80% (reaches 90%) and is key
    r = pd.Series([40.0, 30.0, 20.0, 10.0], index=["w", "x", "y", "z"])
    assert sc.key_customers(r).tolist() == ["w", "x", "y"]


@pytest.mark.parametrize(
    "revenue, share, match",
    [
        (pd.Series([], dtype=float), 0.8, "empty"),
        (pd.Series([1.0, 2.0], index=["a", "a"]), 0.8, "more than once.*'a'"),
        (pd.Series([1.0, None], index=["a", "b"]), 0.8, r"customers \['b'\]"),
        (pd.Series([-1.0, 0.0], index=["a", "b"]), 0.8, "no buyers"),
        (pd.Series([1.0], index=["a"]), 0.0, "share"),
    ],
)
def test_key_customers_bad_input(revenue, share, match):
    with pytest.raises(ValueError, match=match):
        sc.key_customers(revenue, share=share)


def test_risk_customers_lose_money_or_are_black_listed():
    t = pd.DataFrame(
        {
            "profit": [120.0, -5.0, 0.0, 40.0, -0.01],
            "credit": ["red", "red", "grey", "black", "grey"],
        },
        index=["a", "b", "c", "d", "e"],
    )
    # b and e lose money; d is black-listed; c breaks even (not a loss)
    got = sc.risk_customers(t)
    assert got.index.tolist() == list("abcde")
    assert got.tolist() == [False, True, False, True, True]
    # without credit lists only the losses count
    assert sc.risk_customers(t, credit=None).tolist() == [False, True, False, False, True]
    # the flag feeds strategic_class
    t["tier"], t["potential"], t["risk"] = "VIP", True, got
    assert sc.strategic_class(t).tolist() == ["strategic", "risk", "strategic", "risk", "risk"]


def test_risk_customers_bad_input():
    with pytest.raises(KeyError, match="credit"):
        sc.risk_customers(pd.DataFrame({"profit": [1.0]}))
    with pytest.raises(ValueError, match=r"'profit'.*rows \[1\]"):
        sc.risk_customers(pd.DataFrame({"profit": [1.0, "x"], "credit": ["red", "red"]}))
    with pytest.raises(ValueError, match=r"'credit'.*rows \[0\].*'blue'"):
        sc.risk_customers(pd.DataFrame({"profit": [1.0], "credit": ["blue"]}))


def test_segment_classes_keeps_its_public_api_after_the_split():
    import crmlab._segment_lists as lists
    import crmlab._segment_strategy as strategy
    import crmlab._segment_tiers as tiers

    for name in sc.__all__:
        assert hasattr(sc, name), name
    assert sc.value_tiers is tiers.value_tiers
    assert sc.credit_list is lists.credit_list
    assert sc.strategic_class is strategy.strategic_class


def test_value_pyramid_draws_its_chinese_tier_names_with_a_font_that_has_them():
    # the labels are "VIP VIP客户 ..."; with matplotlib's default font (DejaVu Sans) every
    # Chinese character would be drawn as an empty box and warn "Glyph ... missing"
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlab.segment_classes import plot_value_pyramid, value_tiers

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        tiers = value_tiers(pd.Series([100.0, 50, 20, 10, 5]), tier_cutoffs=(0.2, 0.4, 0.6))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ax = plot_value_pyramid(tiers)
            ax.figure.canvas.draw()
        plt.close(ax.figure)
