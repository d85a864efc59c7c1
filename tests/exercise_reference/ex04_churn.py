"""Hand-worked values of exercise 04_churn (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_telco_churn_rate_value(telco_churn_rate):
    import numbers

    assert isinstance(telco_churn_rate, numbers.Real) and not isinstance(telco_churn_rate, bool), (
        "telco_churn_rate should be one number"
    )
    # 1,869 of 7,043 customers churned: 0.265370
    assert abs(telco_churn_rate - 0.265370) <= 0.0005


def test_q1_m2m_churn_rate_value(m2m_churn_rate):
    import numbers

    assert isinstance(m2m_churn_rate, numbers.Real) and not isinstance(m2m_churn_rate, bool), (
        "m2m_churn_rate should be one number"
    )
    # 1,655 of 3,875 month-to-month customers: 0.427097
    assert abs(m2m_churn_rate - 0.427097) <= 0.0005


def test_q2_s_6_value(s_6):
    import numbers

    assert isinstance(s_6, numbers.Real) and not isinstance(s_6, bool), "s_6 should be one number"
    # 0.9 x 8/9 x 6/7 x 5/6 = 0.571429 (at risk 10, 9, 7, 6)
    assert abs(s_6 - 0.571429) <= 0.0005


def test_q2_s_10_value(s_10):
    import numbers

    assert isinstance(s_10, numbers.Real) and not isinstance(s_10, bool), (
        "s_10 should be one number"
    )
    # 0.571429 x 2/3 = 0.380952 (at 10 months 3 at risk: 10, 12, 12)
    assert abs(s_10 - 0.380952) <= 0.0005


def test_q2_median_months_value(median_months):
    import numbers

    assert isinstance(median_months, numbers.Real) and not isinstance(median_months, bool), (
        "median_months should be one number"
    )
    # S(8) = 0.571 > 0.5, S(10) = 0.381 <= 0.5 -> 10 months
    assert abs(median_months - 10) <= 1e-9


def test_q3_telco_s12_value(telco_s12):
    import numbers

    assert isinstance(telco_s12, numbers.Real) and not isinstance(telco_s12, bool), (
        "telco_s12 should be one number"
    )
    # Kaplan-Meier S(12) = 0.8432, the published value (datasets/telco_churn.md; crmlab.survival.kaplan_meier)
    assert abs(telco_s12 - 0.843200) <= 0.0005


def test_q3_telco_s72_value(telco_s72):
    import numbers

    assert isinstance(telco_s72, numbers.Real) and not isinstance(telco_s72, bool), (
        "telco_s72 should be one number"
    )
    # Kaplan-Meier S(72) = 0.5928
    assert abs(telco_s72 - 0.592790) <= 0.0005


def test_q4_hr_switching_value(hr_switching):
    import numbers

    assert isinstance(hr_switching, numbers.Real) and not isinstance(hr_switching, bool), (
        "hr_switching should be one number"
    )
    # exp(-1.42) = 0.241714
    assert abs(hr_switching - 0.241714) <= 0.0005


def test_q4_hr_half_value(hr_half):
    import numbers

    assert isinstance(hr_half, numbers.Real) and not isinstance(hr_half, bool), (
        "hr_half should be one number"
    )
    # exp(-0.71) = 0.491644 (= sqrt(0.241714))
    assert abs(hr_half - 0.491644) <= 0.0005


def test_q4_hr_reading_key(hr_reading):
    assert isinstance(hr_reading, str), "hr_reading should be text"
    # key A: a hazard ratio compares rates of leaving at each moment, not shares of churners, durations or explained variance
    assert hr_reading.strip().upper() == "A"


def test_q5_price_stated_share_value(price_stated_share):
    import numbers

    assert isinstance(price_stated_share, numbers.Real) and not isinstance(
        price_stated_share, bool
    ), "price_stated_share should be one number"
    # 756 of 1,542 leavers say price: 0.490272
    assert abs(price_stated_share - 0.490272) <= 0.0005


def test_q5_fault_share_value(fault_share):
    import numbers

    assert isinstance(fault_share, numbers.Real) and not isinstance(fault_share, bool), (
        "fault_share should be one number"
    )
    # 347 of 1,542 are fault churn: 0.225032 (competitive 1,100, natural 95)
    assert abs(fault_share - 0.225032) <= 0.0005


def test_q5_price_corrected_value(price_corrected):
    import numbers

    assert isinstance(price_corrected, numbers.Real) and not isinstance(price_corrected, bool), (
        "price_corrected should be one number"
    )
    # (0.490272 - 0.2) / 0.8 = 0.362840 (true share in the simulator's truth table: 545 of
    # the 1,542 leavers, 0.353)
    assert abs(price_corrected - 0.362840) <= 0.0005


def test_q6_top_customer_value(top_customer):
    assert isinstance(top_customer, str), "top_customer should be text"
    # C000797 (VIP): 0.1008 x 14,593,421.20 = 1,471,017 yuan at risk (next C001101,
    # 0.0990 x 13,469,916.37 = 1,333,522)
    assert str(top_customer).strip() == "C000797"


def test_q6_vip_top100_value(vip_top100):
    import numbers

    assert isinstance(vip_top100, numbers.Real) and not isinstance(vip_top100, bool), (
        "vip_top100 should be one number"
    )
    # of the top 100 by value at risk: 31 VIP, 62 major, 7 ordinary (31 of the 32 VIPs of
    # the list)
    assert abs(vip_top100 - 31) <= 1e-9


def test_q6_n_contact_value(n_contact):
    import numbers

    assert isinstance(n_contact, numbers.Real) and not isinstance(n_contact, bool), (
        "n_contact should be one number"
    )
    # 1,249 of 3,150 customers with p x 0.3 x value > 2,000 (expected net gain 15.63
    # million yuan)
    assert abs(n_contact - 1249) <= 1e-9


def test_q7_strategies_s1(strategies):
    assert not isinstance(strategies, (str, dict)) and len(strategies) == 5, (
        "strategies should hold 5 entries"
    )
    # means: value 1,000 / 5 = 200, churn 0.825 / 5 = 0.165;
    # S1: 520/200 = 2.6 >= 1, 0.200/0.165 = 1.21 >= 1 -> attack
    assert str(strategies[0]).strip().lower() == "attack"


def test_q7_strategies_s2(strategies):
    assert not isinstance(strategies, (str, dict)) and len(strategies) == 5, (
        "strategies should hold 5 entries"
    )
    # S2: 0.65, 0.48: churn below the mean -> defend
    assert str(strategies[1]).strip().lower() == "defend"


def test_q7_strategies_s3(strategies):
    assert not isinstance(strategies, (str, dict)) and len(strategies) == 5, (
        "strategies should hold 5 entries"
    )
    # S3: 0.2 < 0.5, 1.45 >= 1 -> retreat
    assert str(strategies[2]).strip().lower() == "retreat"


def test_q7_strategies_s4(strategies):
    assert not isinstance(strategies, (str, dict)) and len(strategies) == 5, (
        "strategies should hold 5 entries"
    )
    # S4: 0.8, 0.61 -> defend
    assert str(strategies[3]).strip().lower() == "defend"


def test_q7_strategies_s5(strategies):
    assert not isinstance(strategies, (str, dict)) and len(strategies) == 5, (
        "strategies should hold 5 entries"
    )
    # S5: 0.75 (not below 0.5, not 1 or more), 1.24 -> defend
    assert str(strategies[4]).strip().lower() == "defend"
