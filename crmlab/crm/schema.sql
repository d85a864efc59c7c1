-- The company's CRM (客户关系管理系统) as a relational database: one table per kind of
-- record the firm keeps, with the keys and rules that keep the records consistent.
--
-- Portable SQL: the file loads unchanged into DuckDB and PostgreSQL (tested on both).
-- Conventions of this file, which crmlab.crm relies on:
--   * Tables are created in dependency order: a table comes after every table it
--     references, so loading them in file order never meets a missing key.
--   * Ids are VARCHAR with a letter per kind (C000001 customers, M001 managers, D0000001
--     customer records, O/R orders and returns, B0000001 invoices, I incidents, T0000001
--     tickets, K contacts, N mentions, S survey answers, P000001 opportunities, A01
--     campaigns): the schema checks keys, not the letters.
--   * Every NUMERIC(14, 2) column is money in yuan (元), exact to the cent; the loader
--     checks each one's sum after loading. Other fractions are DOUBLE PRECISION.
--   * Categorical columns hold codes from fixed lists (CHECK ... IN (...)), the same
--     lists, in the same order, as crmlab/_schema.py.
--   * A CHECK on dates states their order (a later date must not come first); SQL treats
--     a CHECK on a NULL as passed, so an empty date (a stage not reached) is allowed.
--   * "group" and "list" are quoted: GROUP is a reserved word and LIST a type name.
-- The truth tables of the synthetic company (truth, truth_*) hold latent values that no
-- firm records: they are not part of the CRM.
--
-- Two decisions the simulator's tables left open:
--   * market_prices (the firm's monthly list prices and promotions, and the competitors'
--     price index it tracks) IS part of the CRM: it is the knowledge base of products,
--     prices and competitors that the course lists under marketing management, and the
--     firm records it itself (no latent value in it).
--   * orders name both the firm's account (customer_id) and the customer master record
--     the order was keyed under (record_id). In this company the firm-level account is
--     what finance works with: one invoice per sale, each naming customer_id, and the
--     credit limit, arrears and credit lists are kept per account. Dropping
--     orders.customer_id would hide nothing (invoices.order_id + invoices.customer_id
--     give the same mapping) unless every account-level table were rebuilt on records,
--     which the simulator does not model. So the mess of the customer master lives in
--     records (and in orders.record_id): a record-linkage method must use records alone
--     (name, phone, address, region), and is scored against truth_records, which the
--     CRM does not hold. What the duplicates do is measured by grouping orders by
--     record_id (a CRM without the account key) against customer_id.

-- ---------------------------------------------------------------- reference tables

-- products (产品): the four product lines, list prices and unit costs.
CREATE TABLE products (
    product_line     VARCHAR PRIMARY KEY
        CHECK (product_line IN ('textiles', 'electronics', 'machinery_parts', 'household')),
    name_zh          VARCHAR NOT NULL,
    base_list_price  NUMERIC(14, 2) NOT NULL CHECK (base_list_price >= 0),
    unit_cost        NUMERIC(14, 2) NOT NULL CHECK (unit_cost >= 0),
    mean_quantity    DOUBLE PRECISION NOT NULL CHECK (mean_quantity >= 0)
);

-- costs (服务成本): cost rates for the cost to serve, one per item and unit.
CREATE TABLE costs (
    item  VARCHAR NOT NULL,
    unit  VARCHAR NOT NULL,
    cost  NUMERIC(14, 2) NOT NULL CHECK (cost >= 0),
    PRIMARY KEY (item, unit)
);

-- market_prices (价格与竞争者信息): monthly list price and promotion per product line, and
-- the competitors' price index (1 = the firm's level) the firm tracks.
CREATE TABLE market_prices (
    price_date              DATE NOT NULL,
    product_line            VARCHAR NOT NULL REFERENCES products (product_line),
    list_price              NUMERIC(14, 2) NOT NULL CHECK (list_price >= 0),
    promotion               BOOLEAN NOT NULL,
    promotion_discount      DOUBLE PRECISION NOT NULL
        CHECK (promotion_discount >= 0 AND promotion_discount < 1),
    competitor_price_index  DOUBLE PRECISION NOT NULL CHECK (competitor_price_index > 0),
    PRIMARY KEY (price_date, product_line)
);

