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
    # N = 3,437 active customers: 384.16 / (1 + 383.16 / 3437) = 345.6 -> 346
    assert abs(n_frame - 346) <= 0


def test_q1_n_mean_value(n_mean):
    import numbers

    assert isinstance(n_mean, numbers.Real) and not isinstance(n_mean, bool), (
        "n_mean should be one number"
    )
    # n0 = (1.96 x 0.9 / 0.1)² = 311.17; 311.17 / (1 + 310.17 / 3437) = 285.4 -> 286
    assert abs(n_mean - 286) <= 0


def test_q2_neyman_exact_large_value(neyman_exact_large):
    import numbers

    assert isinstance(neyman_exact_large, numbers.Real) and not isinstance(
        neyman_exact_large, bool
    ), "neyman_exact_large should be one number"
    # N = 343, 952, 2,142 (large, medium, small); S = 2,176,478, 572,815, 152,362 yuan; 400 x 343 x 2,176,478 / sum(N x S) = 184.53
    assert abs(neyman_exact_large - 184.53278) <= 0.01


def test_q2_neyman_alloc_value(neyman_alloc):
    # exact 184.53, 134.80, 80.67 -> floors 184, 134, 80 (398); the 2 left go to the
    # largest fractions, medium (.80) and small (.67): 184, 135, 81
    alloc = {str(k): int(v) for k, v in dict(neyman_alloc).items()}
    assert alloc == {"large": 184, "medium": 135, "small": 81}


def test_q2_weight_large_value(weight_large):
    import numbers

    assert isinstance(weight_large, numbers.Real) and not isinstance(weight_large, bool), (
        "weight_large should be one number"
    )
    # 343 / 184 = 1.864
    assert abs(weight_large - 1.86413) <= 0.001


def test_q3_n_out_of_range_value(n_out_of_range):
    import numbers

    assert isinstance(n_out_of_range, numbers.Real) and not isinstance(n_out_of_range, bool), (
        "n_out_of_range should be one number"
    )
    # 392 cells hold 0, 6 or 9 (1,502 other cells are blank)
    assert abs(n_out_of_range - 392) <= 0


def test_q3_n_duplicates_value(n_duplicates):
    import numbers

    assert isinstance(n_duplicates, numbers.Real) and not isinstance(n_duplicates, bool), (
        "n_duplicates should be one number"
    )
    # 27 later sheets of customers already seen
    assert abs(n_duplicates - 27) <= 0


def test_q3_n_straightliners_value(n_straightliners):
    import numbers

    assert isinstance(n_straightliners, numbers.Real) and not isinstance(n_straightliners, bool), (
        "n_straightliners should be one number"
    )
    # 35 sheets answer >= 18 items, all with one value (none is also a duplicate)
    assert abs(n_straightliners - 35) <= 0


def test_q3_n_clean_value(n_clean):
    import numbers

    assert isinstance(n_clean, numbers.Real) and not isinstance(n_clean, bool), (
        "n_clean should be one number"
    )
    # 1,372 - 27 duplicates - 35 straight-liners = 1,310
    assert abs(n_clean - 1310) <= 0


def test_q4_alpha_trust_value(alpha_trust):
    import numbers

    assert isinstance(alpha_trust, numbers.Real) and not isinstance(alpha_trust, bool), (
        "alpha_trust should be one number"
    )
    # k = 3, pairwise covariances of rq_trust1, rq_trust2, 6 - rq_trust3 on the 1,310 clean sheets: 1.5 x (1 - trace / sum) = 0.764
    assert abs(alpha_trust - 0.76396) <= 0.002


def test_q4_alpha_friend_value(alpha_friend):
    import numbers

    assert isinstance(alpha_friend, numbers.Real) and not isinstance(alpha_friend, bool), (
        "alpha_friend should be one number"
    )
    # rq_friend1..3 on the clean sheets: 0.654
    assert abs(alpha_friend - 0.65448) <= 0.002


def test_q4_unreliable_scales_value(unreliable_scales):
    # alphas: trust 0.764, satisf 0.742, belong 0.775, friend 0.654: only friend < 0.7
    assert sorted(str(s) for s in unreliable_scales) == ["friend"]


def test_q5_gap_reliability_value(gap_reliability):
    import numbers

    assert isinstance(gap_reliability, numbers.Real) and not isinstance(gap_reliability, bool), (
        "gap_reliability should be one number"
    )
    # 1,305 sheets: perception 3.532 - expectation 3.931 = -0.399
    assert abs(gap_reliability - -0.39923) <= 0.002


def test_q5_largest_shortfall_value(largest_shortfall):
    assert isinstance(largest_shortfall, str), "largest_shortfall should be text"
    # mean gaps: tangibles +0.109, reliability -0.399, responsiveness -0.751,
    # assurance -0.043, empathy -0.332
    assert largest_shortfall == "responsiveness"


def test_q6_class_counts_value(class_counts):
    # 1,255 clean sheets answer overall_sat: codes 5, 4, 3, 2, 1 counted
    counts = {str(k): int(v) for k, v in dict(class_counts).items()}
    assert counts == {
        "非常满意": 156,
        "很满意": 364,
        "基本满意": 465,
        "不满意": 231,
        "很不满意": 39,
    }


def test_q6_share_satisfied_value(share_satisfied):
    import numbers

    assert isinstance(share_satisfied, numbers.Real) and not isinstance(share_satisfied, bool), (
        "share_satisfied should be one number"
    )
    # (156 + 364) / 1,255 = 0.4143
    assert abs(share_satisfied - 0.414343) <= 0.001


def test_q7_driver_coefs_value(driver_coefs):
    # OLS on 1,237 complete sheets: intercept 3.724; tangibles 0.132, reliability 0.460,
    # responsiveness 0.267, assurance 0.208, empathy 0.182
    coefs = {str(k): float(v) for k, v in dict(driver_coefs).items()}
    expected = {
        "tangibles": 0.131861,
        "reliability": 0.459774,
        "responsiveness": 0.267277,
        "assurance": 0.208188,
        "empathy": 0.181833,
    }
    assert sorted(coefs) == sorted(expected), (
        "driver_coefs should hold one coefficient per dimension, no intercept"
    )
    for dim, value in expected.items():
        assert abs(coefs[dim] - value) <= 0.003, dim


def test_q7_top_driver_value(top_driver):
    assert isinstance(top_driver, str), "top_driver should be text"
    # reliability has the largest slope, 0.460
    assert top_driver == "reliability"


def test_q8_key(interpretation):
    assert isinstance(interpretation, str), "interpretation should be text"
    # key B: a gap is perception minus expectation in scale points (not a share, not an
    # importance, not the overall item)
    assert interpretation.strip().upper() == "B"
