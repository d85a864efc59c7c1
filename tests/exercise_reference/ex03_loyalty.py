"""Hand-worked values of exercise 03_loyalty (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_repeat_per_customer_value(repeat_per_customer):
    import numbers

    assert isinstance(repeat_per_customer, numbers.Real) and not isinstance(
        repeat_per_customer, bool
    ), "repeat_per_customer should be one number"
    # 2024 wave: 1,686 of the 1,744 respondents with an order; sum of n_orders - 1 =
    # 43,932; 43,932 / 1,686 = 26.0569
    assert abs(repeat_per_customer - 26.056940) <= 0.01


def test_q1_repeat_share_value(repeat_share):
    import numbers

    assert isinstance(repeat_share, numbers.Real) and not isinstance(repeat_share, bool), (
        "repeat_share should be one number"
    )
    # 1,629 of 1,686 buyers have n_orders >= 2: 0.966192
    assert abs(repeat_share - 0.966192) <= 0.001


def test_q2_median_choosing_days_value(median_choosing_days):
    import numbers

    assert isinstance(median_choosing_days, numbers.Real) and not isinstance(
        median_choosing_days, bool
    ), "median_choosing_days should be one number"
    # median of the 1,686 known choosing_days: the mean of the 843rd and 844th values,
    # (3.59 + 3.61) / 2 = 3.60 days
    assert abs(median_choosing_days - 3.60) <= 0.005


def test_q2_slow_share_value(slow_share):
    import numbers

    assert isinstance(slow_share, numbers.Real) and not isinstance(slow_share, bool), (
        "slow_share should be one number"
    )
    # 762 of 1,686 customers choose for 4.5 days or more: 0.451957
    assert abs(slow_share - 0.451957) <= 0.001


def test_q3_cell_a_value(cell_a):
    assert isinstance(cell_a, str), "cell_a should be text"
    # 4.2 >= 3.5 and 0.80 >= 0.5: both high -> true
    assert cell_a.strip().lower() == "true"


def test_q3_cell_b_value(cell_b):
    assert isinstance(cell_b, str), "cell_b should be text"
    # 2.4 < 3.5, 0.90 >= 0.5: buys without attachment -> spurious
    assert cell_b.strip().lower() == "spurious"


def test_q3_cell_c_value(cell_c):
    assert isinstance(cell_c, str), "cell_c should be text"
    # 3.5 >= 3.5 (high: at or above), 0.35 < 0.5 -> latent
    assert cell_c.strip().lower() == "latent"


def test_q4_true_share_value(true_share):
    import numbers

    assert isinstance(true_share, numbers.Real) and not isinstance(true_share, bool), (
        "true_share should be one number"
    )
    # 1,628 rows with both items; median n_orders 16; attitude >= 3.5 and n_orders >= 16:
    # 586 customers -> 586 / 1,628 = 0.359951 (latent 573, spurious 239, none 230)
    assert abs(true_share - 0.359951) <= 0.001


def test_q4_spurious_share_value(spurious_share):
    import numbers

    assert isinstance(spurious_share, numbers.Real) and not isinstance(spurious_share, bool), (
        "spurious_share should be one number"
    )
    # attitude < 3.5 and n_orders >= 16: 239 / 1,628 = 0.146806
    assert abs(spurious_share - 0.146806) <= 0.001


def test_q5_types_customer1(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 1: rules 1-7 fail (attitude, friendship unknown); -0.4 > -0.6 and compares 2 <= 2.5 -> monopoly
    assert types[0].strip().lower() == "monopoly"


def test_q5_types_customer2(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 2: -1.1 > -1.5, 6 < 9.5 days; lift 2.1 >= 1.6 -> incentive
    assert types[1].strip().lower() == "incentive"


def test_q5_types_customer3(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 3: quick (2.5 days), friendship 3.0 < 3.6, attitude 4.5 >= 4.3
    assert types[2].strip().lower() == "super_value"


def test_q5_types_customer4(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 4: slow (7 days >= 4.5) with attitude 3.8 >= 3.5 -> latent
    assert types[3].strip().lower() == "latent"


def test_q5_types_customer5(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 5: elasticity -1.8 <= -1.5 -> price (rule 1 wins over attitude 4.0)
    assert types[4].strip().lower() == "price"


def test_q5_types_customer6(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 6: quick, friendship 4.0 >= 3.6 -> kinship
    assert types[5].strip().lower() == "kinship"


def test_q5_types_customer7(types):
    assert not isinstance(types, (str, dict)) and len(types) == 7, "types should hold 7 entries"
    # customer 7: quick, no survey, -0.9 not above -0.6 -> convenience
    assert types[6].strip().lower() == "convenience"


def test_q6_utility_reason_key(utility_reason):
    assert isinstance(utility_reason, str), "utility_reason should be text"
    # key A: no alternative supplier (monopoly loyalty)
    assert utility_reason.strip().upper() == "A"


def test_q6_utility_cell_value(utility_cell):
    assert isinstance(utility_cell, str), "utility_cell should be text"
    # buys every month (behaviour high), rates 2 of 5 and would not recommend (attitude low) -> spurious
    assert utility_cell.strip().lower() == "spurious"


def test_q7_gap_competitive_value(gap_competitive):
    import numbers

    assert isinstance(gap_competitive, numbers.Real) and not isinstance(gap_competitive, bool), (
        "gap_competitive should be one number"
    )
    # 254 / 300 - 68 / 250 = 0.846667 - 0.272 = 0.574667
    assert abs(gap_competitive - 0.574667) <= 0.001


def test_q7_gap_monopoly_value(gap_monopoly):
    import numbers

    assert isinstance(gap_monopoly, numbers.Real) and not isinstance(gap_monopoly, bool), (
        "gap_monopoly should be one number"
    )
    # 273 / 310 - 190 / 240 = 0.880645 - 0.791667 = 0.088978
    assert abs(gap_monopoly - 0.088978) <= 0.001


def test_q7_closest_link_key(closest_link):
    assert isinstance(closest_link, str), "closest_link should be text"
    # key A: only where customers can leave easily does satisfaction decide who stays
    assert closest_link.strip().upper() == "A"


def test_q8_referrals_satisfied_value(referrals_satisfied):
    import numbers

    assert isinstance(referrals_satisfied, numbers.Real) and not isinstance(
        referrals_satisfied, bool
    ), "referrals_satisfied should be one number"
    # 175 referrals by 810 satisfied customers = 0.216049
    assert abs(referrals_satisfied - 0.216049) <= 0.001


def test_q8_referrals_dissatisfied_value(referrals_dissatisfied):
    import numbers

    assert isinstance(referrals_dissatisfied, numbers.Real) and not isinstance(
        referrals_dissatisfied, bool
    ), "referrals_dissatisfied should be one number"
    # 28 referrals by 334 dissatisfied customers = 0.083832
    assert abs(referrals_dissatisfied - 0.083832) <= 0.001