-- crm_rollout (CRM系统上线): the date the CRM went live in each region (staggered).
CREATE TABLE crm_rollout (
    region        VARCHAR PRIMARY KEY
        CHECK (region IN ('east_asia', 'southeast_asia', 'europe', 'north_america',
                          'middle_east', 'africa')),
    go_live_date  DATE NOT NULL
);

-- managers (客户经理): account managers, hired and (perhaps) gone.
CREATE TABLE managers (
    manager_id  VARCHAR PRIMARY KEY,
    region      VARCHAR NOT NULL
        CHECK (region IN ('east_asia', 'southeast_asia', 'europe', 'north_america',
                          'middle_east', 'africa')),
    hire_date   DATE NOT NULL,
    leave_date  DATE,                      -- NULL: still employed at the data's end
    CHECK (leave_date >= hire_date)
);

-- campaigns (营销活动): marketing campaigns with a randomised control group.
CREATE TABLE campaigns (
    campaign_id       VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    start_date        DATE NOT NULL,
    end_date          DATE NOT NULL,
    target_rule       VARCHAR NOT NULL,    -- who was eligible, in words
    offer             VARCHAR NOT NULL,
    cost_per_contact  NUMERIC(14, 2) NOT NULL CHECK (cost_per_contact >= 0),
    CHECK (end_date >= start_date)
);

-- ---------------------------------------------------------------- customers

-- customers (客户基础资料): one row per firm that became a customer.
CREATE TABLE customers (
    customer_id         VARCHAR PRIMARY KEY,
    region              VARCHAR NOT NULL
        CHECK (region IN ('east_asia', 'southeast_asia', 'europe', 'north_america',
                          'middle_east', 'africa')),
    industry            VARCHAR NOT NULL
        CHECK (industry IN ('retail_chain', 'wholesaler', 'manufacturer', 'e_commerce',
                            'importer_agent')),
    size                VARCHAR NOT NULL CHECK (size IN ('small', 'medium', 'large')),
    channel             VARCHAR NOT NULL
        CHECK (channel IN ('trade_fair', 'referral', 'sales_visit', 'online', 'agent')),
    acquisition_date    DATE NOT NULL,
    payment_terms_days  INTEGER NOT NULL CHECK (payment_terms_days >= 0),
    status              VARCHAR NOT NULL CHECK (status IN ('active', 'churned')),
    manager_id          VARCHAR REFERENCES managers (manager_id),  -- current (or last) one
    credit_limit        NUMERIC(14, 2) NOT NULL CHECK (credit_limit >= 0)
);

-- records (客户档案): the CRM's customer master as typed in, duplicates and all (the
-- same firm may have several records; which firm a record is, is known only to truth).
CREATE TABLE records (
    record_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    phone         VARCHAR,
    address       VARCHAR,
    region        VARCHAR NOT NULL
        CHECK (region IN ('east_asia', 'southeast_asia', 'europe', 'north_america',
                          'middle_east', 'africa')),
    created_date  DATE NOT NULL
);

-- assignments (客户经理分配): which manager looked after which customer, when.
CREATE TABLE assignments (
    customer_id  VARCHAR NOT NULL REFERENCES customers (customer_id),
    manager_id   VARCHAR NOT NULL REFERENCES managers (manager_id),
    start_date   DATE NOT NULL,
    end_date     DATE,                     -- NULL: the current assignment
    PRIMARY KEY (customer_id, start_date),
    CHECK (end_date >= start_date)
);

-- ---------------------------------------------------------------- transactions

