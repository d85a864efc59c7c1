"""Hand-worked values of exercise 01_customer_survey (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_q1_n_infinite_value(n_infinite):
    import numbers

    assert isinstance(n_infinite, numbers.Real) and not isinstance(n_infinite, bool), (
        "n_infinite should be one number"
    )
    # 1.96² x 0.25 / 0.0025 = 384.16, rounded up: 385
    assert abs(n_infinite - 385) <= 0


def test_q1_n_2000_value(n_2000):
    import numbers

    assert isinstance(n_2000, numbers.Real) and not isinstance(n_2000, bool), (
        "n_2000 should be one number"
    )
    # 384.16 / (1 + 383.16 / 2000) = 322.4, rounded up: 323
    assert abs(n_2000 - 323) <= 0


def test_q1_n_frame_value(n_frame):
    import numbers

    assert isinstance(n_frame, numbers.Real) and not isinstance(n_frame, bool), (
        "n_frame should be one number"
    )
    # N = 3,458 active customers: 384.16 / (1 + 383.16 / 3458) = 345.8 -> 346
    assert abs(n_frame - 346) <= 0


def test_q1_n_mean_value(n_mean):
    import numbers

    assert isinstance(n_mean, numbers.Real) and not isinstance(n_mean, bool), (
        "n_mean should be one number"
    )
    # n0 = (1.96 x 0.9 / 0.1)² = 311.17; 311.17 / (1 + 310.17 / 3458) = 285.6 -> 286
    assert abs(n_mean - 286) <= 0


def test_q2_neyman_exact_large_value(neyman_exact_large):
    import numbers

    assert isinstance(neyman_exact_large, numbers.Real) and not isinstance(
        neyman_exact_large, bool
    ), "neyman_exact_large should be one number"
    # N = 356, 967, 2,135 (large, medium, small); S = 3,163,431, 716,020, 212,214 yuan;
    # sum(N x S) = 1,126.2 + 692.4 + 453.1 = 2,271.7 million; 400 x 356 x 3,163,431 / sum(N x S) = 198.30
    assert abs(neyman_exact_large - 198.30201) <= 0.01


def test_q2_neyman_alloc_value(neyman_alloc):
    # exact 198.30, 121.92, 79.78 (large, medium, small) -> floors 198, 121, 79 (398); the
    # 2 left go to the largest fractions, medium (.92) and small (.78), not large (.30):
    # 198, 122, 80
    alloc = {str(k): int(v) for k, v in dict(neyman_alloc).items()}
    assert alloc == {"large": 198, "medium": 122, "small": 80}


def test_q2_weight_large_value(weight_large):
    import numbers

    assert isinstance(weight_large, numbers.Real) and not isinstance(weight_large, bool), (
        "weight_large should be one number"
    )
    # 356 / 198 = 1.798
    assert abs(weight_large - 1.79798) <= 0.001


def test_q3_n_out_of_range_value(n_out_of_range):
    import numbers

    assert isinstance(n_out_of_range, numbers.Real) and not isinstance(n_out_of_range, bool), (
        "n_out_of_range should be one number"
    )
    # 2024 wave, 1,832 sheets: 514 cells hold 0, 6 or 9 (196 + 160 + 158; 2,007 other
    # cells are blank)
    assert abs(n_out_of_range - 514) <= 0


def test_q3_n_duplicates_value(n_duplicates):
    import numbers

    assert isinstance(n_duplicates, numbers.Real) and not isinstance(n_duplicates, bool), (
        "n_duplicates should be one number"
    )
    # 32 later sheets of customers already seen
    assert abs(n_duplicates - 32) <= 0


def test_q3_n_straightliners_value(n_straightliners):
    import numbers

    assert isinstance(n_straightliners, numbers.Real) and not isinstance(n_straightliners, bool), (
        "n_straightliners should be one number"
    )
    # 56 sheets answer >= 18 items, all with one value (none is also a duplicate)
    assert abs(n_straightliners - 56) <= 0


def test_q3_n_clean_value(n_clean):
    import numbers

    assert isinstance(n_clean, numbers.Real) and not isinstance(n_clean, bool), (
        "n_clean should be one number"
    )
    # 1,832 - 32 duplicates - 56 straight-liners = 1,744
    assert abs(n_clean - 1744) <= 0


def test_q4_alpha_trust_value(alpha_trust):
    import numbers

    assert isinstance(alpha_trust, numbers.Real) and not isinstance(alpha_trust, bool), (
        "alpha_trust should be one number"
    )
    # k = 3, pairwise covariances of rq_trust1, rq_trust2, 6 - rq_trust3 on the 1,744 clean
    # sheets: trace 2.1606, sum of entries 4.3135; 1.5 x (1 - 2.1606 / 4.3135) = 0.7487
    # (first form, var of the sum, on the 1,532 complete sheets: 0.7473)
    assert abs(alpha_trust - 0.74866) <= 0.002


def test_q4_alpha_friend_value(alpha_friend):
    import numbers

    assert isinstance(alpha_friend, numbers.Real) and not isinstance(alpha_friend, bool), (
        "alpha_friend should be one number"
    )
    # rq_friend1..3 on the clean sheets: trace 1.9224, sum 3.4981;
    # 1.5 x (1 - 1.9224 / 3.4981) = 0.6757
    assert abs(alpha_friend - 0.67567) <= 0.002


def test_q4_unreliable_scales_value(unreliable_scales):
    # alphas: trust 0.749, satisf 0.750, belong 0.783, friend 0.676: only friend < 0.7
    assert sorted(str(s) for s in unreliable_scales) == ["friend"]


def test_q5_gap_reliability_value(gap_reliability):
    import numbers

    assert isinstance(gap_reliability, numbers.Real) and not isinstance(gap_reliability, bool), (
        "gap_reliability should be one number"
    )
    # 1,741 sheets: perception 3.595 - expectation 3.950 = -0.355
    assert abs(gap_reliability - -0.35468) <= 0.002


def test_q5_largest_shortfall_value(largest_shortfall):
    assert isinstance(largest_shortfall, str), "largest_shortfall should be text"
    # mean gaps: tangibles +0.151, reliability -0.355, responsiveness -0.647,
    # assurance +0.009, empathy -0.259
    assert largest_shortfall == "responsiveness"


def test_q6_class_counts_value(class_counts):
    # 1,674 clean sheets answer overall_sat: codes 5, 4, 3, 2, 1 counted
    # (290 + 520 + 530 + 275 + 59 = 1,674)
    counts = {str(k): int(v) for k, v in dict(class_counts).items()}
    assert counts == {
        "非常满意": 290,
        "很满意": 520,
        "基本满意": 530,
        "不满意": 275,
        "很不满意": 59,
    }


def test_q6_share_satisfied_value(share_satisfied):
    import numbers

    assert isinstance(share_satisfied, numbers.Real) and not isinstance(share_satisfied, bool), (
        "share_satisfied should be one number"
    )
    # (290 + 520) / 1,674 = 810 / 1,674 = 0.4839
    assert abs(share_satisfied - 0.483871) <= 0.001


def test_q7_driver_coefs_value(driver_coefs):
    # OLS (statsmodels, a second method) on 1,657 complete sheets: intercept 3.790;
    # tangibles 0.166, reliability 0.450, responsiveness 0.287, assurance 0.229, empathy 0.198
    coefs = {str(k): float(v) for k, v in dict(driver_coefs).items()}
    expected = {
        "tangibles": 0.166199,
        "reliability": 0.450445,
        "responsiveness": 0.286723,
        "assurance": 0.228533,
        "empathy": 0.198298,
    }
    assert sorted(coefs) == sorted(expected), (
        "driver_coefs should hold one coefficient per dimension, no intercept"
    )
    for dim, value in expected.items():
        assert abs(coefs[dim] - value) <= 0.003, dim


def test_q7_top_driver_value(top_driver):
    assert isinstance(top_driver, str), "top_driver should be text"
    # reliability has the largest slope, 0.450
    assert top_driver == "reliability"


def test_q8_key(interpretation):
    assert isinstance(interpretation, str), "interpretation should be text"
    # key B: a gap is perception minus expectation in scale points (not a share, not an
    # importance, not the overall item)
    assert interpretation.strip().upper() == "B"
