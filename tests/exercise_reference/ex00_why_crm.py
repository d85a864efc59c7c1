"""Hand-worked values of exercise 00_why_crm (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_top20_share_value(top20_share):
    import numbers

    assert isinstance(top20_share, numbers.Real) and not isinstance(top20_share, bool), (
        "top20_share should be one number"
    )
    # n = 3,546 customers, k = round(709.2) = 709; they hold 1,051,944,203.66 of the
    # 1,279,334,363.58 yuan of 2024 revenue = 82.23%
    assert abs(top20_share - 0.822259) <= 0.001


def test_q2_bottom50_share_value(bottom50_share):
    import numbers

    assert isinstance(bottom50_share, numbers.Real) and not isinstance(bottom50_share, bool), (
        "bottom50_share should be one number"
    )
    # the smallest 1,773 of 3,546 customers hold 49,927,100.28 of 1,279,334,363.58 yuan
    # = 3.90% of revenue
    assert abs(bottom50_share - 0.039026) <= 0.001


def test_q2_gini_value(gini):
    import numbers

    assert isinstance(gini, numbers.Real) and not isinstance(gini, bool), (
        "gini should be one number"
    )
    # Gini of 2024 revenue per customer, second method: (n + 1 - 2 sum(L_i)) / n with
    # L_i the Lorenz curve's cumulative shares, sum(L_i) = 380.242:
    # (3,547 - 760.484) / 3,546 = 0.78582 (third method, the mean absolute difference
    # sum_ij |x_i - x_j| / (2 n^2 mean), gives the same)
    assert abs(gini - 0.785820) <= 0.001


def test_q3_weekly_profit_leaky_value(weekly_profit_leaky):
    import numbers

    assert isinstance(weekly_profit_leaky, numbers.Real) and not isinstance(
        weekly_profit_leaky, bool
    ), "weekly_profit_leaky should be one number"
    # 2,000 x 50 - 100 x 500 = 50,000
    assert abs(weekly_profit_leaky - 50000) <= 1e-06


def test_q3_weekly_profit_keep_value(weekly_profit_keep):
    import numbers

    assert isinstance(weekly_profit_keep, numbers.Real) and not isinstance(
        weekly_profit_keep, bool
    ), "weekly_profit_keep should be one number"
    # 2,000 x 50 - 100 x 100 - 20 x 500 = 80,000
    assert abs(weekly_profit_keep - 80000) <= 1e-06


def test_q3_yearly_gain_value(yearly_gain):
    import numbers

    assert isinstance(yearly_gain, numbers.Real) and not isinstance(yearly_gain, bool), (
        "yearly_gain should be one number"
    )
    # 52 x (80,000 - 50,000) = 1,560,000
    assert abs(yearly_gain - 1560000) <= 1e-06


def test_q3_yearly_gain_10x_value(yearly_gain_10x):
    import numbers

    assert isinstance(yearly_gain_10x, numbers.Real) and not isinstance(yearly_gain_10x, bool), (
        "yearly_gain_10x should be one number"
    )
    # leaky 100,000 - 100,000 = 0; keep 100,000 - 10,000 - 20,000 = 70,000; 52 x 70,000 = 3,640,000
    assert abs(yearly_gain_10x - 3640000) <= 1e-06


def test_q4_clv_80_value(clv_80):
    import numbers

    assert isinstance(clv_80, numbers.Real) and not isinstance(clv_80, bool), (
        "clv_80 should be one number"
    )
    # 1000 x 0.8 / (1.1 - 0.8) = 800 / 0.3 = 2,666.67
    assert abs(clv_80 - 2666.6667) <= 0.0001 * abs(2666.6667)


def test_q4_clv_85_value(clv_85):
    import numbers

    assert isinstance(clv_85, numbers.Real) and not isinstance(clv_85, bool), (
        "clv_85 should be one number"
    )
    # 1000 x 0.85 / (1.1 - 0.85) = 850 / 0.25 = 3,400
    assert abs(clv_85 - 3400.0) <= 0.0001 * abs(3400.0)


def test_q4_uplift_80_85_value(uplift_80_85):
    import numbers

    assert isinstance(uplift_80_85, numbers.Real) and not isinstance(uplift_80_85, bool), (
        "uplift_80_85 should be one number"
    )
    # 3,400 / 2,666.67 - 1 = 0.275 (+27.5%)
    assert abs(uplift_80_85 - 0.275) <= 0.001


def test_q4_uplift_90_95_value(uplift_90_95):
    import numbers

    assert isinstance(uplift_90_95, numbers.Real) and not isinstance(uplift_90_95, bool), (
        "uplift_90_95 should be one number"
    )
    # (950 / 0.15) / (900 / 0.2) - 1 = 6,333.33 / 4,500 - 1 = 0.4074 (+40.7%)
    assert abs(uplift_90_95 - 0.407407) <= 0.001


def test_q4_clv_80_10y_value(clv_80_10y):
    import numbers

    assert isinstance(clv_80_10y, numbers.Real) and not isinstance(clv_80_10y, bool), (
        "clv_80_10y should be one number"
    )
    # q = 0.8 / 1.1; 1000 x q (1 - q^10) / (1 - q) = 2,556.27
    assert abs(clv_80_10y - 2556.2736) <= 0.0001 * abs(2556.2736)


def test_q5_wom_potential_deals_value(wom_potential_deals):
    import numbers

    assert isinstance(wom_potential_deals, numbers.Real) and not isinstance(
        wom_potential_deals, bool
    ), "wom_potential_deals should be one number"
    # 900 satisfied x 8 = 7,200
    assert abs(wom_potential_deals - 7200) <= 1e-06


def test_q5_wom_min_closed_value(wom_min_closed):
    import numbers

    assert isinstance(wom_min_closed, numbers.Real) and not isinstance(wom_min_closed, bool), (
        "wom_min_closed should be one number"
    )
    # 900 satisfied x 1 = 900
    assert abs(wom_min_closed - 900) <= 1e-06


def test_q5_wom_people_put_off_value(wom_people_put_off):
    import numbers

    assert isinstance(wom_people_put_off, numbers.Real) and not isinstance(
        wom_people_put_off, bool
    ), "wom_people_put_off should be one number"
    # 100 dissatisfied x 25 = 2,500
    assert abs(wom_people_put_off - 2500) <= 1e-06


def test_q5_wom_break_even_share_value(wom_break_even_share):
    import numbers

    assert isinstance(wom_break_even_share, numbers.Real) and not isinstance(
        wom_break_even_share, bool
    ), "wom_break_even_share should be one number"
    # s = 2.5 (1 - s)  =>  s = 2.5 / 3.5 = 0.7143
    assert abs(wom_break_even_share - 0.714286) <= 0.0001


def test_q6_unprofitable_share_value(unprofitable_share):
    import numbers

    assert isinstance(unprofitable_share, numbers.Real) and not isinstance(
        unprofitable_share, bool
    ), "unprofitable_share should be one number"
    # 324 of 3,546 customers have gross_margin - cost_to_serve <= 0: 324 / 3,546 = 0.09137
    assert abs(unprofitable_share - 0.091371) <= 0.001


def test_q6_top20_profit_share_value(top20_profit_share):
    import numbers

    assert isinstance(top20_profit_share, numbers.Real) and not isinstance(
        top20_profit_share, bool
    ), "top20_profit_share should be one number"
    # the 709 most profitable customers bring 214,375,136.89 of the 258,524,970.78 yuan of
    # total profit = 82.92%
    assert abs(top20_profit_share - 0.829224) <= 0.001