-- orders (订单): order lines; a return is a line of its own with negative quantity and
-- amount that names the line it returns (return_of).
CREATE TABLE orders (
    order_id      VARCHAR PRIMARY KEY,
    customer_id   VARCHAR NOT NULL REFERENCES customers (customer_id),
    order_date    DATE NOT NULL,
    product_line  VARCHAR NOT NULL REFERENCES products (product_line),
    quantity      INTEGER NOT NULL,
    list_price    NUMERIC(14, 2) NOT NULL CHECK (list_price >= 0),
    discount      DOUBLE PRECISION NOT NULL CHECK (discount >= 0 AND discount < 1),
    unit_price    NUMERIC(14, 2) NOT NULL CHECK (unit_price >= 0),
    amount        NUMERIC(14, 2) NOT NULL,
    promotion     BOOLEAN NOT NULL,
    is_return     BOOLEAN NOT NULL,
    return_of     VARCHAR REFERENCES orders (order_id),
    quote_days    INTEGER CHECK (quote_days >= 0),
    days_late     INTEGER CHECK (days_late >= 0),
    defaulted     BOOLEAN NOT NULL,
    record_id     VARCHAR REFERENCES records (record_id),  -- the record it was booked under
    -- a sale has a positive quantity and a non-negative amount; a return the opposite
    CHECK (is_return OR (quantity > 0 AND amount >= 0)),
    CHECK (NOT is_return OR (quantity < 0 AND amount <= 0)),
    -- a return names the line it returns, a sale names none
    CHECK ((return_of IS NOT NULL) = is_return)
);

-- invoices (应收账款): one invoice per sale line, paid or still open.
CREATE TABLE invoices (
    invoice_id    VARCHAR PRIMARY KEY,
    customer_id   VARCHAR NOT NULL REFERENCES customers (customer_id),
    order_id      VARCHAR NOT NULL UNIQUE REFERENCES orders (order_id),
    invoice_date  DATE NOT NULL,
    due_date      DATE NOT NULL,
    amount        NUMERIC(14, 2) NOT NULL CHECK (amount >= 0),
    paid_date     DATE,                    -- NULL: unpaid at the data's end
    days_overdue  INTEGER NOT NULL CHECK (days_overdue >= 0),
    CHECK (due_date >= invoice_date),
    CHECK (paid_date >= invoice_date)
);

-- credit_lists (红/灰/黑名单): moves between the credit lists; the latest row is the
-- customer's list now. A customer can move twice on one day (an invoice repaid, back to
-- none, and another one 30 days overdue, to grey: 13 customers in the committed company),
-- so the key includes the list; on such a day the more severe list is the later move.
CREATE TABLE credit_lists (
    customer_id  VARCHAR NOT NULL REFERENCES customers (customer_id),
    list_date    DATE NOT NULL,
    "list"       VARCHAR NOT NULL CHECK ("list" IN ('none', 'red', 'grey', 'black')),
    reason       VARCHAR NOT NULL
        CHECK (reason IN ('on_time_6', 'late_payment', 'overdue_30', 'repaid', 'default')),
    PRIMARY KEY (customer_id, list_date, "list")
);

-- ---------------------------------------------------------------- service

-- incidents (服务事故与投诉): incidents and complaints.
CREATE TABLE incidents (
    incident_id      VARCHAR PRIMARY KEY,
    customer_id      VARCHAR NOT NULL REFERENCES customers (customer_id),
    incident_date    DATE NOT NULL,
    incident_type    VARCHAR NOT NULL
        CHECK (incident_type IN ('quality', 'delivery', 'billing', 'service')),
    severity         INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
    resolution_days  INTEGER NOT NULL CHECK (resolution_days >= 0),
    resolved         BOOLEAN NOT NULL,
    handled_well     BOOLEAN NOT NULL,
    complaint        BOOLEAN NOT NULL
);

