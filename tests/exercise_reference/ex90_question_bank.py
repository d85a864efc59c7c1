"""Hand-worked values of exercise 90_question_bank (the former hidden tests of its master).

The autograder now compares with values computed by running the master's solution; these
functions, with the arithmetic in their comments, check that the default variant's key
agrees with the values worked out by hand. ``tests/test_exercise_keys.py`` runs them.
"""

# ruff: noqa: E501


def test_mc1_key(mc1):
    assert isinstance(mc1, str), "mc1 should be text"
    # key B: the rule is about how concentrated value is: at least 80% of...
    assert mc1.strip().upper() == "B"


def test_mc2_key(mc2):
    assert isinstance(mc2, str), "mc2 should be text"
    # key A: satisfaction compares what the customer perceives with what ...
    assert mc2.strip().upper() == "A"


def test_mc3_key(mc3):
    assert isinstance(mc3, str), "mc3 should be text"
    # key C: A is emotional loyalty (情感忠诚), B behavioural loyalty (行为忠诚),...
    assert mc3.strip().upper() == "C"


def test_mc4_key(mc4):
    assert isinstance(mc4, str), "mc4 should be text"
    # key D: status follows the customer's life cycle: new, loyal, churne...
    assert mc4.strip().upper() == "D"


def test_mc5_key(mc5):
    assert isinstance(mc5, str), "mc5 should be text"
    # key C: early warning watches a customer's status move from loyal to...
    assert mc5.strip().upper() == "C"


def test_mc6_key(mc6):
    assert isinstance(mc6, str), "mc6 should be text"
    # key A: a power utility is a monopoly: users have no other choice, s...
    assert mc6.strip().upper() == "A"


def test_mc7_key(mc7):
    assert isinstance(mc7, str), "mc7 should be text"
    # key A: only where customers can switch easily does dissatisfaction ...
    assert mc7.strip().upper() == "A"


def test_mc8_key(mc8):
    assert isinstance(mc8, str), "mc8 should be text"
    # key A: a prediction looks forward over the whole expected relations...
    assert mc8.strip().upper() == "A"


def test_mc9_key(mc9):
    assert isinstance(mc9, str), "mc9 should be text"
    # key B: CRM identifies, keeps and develops valuable customers with o...
    assert mc9.strip().upper() == "B"


def test_kc1_value(key_customers):
    import hashlib

    # 632 of the 3,546 buyers of 2024 hold 80.01% of 2024 revenue (the 632nd: 79.98%
    # before); sha256 of their sorted ids
    ids = sorted(str(i) for i in key_customers)
    assert len(ids) == 632
    assert hashlib.sha256(",".join(ids).encode()).hexdigest()[:16] == "efa7dc60ef416c01"


def test_kc2_value(key_share):
    import numbers

    assert isinstance(key_share, numbers.Real) and not isinstance(key_share, bool), (
        "key_share should be one number"
    )
    # 632 / 3,546 = 0.17823
    assert abs(key_share - 0.178229) <= 1e-3


def test_kc3_value(tier_counts):
    # vip: share before < 0.5; major: < 0.8 (144 + 488 = 632 key customers); ordinary:
    # < 0.95; 144 + 488 + 971 + 1,943 = 3,546 buyers
    assert {k: int(v) for k, v in dict(tier_counts).items()} == {
        "vip": 144,
        "major": 488,
        "ordinary": 971,
        "small": 1943,
    }


def test_kc4_value(at_risk):
    import hashlib

    # 38 key customers with revenue_2024 < 0.7 x revenue_2023; sha256 of their sorted ids
    ids = sorted(str(i) for i in at_risk)
    assert len(ids) == 38
    assert hashlib.sha256(",".join(ids).encode()).hexdigest()[:16] == "81879278b87133db"
