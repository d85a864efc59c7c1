-- The customer 360 view (客户信息管理): one row per firm with what the CRM knows about it.
-- Standard SQL that DuckDB and PostgreSQL both run; $customer_id (DuckDB's named parameter;
-- in PostgreSQL write $1) selects one firm, NULL gives all.
--
--   profile       region, industry, size, channel, acquisition_date, payment_terms_days
--   consumption   revenue (net of returns, yuan), n_orders (sales lines), last_order_date
--   satisfaction  overall_sat and recommend in the firm's latest survey wave
--   credit        credit_limit; arrears = unpaid invoices; overdue = unpaid and past due;
--                 max_days_overdue of the unpaid invoices
--   list status   the credit list the firm is on now (latest move, on a day with two moves
--                 the more severe list; 'none' if never listed)
--   churn         status, churn_date, stated_reason
--   class         ABC by revenue: A while the firms ranked above hold less than 80% of the
--                 total (so the firm that crosses 80% is still A), B up to 95%, else C;
--                 ties broken by customer_id (the rule of crmlab.segment_classes.value_tiers)
--   key account   关键客户: the top 5% of firms by revenue (the VIP and major tiers of the
--                 value pyramid): rank <= ceil(n / 20), computed in whole numbers
--   manager       the account manager, since when, and whether the manager has left
WITH consumption AS (
    SELECT customer_id,
           SUM(amount) AS revenue,
           COUNT(*) FILTER (WHERE NOT is_return) AS n_orders,
           MAX(order_date) FILTER (WHERE NOT is_return) AS last_order_date
    FROM orders
    GROUP BY customer_id
),
latest_survey AS (
    SELECT customer_id, wave AS survey_wave, overall_sat, recommend
    FROM (
        SELECT customer_id, wave, overall_sat, recommend,
               ROW_NUMBER() OVER (PARTITION BY customer_id
                                  ORDER BY wave DESC, response_date DESC, response_id DESC) AS k
        FROM survey
    ) AS answers
    WHERE k = 1
),
arrears AS (
    SELECT customer_id,
           SUM(amount) FILTER (WHERE paid_date IS NULL) AS arrears,
           SUM(amount) FILTER (WHERE paid_date IS NULL AND days_overdue > 0) AS overdue,
           MAX(days_overdue) FILTER (WHERE paid_date IS NULL) AS max_days_overdue
    FROM invoices
    GROUP BY customer_id
),
list_now AS (
    SELECT customer_id, "list" AS credit_list, list_date AS listed_since
    FROM (
        SELECT customer_id, "list", list_date,
               ROW_NUMBER() OVER (PARTITION BY customer_id
                                  ORDER BY list_date DESC,
                                           CASE "list" WHEN 'black' THEN 3 WHEN 'grey' THEN 2
                                                       WHEN 'red' THEN 1 ELSE 0 END DESC) AS k
        FROM credit_lists
    ) AS moves
    WHERE k = 1
),
assignment_now AS (
    SELECT customer_id, manager_id, start_date AS manager_since
    FROM (
        SELECT customer_id, manager_id, start_date,
               ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY start_date DESC) AS k
        FROM assignments
    ) AS spells
    WHERE k = 1
),
ranked AS (
    SELECT c.customer_id,
           COALESCE(x.revenue, 0) AS revenue,
           ROW_NUMBER() OVER w AS value_rank,
           COALESCE(SUM(GREATEST(COALESCE(x.revenue, 0), 0))
                    OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS revenue_above,
           SUM(GREATEST(COALESCE(x.revenue, 0), 0)) OVER () AS revenue_total,
           COUNT(*) OVER () AS n_customers
    FROM customers AS c
    LEFT JOIN consumption AS x ON x.customer_id = c.customer_id
    WINDOW w AS (ORDER BY COALESCE(x.revenue, 0) DESC, c.customer_id)
)
SELECT c.customer_id,
       c.region, c.industry, c.size, c.channel, c.acquisition_date, c.payment_terms_days,
       r.revenue,
       COALESCE(x.n_orders, 0) AS n_orders,
       x.last_order_date,
       s.survey_wave, s.overall_sat, s.recommend,
       c.credit_limit,
       COALESCE(a.arrears, 0) AS arrears,
       COALESCE(a.overdue, 0) AS overdue,
       a.max_days_overdue,
       COALESCE(l.credit_list, 'none') AS credit_list,
       l.listed_since,
       c.status, ch.churn_date, ch.stated_reason,
       r.value_rank,
       CASE WHEN r.revenue_total = 0 THEN 'C'
            WHEN r.revenue_above < 0.80 * r.revenue_total THEN 'A'
            WHEN r.revenue_above < 0.95 * r.revenue_total THEN 'B'
            ELSE 'C' END AS abc_class,
       (r.value_rank - 1) * 20 < r.n_customers AS key_account,
       c.manager_id,
       m.manager_since,
       mg.leave_date IS NOT NULL AS manager_left
FROM customers AS c
JOIN ranked AS r ON r.customer_id = c.customer_id
LEFT JOIN consumption AS x ON x.customer_id = c.customer_id
LEFT JOIN latest_survey AS s ON s.customer_id = c.customer_id
LEFT JOIN arrears AS a ON a.customer_id = c.customer_id
LEFT JOIN list_now AS l ON l.customer_id = c.customer_id
LEFT JOIN churn AS ch ON ch.customer_id = c.customer_id
LEFT JOIN assignment_now AS m ON m.customer_id = c.customer_id AND m.manager_id = c.manager_id
LEFT JOIN managers AS mg ON mg.manager_id = c.manager_id
WHERE CAST($customer_id AS VARCHAR) IS NULL OR c.customer_id = $customer_id
ORDER BY r.value_rank