-- tickets (呼叫中心服务单): the call centre's service tickets; an enquiry has no incident.
CREATE TABLE tickets (
    ticket_id             VARCHAR PRIMARY KEY,
    customer_id           VARCHAR NOT NULL REFERENCES customers (customer_id),
    incident_id           VARCHAR REFERENCES incidents (incident_id),
    opened_at             TIMESTAMP NOT NULL,    -- date and time of day (hours matter)
    channel               VARCHAR NOT NULL
        CHECK (channel IN ('phone', 'email', 'wechat', 'visit')),
    first_response_hours  DOUBLE PRECISION NOT NULL CHECK (first_response_hours >= 0),
    resolution_hours      DOUBLE PRECISION,
    escalated             BOOLEAN NOT NULL,
    follow_up_visit       BOOLEAN NOT NULL,
    handled_well          BOOLEAN NOT NULL,
    CHECK (resolution_hours >= first_response_hours)
);

-- contacts (客户接触): the account managers' visits, calls and events.
CREATE TABLE contacts (
    contact_id    VARCHAR PRIMARY KEY,
    customer_id   VARCHAR NOT NULL REFERENCES customers (customer_id),
    contact_date  DATE NOT NULL,
    contact_type  VARCHAR NOT NULL CHECK (contact_type IN ('visit', 'call', 'event')),
    cost          NUMERIC(14, 2) NOT NULL CHECK (cost >= 0)
);

-- ---------------------------------------------------------------- relationship

-- referrals (推荐): who brought whom; a customer is referred at most once.
CREATE TABLE referrals (
    referrer_id    VARCHAR NOT NULL REFERENCES customers (customer_id),
    referred_id    VARCHAR PRIMARY KEY REFERENCES customers (customer_id),
    referral_date  DATE NOT NULL,
    CHECK (referrer_id <> referred_id)
);

-- mentions (口碑): what customers said about the firm in public channels.
CREATE TABLE mentions (
    mention_id    VARCHAR PRIMARY KEY,
    customer_id   VARCHAR NOT NULL REFERENCES customers (customer_id),
    mention_date  DATE NOT NULL,
    channel       VARCHAR NOT NULL
        CHECK (channel IN ('forum', 'social_media', 'trade_group')),
    sentiment     VARCHAR NOT NULL CHECK (sentiment IN ('positive', 'negative'))
);

-- churn (客户流失): customers who left, with the reason they gave.
CREATE TABLE churn (
    customer_id    VARCHAR PRIMARY KEY REFERENCES customers (customer_id),
    churn_date     DATE NOT NULL,
    stated_reason  VARCHAR NOT NULL
        CHECK (stated_reason IN ('price', 'incident_mishandled', 'quality',
                                 'passive_service', 'competitor', 'involuntary')),
    churn_type     VARCHAR NOT NULL CHECK (churn_type IN ('natural', 'competitive', 'fault'))
);

-- survey (客户满意度调查): raw answers, one row per returned questionnaire, one wave a
-- year. Item answers are kept as typed: out-of-range codes (0, 6, 9) are data to clean,
-- not errors of the database, so the items carry no range CHECK.
CREATE TABLE survey (
    response_id          VARCHAR PRIMARY KEY,
    customer_id          VARCHAR NOT NULL REFERENCES customers (customer_id),
    response_date        DATE NOT NULL,
    exp_tan1 INTEGER, exp_tan2 INTEGER, per_tan1 INTEGER, per_tan2 INTEGER,
    exp_rel1 INTEGER, exp_rel2 INTEGER, per_rel1 INTEGER, per_rel2 INTEGER,
    exp_res1 INTEGER, exp_res2 INTEGER, per_res1 INTEGER, per_res2 INTEGER,
    exp_ass1 INTEGER, exp_ass2 INTEGER, per_ass1 INTEGER, per_ass2 INTEGER,
    exp_emp1 INTEGER, exp_emp2 INTEGER, per_emp1 INTEGER, per_emp2 INTEGER,
    overall_sat          INTEGER,
    repurchase_intent    INTEGER,
    recommend            INTEGER,
    compare_competitors  INTEGER,
    rq_trust1 INTEGER, rq_trust2 INTEGER, rq_trust3 INTEGER,
    rq_satisf1 INTEGER, rq_satisf2 INTEGER, rq_satisf3 INTEGER,
    rq_belong1 INTEGER, rq_belong2 INTEGER, rq_belong3 INTEGER,
    rq_friend1 INTEGER, rq_friend2 INTEGER, rq_friend3 INTEGER,
    wave                 INTEGER NOT NULL CHECK (wave BETWEEN 2000 AND 2100)
);

