"""Hand-worked values of exercise 02_segmentation (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_recency_c_value(recency_c):
    import numbers

    assert isinstance(recency_c, numbers.Real) and not isinstance(recency_c, bool), (
        "recency_c should be one number"
    )
    # C000935 (the Africa customer with the most return lines, 9): last purchase line
    # 2024-12-26, 5 days before 2024-12-31
    assert abs(recency_c - 5) <= 0


def test_q1_frequency_c_value(frequency_c):
    import numbers

    assert isinstance(frequency_c, numbers.Real) and not isinstance(frequency_c, bool), (
        "frequency_c should be one number"
    )
    # 155 lines, of which 9 returns: 146 purchase lines
    assert abs(frequency_c - 146) <= 0


def test_q1_monetary_c_value(monetary_c):
    import numbers

    assert isinstance(monetary_c, numbers.Real) and not isinstance(monetary_c, bool), (
        "monetary_c should be one number"
    )
    # purchases 661,421.19 + returns -16,809.31 = 644,611.88 yuan
    assert abs(monetary_c - 644611.88) <= 0.01


def test_q2_r_score_c_value(r_score_c):
    import numbers

    assert isinstance(r_score_c, numbers.Real) and not isinstance(r_score_c, bool), (
        "r_score_c should be one number"
    )
    # C000071 (the third buyer in id order) of 331 customers; recency 19 days: -19 has
    # rank_min 218, 1 + floor(5 x 217 / 331) = 1 + floor(3.28) = 4
    assert abs(r_score_c - 4) <= 0


def test_q2_f_score_c_value(f_score_c):
    import numbers

    assert isinstance(f_score_c, numbers.Real) and not isinstance(f_score_c, bool), (
        "f_score_c should be one number"
    )
    # frequency 10, tied at rank_min 165: 1 + floor(5 x 164 / 331) = 1 + floor(2.48) = 3
    # (F = 3 holds 7-13 lines)
    assert abs(f_score_c - 3) <= 0


def test_q2_m_score_c_value(m_score_c):
    import numbers

    assert isinstance(m_score_c, numbers.Real) and not isinstance(m_score_c, bool), (
        "m_score_c should be one number"
    )
    # net spend 10,222.67 yuan has rank_min 56: 1 + floor(5 x 55 / 331) = 1 + floor(0.83) = 1
    assert abs(m_score_c - 1) <= 0


def test_q2_n_champions_value(n_champions):
    import numbers

    assert isinstance(n_champions, numbers.Real) and not isinstance(n_champions, bool), (
        "n_champions should be one number"
    )
    # 81 of the 331 customers with R >= 4 and F >= 4
    assert abs(n_champions - 81) <= 0


def test_q3_top20_share_2024_value(top20_share_2024):
    import numbers

    assert isinstance(top20_share_2024, numbers.Real) and not isinstance(top20_share_2024, bool), (
        "top20_share_2024 should be one number"
    )
    # 285 buyers in 2024, k = round(57.0) = 57; they hold 43,575,263.93 of the
    # 53,950,921.51 yuan of 2024 revenue = 80.77%
    assert abs(top20_share_2024 - 0.807683) <= 0.001


def test_q3_n_class_a_value(n_class_a):
    import numbers

    assert isinstance(n_class_a, numbers.Real) and not isinstance(n_class_a, bool), (
        "n_class_a should be one number"
    )
    # 56 buyers have a revenue share before below 80% (the 56th: 79.97% before, 80.37%
    # after)
    assert abs(n_class_a - 56) <= 0


def test_q3_class_a_customer_share_value(class_a_customer_share):
    import numbers

    assert isinstance(class_a_customer_share, numbers.Real) and not isinstance(
        class_a_customer_share, bool
    ), "class_a_customer_share should be one number"
    # 56 / 285 = 0.1965
    assert abs(class_a_customer_share - 0.196491) <= 0.001


def test_q4_moved_up_value(moved_up):
    import numbers

    assert isinstance(moved_up, numbers.Real) and not isinstance(moved_up, bool), (
        "moved_up should be one number"
    )
    # 225 buyers in 2023 (VIP 3, major 9, ordinary 33), 285 in 2024 (VIP 3, major 12,
    # ordinary 42); up: ordinary->major 3, small->ordinary 12 = 15
    assert abs(moved_up - 15) <= 0


def test_q4_moved_down_value(moved_down):
    import numbers

    assert isinstance(moved_down, numbers.Real) and not isinstance(moved_down, bool), (
        "moved_down should be one number"
    )
    # VIP->major 1, major->ordinary 3, ordinary->small 3 = 7
    assert abs(moved_down - 7) <= 0


def test_q4_small_lost_value(small_lost):
    import numbers

    assert isinstance(small_lost, numbers.Real) and not isinstance(small_lost, bool), (
        "small_lost should be one number"
    )
    # 42 of the 180 small customers of 2023 did not buy in 2024
    assert abs(small_lost - 42) <= 0


def test_q5_stage_conversion_value(stage_conversion):
    assert not isinstance(stage_conversion, (str, dict)) and len(stage_conversion) == 3, (
        "stage_conversion should hold 3 entries"
    )
    # 30/80 = 0.375, 16/30 = 0.5333, 10/16 = 0.625
    rates = [float(r) for r in stage_conversion]
    for got, want in zip(rates, [0.375, 0.533333, 0.625], strict=True):
        assert abs(got - want) <= 0.001


def test_q5_overall_conversion_value(overall_conversion):
    import numbers

    assert isinstance(overall_conversion, numbers.Real) and not isinstance(
        overall_conversion, bool
    ), "overall_conversion should be one number"
    # 10 / 80 = 0.125
    assert abs(overall_conversion - 0.125) <= 0.0001


def test_q5_forecast_per_contact_value(forecast_per_contact):
    import numbers

    assert isinstance(forecast_per_contact, numbers.Real) and not isinstance(
        forecast_per_contact, bool
    ), "forecast_per_contact should be one number"
    # 1,125 / 80 = 14.0625 万元
    assert abs(forecast_per_contact - 14.0625) <= 0.001


def test_q5_expected_contracts_value(expected_contracts):
    import numbers

    assert isinstance(expected_contracts, numbers.Real) and not isinstance(
        expected_contracts, bool
    ), "expected_contracts should be one number"
    # 40 x 10/80 + 10 x 10/30 + 4 x 10/16 + 0 = 5 + 3.333 + 2.5 = 10.83
    assert abs(expected_contracts - 10.833333) <= 0.001


def test_q6_active_key_customers_value(active_key_customers):
    import hashlib

    # 49 of the 56 A customers last bought at most 90 days before 2024-12-31 (largest
    # recency among them 65 days); sha256 of their sorted ids
    ids = sorted(str(i) for i in active_key_customers)
    assert len(ids) == 49
    assert hashlib.sha256(",".join(ids).encode()).hexdigest()[:16] == "3bb27cfebe1dd7db"


def test_q6_key_revenue_share_value(key_revenue_share):
    import numbers

    assert isinstance(key_revenue_share, numbers.Real) and not isinstance(
        key_revenue_share, bool
    ), "key_revenue_share should be one number"
    # the 49 active key customers hold 38,765,212.25 of 53,950,921.51 yuan = 71.85% of
    # 2024 revenue
    assert abs(key_revenue_share - 0.718527) <= 0.001


def test_q6_lapsing_a_value(lapsing_a):
    import hashlib

    # A customers with recency > 90 days: C000038 (112), C000655 (109), C002717 (101),
    # C003214 (267), C003425 (218), C003700 (305), C003875 (274)
    ids = sorted(str(i) for i in lapsing_a)
    assert len(ids) == 7
    assert hashlib.sha256(",".join(ids).encode()).hexdigest()[:16] == "bddbcaaf99c36ec2"
