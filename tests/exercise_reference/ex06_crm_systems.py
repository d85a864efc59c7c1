"""Hand-worked values of exercise 06_crm_systems on the committed company.

The autograder compares with values computed by running the master's solution (SQL in
DuckDB for question 1); these functions check that key against counts and sums worked
out a second way, with pandas on the committed CSV extracts (the arithmetic in the
comments). ``tests/test_exercise_keys.py`` runs them. A DataFrame answer arrives here as
its key: ``{column: [values in row order]}``.
"""

# ruff: noqa: E501


def test_q1_by_manager_value(by_manager):
    assert set(by_manager) == {"manager_id", "n_customers", "revenue"}
    ids, n, revenue = by_manager["manager_id"], by_manager["n_customers"], by_manager["revenue"]
    # every manager of crm_managers.csv (59: M001..M059), sorted; 46 have current spells
    # (end_date empty), the 13 others show 0 customers and 0 revenue
    assert ids == sorted(ids) and len(ids) == 59 and ids[0] == "M001"
    assert sum(1 for x in n if x == 0) == 13
    assert all(r == 0 for x, r in zip(n, revenue, strict=True) if x == 0)
    # 3,458 current spells, one per current customer (3,458 distinct customer ids)
    assert sum(n) == 3458
    # 11,505 of the 11,832 invoices of Q4 2024 belong to current customers:
    # 389,992,152.50 yuan (396,305,662.51 over all invoices of the file)
    assert abs(sum(revenue) - 389_992_152.50) <= 0.05
    # M001: 107 current customers, their invoices 7,466,802.71 yuan
    assert n[0] == 107 and abs(revenue[0] - 7_466_802.71) <= 0.01


def test_q1_overdue_value(overdue):
    assert set(overdue) == {"customer_id", "manager_id", "overdue_amount"}
    ids, amount = overdue["customer_id"], overdue["overdue_amount"]
    # unpaid (paid_date empty) and due before 2024-12-31, of a current customer: 519
    # customers, 27,370,881.15 yuan in all
    assert len(ids) == len(set(ids)) == 519
    assert abs(sum(amount) - 27_370_881.15) <= 0.05
    # the largest: C001359 (manager M020), three invoices due 2024-12-12..23:
    # 727,709.36 + 707,135.20 + 744,110.07 = 2,178,954.63
    assert ids[0] == "C001359" and overdue["manager_id"][0] == "M020"
    assert abs(amount[0] - 2_178_954.63) <= 0.01
    assert amount == sorted(amount, reverse=True)


def test_q2_values(n_true_pairs, n_correct, precision, recall):
    # record_firms.csv: 4,814 firms with one record, 148 with two (148 pairs), 38 with
    # three (3 pairs each, 114): 148 + 114 = 262 true pairs
    assert n_true_pairs == 262
    # linkage_pairs.csv (match probability >= 0.05): 654 pairs found, 255 of them two
    # records of one firm
    assert n_correct == 255
    assert abs(precision - 255 / 654) <= 1e-9  # 0.389908
    assert abs(recall - 255 / 262) <= 1e-9  # 0.973282


def test_q3_values(
    churn_treated, churn_control, effect, effect_by_industry, net_per_contact, target_industries
):
    # churned before 2023-09-01 (start 2023-03-01 + 6 months): treated 61 of 900, control
    # 64 of 908
    assert abs(churn_treated - 61 / 900) <= 1e-9  # 0.067778
    assert abs(churn_control - 64 / 908) <= 1e-9  # 0.070485
    assert abs(effect - (61 / 900 - 64 / 908)) <= 1e-9  # -0.002707
    # per industry (treated churned / members - control churned / members):
    # e_commerce 7/116 - 17/130 = -0.070424; importer_agent 11/99 - 4/91 = +0.067155;
    # manufacturer 12/179 - 14/177 = -0.012057; retail_chain 15/232 - 16/241 = -0.001735;
    # wholesaler 16/274 - 13/269 = +0.010067
    want = {
        "e_commerce": 7 / 116 - 17 / 130,
        "importer_agent": 11 / 99 - 4 / 91,
        "manufacturer": 12 / 179 - 14 / 177,
        "retail_chain": 15 / 232 - 16 / 241,
        "wholesaler": 16 / 274 - 13 / 269,
    }
    assert set(effect_by_industry) == set(want)
    assert all(abs(effect_by_industry[k] - v) <= 1e-9 for k, v in want.items())
    # cost per contact 180 yuan (campaign.csv), value 20,000: contacting everyone
    # 0.002707 x 20,000 - 180 = 54.14 - 180 = -125.86 does not pay
    assert abs(net_per_contact - (-125.8639)) <= 1e-3
    # per industry: e_commerce 1,408.49 - 180 = 1,228.49 and manufacturer 241.14 - 180 =
    # 61.14 pay; retail_chain 34.70 - 180 does not, nor importer_agent and wholesaler
    # (churn rose)
    assert sorted(target_industries) == ["e_commerce", "manufacturer"]


def test_q4_values(before_after, did, q4_reading, q4_trend):
    # opened 2022-04-01..2023-03-31 (before) and 2023-04-01..2024-03-31 (after), Europe's
    # go-live 2023-04-01: Europe 50,034 days / 1,099 deals = 45.5268 after, 45,685 / 827 =
    # 55.2418 before: -9.7150; Africa 28,029 / 465 = 60.2774 after, 20,433 / 328 = 62.2957
    # before: -2.0183; DiD -9.7150 - (-2.0183) = -7.6967
    assert abs(before_after - (50034 / 1099 - 45685 / 827)) <= 1e-9
    assert abs(did - ((50034 / 1099 - 45685 / 827) - (28029 / 465 - 20433 / 328))) <= 1e-9
    assert round(did, 3) == -7.697
    # the readings: B (before/after mixes in the common change), C (parallel trends)
    assert (q4_reading, q4_trend) == ("B", "C")