-- ---------------------------------------------------------------- sales and marketing

-- pipeline (销售漏斗): opportunities from first contact to won, lost or still open.
CREATE TABLE pipeline (
    opportunity_id    VARCHAR PRIMARY KEY,
    customer_id       VARCHAR REFERENCES customers (customer_id),  -- the won customer
    source            VARCHAR NOT NULL
        CHECK (source IN ('referral', 'event', 'cold_call', 'web')),
    manager_id        VARCHAR NOT NULL REFERENCES managers (manager_id),
    region            VARCHAR NOT NULL
        CHECK (region IN ('east_asia', 'southeast_asia', 'europe', 'north_america',
                          'middle_east', 'africa')),
    size              VARCHAR NOT NULL CHECK (size IN ('small', 'medium', 'large')),
    relationship      VARCHAR NOT NULL
        CHECK (relationship IN ('none', 'acquainted', 'existing_contact')),
    prospect_type     VARCHAR NOT NULL    -- 潜在客户 or 竞争者客户 (buys from a competitor now)
        CHECK (prospect_type IN ('potential', 'competitor')),
    open_date         DATE NOT NULL,
    intention_date    DATE,                -- NULL: stage not reached
    negotiation_date  DATE,
    contract_date     DATE,
    close_date        DATE,                -- NULL: still open at the data's end
    stage_reached     VARCHAR NOT NULL
        CHECK (stage_reached IN ('contact', 'intention', 'negotiation', 'contract')),
    outcome           VARCHAR NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    lost_reason       VARCHAR
        CHECK (lost_reason IN ('price', 'competitor', 'no_budget', 'no_response',
                               'negative_word_of_mouth')),
    forecast_value    NUMERIC(14, 2) NOT NULL CHECK (forecast_value >= 0),
    deal_value        NUMERIC(14, 2) NOT NULL CHECK (deal_value >= 0),
    -- the stages are passed in order
    CHECK (intention_date >= open_date),
    CHECK (negotiation_date >= intention_date),
    CHECK (contract_date >= negotiation_date),
    CHECK (close_date >= open_date),
    CHECK (negotiation_date IS NULL OR intention_date IS NOT NULL),
    CHECK (contract_date IS NULL OR negotiation_date IS NOT NULL),
    -- open exactly when there is no close date; a won deal names its customer; a lost
    -- reason only for a lost deal
    CHECK ((outcome = 'open') = (close_date IS NULL)),
    CHECK ((outcome = 'won') = (customer_id IS NOT NULL)),
    CHECK (lost_reason IS NULL OR outcome = 'lost')
);

-- campaign_members (营销活动对象): who was eligible for a campaign, randomised into a
-- treatment group (contacted) and a control group (not contacted).
CREATE TABLE campaign_members (
    campaign_id   VARCHAR NOT NULL REFERENCES campaigns (campaign_id),
    customer_id   VARCHAR NOT NULL REFERENCES customers (customer_id),
    "group"       VARCHAR NOT NULL CHECK ("group" IN ('treatment', 'control')),
    contact_date  DATE,                    -- NULL for the control group
    PRIMARY KEY (campaign_id, customer_id),
    CHECK ("group" = 'treatment' OR contact_date IS NULL)
);
