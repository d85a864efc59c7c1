"""Hand-worked values of exercise 05_customer_value (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_profit_c5_value(profit_c5):
    import numbers

    assert isinstance(profit_c5, numbers.Real) and not isinstance(profit_c5, bool), (
        "profit_c5 should be one number"
    )
    # C000005: 1,472,051.25 - 1,290,769.80 - 13,860.00 = 167,421.45
    assert abs(profit_c5 - 167421.45) <= 0.01


def test_q1_margin_c5_value(margin_c5):
    import numbers

    assert isinstance(margin_c5, numbers.Real) and not isinstance(margin_c5, bool), (
        "margin_c5 should be one number"
    )
    # 167,421.45 / 1,472,051.25 = 0.113733
    assert abs(margin_c5 - 0.113733) <= 1e-4


def test_q2_clv_4y_value(clv_4y):
    import numbers

    assert isinstance(clv_4y, numbers.Real) and not isinstance(clv_4y, bool), (
        "clv_4y should be one number"
    )
    # 1200 (0.8/1.1 + 0.6/1.21 + 0.45/1.331 + 0.35/1.4641) = 1200 x 1.800287 = 2160.34
    assert abs(clv_4y - 2160.3442) <= 0.01


def test_q2_clv_forever_value(clv_forever):
    import numbers

    assert isinstance(clv_forever, numbers.Real) and not isinstance(clv_forever, bool), (
        "clv_forever should be one number"
    )
    # 1200 x 0.75 / (1 + 0.10 - 0.75) = 900 / 0.35 = 2571.43
    assert abs(clv_forever - 2571.4286) <= 0.01


def test_q3_p_alive_recent_value(p_alive_recent):
    import numbers

    assert isinstance(p_alive_recent, numbers.Real) and not isinstance(p_alive_recent, bool), (
        "p_alive_recent should be one number"
    )
    # C000602 (data.py's pick: 5 repeat purchases, last one and weeks observed nearest
    # 98.86 and 102.71): x = 5, t_x = 98.71, T = 101.43 -> 0.9748
    assert abs(p_alive_recent - 0.9748) <= 1e-4


def test_q3_p_alive_silent_value(p_alive_silent):
    import numbers

    assert isinstance(p_alive_silent, numbers.Real) and not isinstance(p_alive_silent, bool), (
        "p_alive_silent should be one number"
    )
    # C001584 (data.py's pick: 5 repeat purchases, p_alive nearest 0.04): x = 5,
    # t_x = 30.14, T = 103.29 -> 0.0413
    assert abs(p_alive_silent - 0.0413) <= 1e-4


def test_q3_share_likely_gone_value(share_likely_gone):
    import numbers

    assert isinstance(share_likely_gone, numbers.Real) and not isinstance(
        share_likely_gone, bool
    ), "share_likely_gone should be one number"
    # 652 of 3,530 customers have p_alive < 0.5: 0.184703
    assert abs(share_likely_gone - 0.184703) <= 1e-4


def test_q3_q3_meaning_value(q3_meaning):
    assert isinstance(q3_meaning, str), "q3_meaning should be text"
    # B: the probability that the customer has not dropped out
    assert q3_meaning.strip() == "B"


def test_q4_max_cost_referral_value(max_cost_referral):
    import numbers

    assert isinstance(max_cost_referral, numbers.Real) and not isinstance(
        max_cost_referral, bool
    ), "max_cost_referral should be one number"
    # mean predicted_clv of the 659 referral customers: 370,324.86
    assert abs(max_cost_referral - 370324.86) <= 0.5


def test_q4_best_channel_value(best_channel):
    assert isinstance(best_channel, str), "best_channel should be text"
    # means: referral 370,325 > agent 327,539 > online 313,416 > trade_fair 299,835 >
    # sales_visit 254,733
    assert best_channel.strip() == "referral"


def test_q4_max_cost_profit_value(max_cost_profit):
    import numbers

    assert isinstance(max_cost_profit, numbers.Real) and not isinstance(max_cost_profit, bool), (
        "max_cost_profit should be one number"
    )
    # 0.20 x 370,324.86 = 74,064.97
    assert abs(max_cost_profit - 74064.97) <= 0.5


def test_q5_n_top_value(n_top):
    import numbers

    assert isinstance(n_top, numbers.Real) and not isinstance(n_top, bool), (
        "n_top should be one number"
    )
    # round(0.05 x 3,530) = round(176.5) = 176 (Python rounds a half to the even number)
    assert n_top == 176


def test_q5_n_stay_value(n_stay):
    import numbers

    assert isinstance(n_stay, numbers.Real) and not isinstance(n_stay, bool), (
        "n_stay should be one number"
    )
    # top 176 by past_revenue and top 176 by predicted_clv share 114 customers
    assert n_stay == 114


def test_q5_n_fall_gone_value(n_fall_gone):
    import numbers

    assert isinstance(n_fall_gone, numbers.Real) and not isinstance(n_fall_gone, bool), (
        "n_fall_gone should be one number"
    )
    # of the 176 - 114 = 62 who fall out, 18 have p_alive < 0.5
    assert n_fall_gone == 18


def test_q6_saved_a_value(saved_a):
    import numbers

    assert isinstance(saved_a, numbers.Real) and not isinstance(saved_a, bool), (
        "saved_a should be one number"
    )
    # 20 x 0.3 x (1 - e^-1) x 0.15 x 200,000 = 6 x 0.632121 x 30,000 = 113,781.7
    assert abs(saved_a - 113781.7) <= 0.5


def test_q6_saved_b_value(saved_b):
    import numbers

    assert isinstance(saved_b, numbers.Real) and not isinstance(saved_b, bool), (
        "saved_b should be one number"
    )
    # 500 x 0.3 x (1 - e^-0.04) x 0.2 x 8,000 = 150 x 0.039211 x 1,600 = 9,410.5
    assert abs(saved_b - 9410.5) <= 0.5


def test_q6_saved_c_value(saved_c):
    import numbers

    assert isinstance(saved_c, numbers.Real) and not isinstance(saved_c, bool), (
        "saved_c should be one number"
    )
    # x = 100,000 / 520 = 192.31 each, 1 - e^(-x/5000) = 0.037731: (6 x 30,000 + 150 x 1,600) x 0.037731 = 15,847.1
    assert abs(saved_c - 15847.1) <= 0.5


def test_q6_best_option_value(best_option):
    assert isinstance(best_option, str), "best_option should be text"
    # A saves the most
    assert best_option.strip() == "A"
