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
    # every manager of crm_managers.csv (63: M001..M063), sorted; 47 have current spells
    # (end_date empty), the 16 who left have none and show 0 customers and 0 revenue
    assert ids == sorted(ids) and len(ids) == 63 and ids[0] == "M001"
    assert sum(1 for x in n if x == 0) == 16
    assert all(r == 0 for x, r in zip(n, revenue, strict=True) if x == 0)
    # 3,430 current spells, one per current customer (3,430 distinct customer ids)
    assert sum(n) == 3430
    # 11,166 of the 11,469 invoices of Q4 2024 belong to current customers:
    # 359,396,543.58 yuan (370,626,856.20 over all invoices of the file)
    assert abs(sum(revenue) - 359_396_543.58) <= 0.05
    # M001: 129 current customers, their invoices 10,415,570.58 yuan
    assert n[0] == 129 and abs(revenue[0] - 10_415_570.58) <= 0.01


def test_q1_overdue_value(overdue):
    assert set(overdue) == {"customer_id", "manager_id", "overdue_amount"}
    ids, amount = overdue["customer_id"], overdue["overdue_amount"]
    # unpaid (paid_date empty) and due before 2024-12-31, of a current customer: 468
    # customers, 21,734,381.96 yuan in all
    assert len(ids) == len(set(ids)) == 468
    assert abs(sum(amount) - 21_734_381.96) <= 0.05
    # the largest: C003204 (manager M042), four invoices due 2024-12-17..29:
    # 368,678.66 + 153,677.02 + 314,908.00 + 212,062.90 = 1,049,326.58
    assert ids[0] == "C003204" and overdue["manager_id"][0] == "M042"
    assert abs(amount[0] - 1_049_326.58) <= 0.01
    assert amount == sorted(amount, reverse=True)


def test_q2_values(n_true_pairs, n_correct, precision, recall):
    # record_firms.csv: 4,791 firms with one record, 169 with two (169 pairs), 40 with
    # three (3 pairs each, 120): 169 + 120 = 289 true pairs
    assert n_true_pairs == 289
    # linkage_pairs.csv: 279 pairs found, 276 of them two records of one firm
    assert n_correct == 276
    assert abs(precision - 276 / 279) <= 1e-9  # 0.989247
    assert abs(recall - 276 / 289) <= 1e-9  # 0.955017


def test_q3_values(
    churn_treated, churn_control, effect, effect_by_industry, net_per_contact, target_industries
):
    # churned before 2023-09-01 (start 2023-03-01 + 6 months): treated 57 of 900, control
    # 77 of 908
    assert abs(churn_treated - 57 / 900) <= 1e-9  # 0.063333
    assert abs(churn_control - 77 / 908) <= 1e-9  # 0.084802
    assert abs(effect - (57 / 900 - 77 / 908)) <= 1e-9  # -0.021468
    # per industry (treated churned / members - control churned / members):
    # e_commerce 11/116 - 18/130 = -0.043634; importer_agent 6/99 - 4/91 = +0.016650;
    # manufacturer 9/179 - 20/177 = -0.062715; retail_chain 17/232 - 19/241 = -0.005562;
    # wholesaler 14/274 - 16/269 = -0.008385
    want = {
        "e_commerce": 11 / 116 - 18 / 130,
        "importer_agent": 6 / 99 - 4 / 91,
        "manufacturer": 9 / 179 - 20 / 177,
        "retail_chain": 17 / 232 - 19 / 241,
        "wholesaler": 14 / 274 - 16 / 269,
    }
    assert set(effect_by_industry) == set(want)
    assert all(abs(effect_by_industry[k] - v) <= 1e-9 for k, v in want.items())
    # cost per contact 180 yuan (campaign.csv), value 20,000: 0.021468 x 20,000 - 180 = 249.37
    assert abs(net_per_contact - 249.3686) <= 1e-3
    # net per industry: e_commerce 872.68 - 180 = 692.68, manufacturer 1,254.30 - 180 =
    # 1,074.30 pay; retail_chain 111.25 - 180 and wholesaler 167.69 - 180 do not, nor
    # importer_agent (churn rose)
    assert sorted(target_industries) == ["e_commerce", "manufacturer"]


def test_q4_values(before_after, did, q4_reading, q4_trend):
    # opened 2022-04-01..2023-03-31 (before) and 2023-04-01..2024-03-31 (after), Europe's
    # go-live 2023-04-01: Europe 53,650 days / 1,171 deals = 45.8155 after, 49,923 / 897 =
    # 55.6555 before: -9.8400; Africa 30,365 / 486 = 62.4794 after, 23,078 / 362 = 63.7514
    # before: -1.2720; DiD -9.8400 - (-1.2720) = -8.5680
    assert abs(before_after - (53650 / 1171 - 49923 / 897)) <= 1e-9
    assert abs(did - ((53650 / 1171 - 49923 / 897) - (30365 / 486 - 23078 / 362))) <= 1e-9
    assert round(did, 3) == -8.568
    # the readings: B (before/after mixes in the common change), C (parallel trends)
    assert (q4_reading, q4_trend) == ("B", "C")
