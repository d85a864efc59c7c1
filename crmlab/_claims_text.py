"""The texts of the claims ledger (:mod:`crmlab.claims`) in English and Chinese.

Data, not code: one record per claim of the course notes' §8 ("Rules of thumb at a
glance"), the course texts by the keys the notes cite them with, the Chinese names of the
churn causes, and the wording of the appendix page. :mod:`crmlab.claims` attaches the
computations and checks that every record has one.
"""

from __future__ import annotations

#: The course texts, keyed as the course notes cite them (``docs/course.md``, Sources):
#: key -> (Chinese key, title, Chinese title).
SOURCES = {
    "Chen 2011": (
        "陈婷2011",
        "陈婷 (Chen Ting), 《客户关系管理之客户忠诚管理》 (Customer relationship management: "
        "managing customer loyalty), course paper, Xuzhou Normal University, December 2011",
        "陈婷，《客户关系管理之客户忠诚管理》，徐州师范大学管理学院课程考核论文，2011年12月",
    ),
    "CRM slides": (
        "课件",
        "《第六章 电子商务客户关系管理》 (Chapter 6: E-commerce customer relationship "
        "management), lecture slides; author and year not stated",
        "《第六章 电子商务客户关系管理》，教学课件，作者和年份未写明",
    ),
    "CRM essay": (
        "论文",
        "《客户关系的管理概念论文》 (An essay on the concept of customer relationship "
        "management); author not stated, published online 2025",
        "《客户关系的管理概念论文》，作者未写明，2025年发布于网上",
    ),
    "Yihai article": (
        "怡海文章",
        "《CRM:“一對一”個性化的客戶服務方式》 (CRM: one-to-one personalised customer service), "
        "an article introducing the CRM system of 怡海軟件 (Yihai Software); author and date "
        "not stated",
        "《CRM:“一對一”個性化的客戶服務方式》，介绍怡海軟件 CRM 系统的文章，作者和日期未写明",
    ),
    "CRM textbook": (
        "教材",
        "《客户关系管理的一般流程》 (The general process of customer relationship management), "
        "a textbook section for import-export firms with its exercises (textbook Qn is its "
        "multiple-choice question n)",
        "《客户关系管理的一般流程》，面向进出口企业的教材章节及其思考和练习题（教材第n题是其第n道选"
        "择题）",
    ),
}

#: Churn causes and types (``crmlab._schema``) -> (English, Chinese) names for the texts.
LABELS = {
    "price": ("price", "商品价格"),
    "incident_mishandled": ("incidents handled badly", "微妙事件的不良处理"),
    "quality": ("quality", "商品质量"),
    "passive_service": ("passive service", "消极的服务接触"),
    "competitor": ("competitors", "竞争对手"),
    "involuntary": ("involuntary reasons", "非自愿原因"),
    "natural": ("natural churn", "自然流失"),
    "competitive": ("competitive churn", "竞争流失"),
    "fault": ("fault churn", "过失流失"),
}

NONE_GIVEN = ("none given", "未注出处")

#: One record per claim, in the order of the course notes' §8.
CLAIM_TEXTS = [
    {
        "id": "pareto_80_20",
        "claim": "80% of revenue comes from 20% of customers (二八定律)",
        "claim_zh": "80%的收入来自20%的客户（二八定律）",
        "source": "Yihai article",
        "source_zh": "怡海文章",
        "published": "Pareto 1896; named by Juran 1951",
        "published_zh": "Pareto 1896；Juran 1951 命名",
        "sections": (0, 5),
        "notebooks": ("00", "02", "05"),
        "data": ("company", "cdnow", "telco"),
        "rule": (
            "holds if the top 20% of customers hold at least 75% of revenue (80% or more, less 5 "
            "points of tolerance)"
        ),
        "rule_zh": "收入最高的20%客户占收入不低于75%（80%或更高，留5个百分点的容差）即成立",
    },
    {
        "id": "pareto_80_20_profit",
        "claim": "80% or more of profit comes from 20% of customers",
        "claim_zh": "80%或更多的利润来自20%的客户",
        "source": "Chen 2011; textbook Q1",
        "source_zh": "陈婷2011；教材第1题",
        "published": "Pareto 1896; Kaplan & Cooper 1998 (whale curve)",
        "published_zh": "Pareto 1896；Kaplan 和 Cooper 1998（鲸鱼曲线）",
        "sections": (0, 2, 5),
        "notebooks": ("02", "05"),
        "data": ("company",),
        "rule": "holds if the 20% most profitable customers make at least 75% of total profit",
        "rule_zh": "利润最高的20%客户贡献总利润不低于75%即成立",
    },
    {
        "id": "acquisition_cost_5x",
        "claim": "Winning a new customer costs 5 times (or 5-10 times) as much as keeping one",
        "claim_zh": "开发一个新客户的成本是留住一个老客户的5倍（或5至10倍）",
        "source": "Chen 2011; Yihai article (5x); CRM slides (5-10x)",
        "source_zh": "陈婷2011；怡海文章（5倍）；课件（5至10倍）",
        "published": "Gallo 2014 (5-25x)",
        "published_zh": "Gallo 2014（5至25倍）",
        "sections": (0,),
        "notebooks": ("00",),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": (
            "no data set records what winning or keeping a customer costs; notebook 00 uses the "
            "ratio as an input of the leaky bucket"
        ),
        "why_not_zh": "没有数据记录开发或留住一个客户的成本；笔记本00把这一比例作为漏斗原理的输入",
    },
    {
        "id": "retention_plus_5",
        "claim": "Keeping 5% more customers raises profit by up to 100%",
        "claim_zh": "多留住5%的客户，利润最多可增加100%",
        "source": "CRM slides",
        "source_zh": "课件",
        "published": (
            "Reichheld & Sasser 1990 (25-85% of a customer's value, 'almost 100%' of profit)"
        ),
        "published_zh": "Reichheld 和 Sasser 1990（客户价值增加25%至85%，利润“近100%”）",
        "sections": (0, 5),
        "notebooks": ("00", "05"),
        "data": ("company", "telco"),
        "rule": (
            "holds if 5 more points of yearly retention raise a customer's value by 25% to 100% "
            "(constant margin, 10% discount rate; Gupta & Lehmann 2003)"
        ),
        "rule_zh": (
            "年保持率提高5个百分点使客户价值增加25%至100%即成立（毛利不变，贴现率10%；Gupta 和 "
            "Lehmann 2003）"
        ),
    },
    {
        "id": "unprofitable_half",
        "claim": "About half of all customers bring no profit",
        "claim_zh": "约一半的客户没有为企业带来利润",
        "source": "CRM slides",
        "source_zh": "课件",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 2, 5),
        "notebooks": ("02", "05"),
        "data": ("company",),
        "rule": (
            "holds if 40% to 60% of customers have a profit of zero or less after the cost to serve"
        ),
        "rule_zh": "扣除服务成本后利润为零或为负的客户占40%至60%即成立",
    },
    {
        "id": "half_lost_in_5_years",
        "claim": "Large firms (the world's top 500) lose about half their customers in five years",
        "claim_zh": "大企业（全球500强）5年内大约流失一半的客户",
        "source": "CRM slides",
        "source_zh": "课件",
        "published": "Reichheld 1996",
        "published_zh": "Reichheld 1996",
        "sections": (0,),
        "notebooks": ("00",),
        "data": ("company", "telco"),
        "rule": "holds if 40% to 60% of the customers are still customers after five years",
        "rule_zh": "5年后仍在的客户占40%至60%即成立",
    },
    {
        "id": "service_70",
        "claim": "About 70% of lost customers leave because they are dissatisfied with the service",
        "claim_zh": "流失的客户中约70%是因为对服务不满意",
        "source": "Yihai article",
        "source_zh": "怡海文章",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 4),
        "notebooks": ("04",),
        "data": ("company",),
        "rule": (
            "holds if 60% to 80% of lost customers left over service (passive service or a badly "
            "handled incident)"
        ),
        "rule_zh": "流失客户中因服务（消极的服务接触或微妙事件处理不当）离开的占60%至80%即成立",
    },
    {
        "id": "care_two_thirds",
        "claim": "Two thirds of customers who leave a supplier do so because it cared too little",
        "claim_zh": "2/3的客户离开供应商是因为供应商对他们关怀不够",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 3),
        "notebooks": ("04",),
        "data": ("company",),
        "rule": (
            "holds if 56.7% to 76.7% (two thirds ± 10 points) of lost customers left over too "
            "little care (passive service or a badly handled incident)"
        ),
        "rule_zh": (
            "流失客户中因关怀不够（消极的服务接触或微妙事件处理不当）离开的占56.7%至76.7%（2/3上下1"
            "0个百分点）即成立"
        ),
    },
    {
        "id": "repeat_more_profitable",
        "claim": "Repeat customers bring 20-85% more profit than first-time buyers",
        "claim_zh": "回头客比初次光顾的客户多带来20%至85%的利润",
        "source": "Chen 2011 (citing Harvard Business Review)",
        "source_zh": "陈婷2011（称引自哈佛商业评论）",
        "published": "cf. Reichheld & Sasser 1990",
        "published_zh": "参见 Reichheld 和 Sasser 1990",
        "sections": (0, 5),
        "notebooks": ("00",),
        "data": ("company",),
        "rule": (
            "holds if a customer's gross profit in its second year is 20% to 85% above its first"
        ),
        "rule_zh": "客户第2年的毛利比第1年高20%至85%即成立",
    },
    {
        "id": "profitable_after_a_year",
        "claim": "A new customer often becomes profitable only after a year",
        "claim_zh": "新客户往往一年后才能真正赚到钱",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 5),
        "notebooks": ("00", "05"),
        "data": ("company",),
        "rule": (
            "would hold if the first year's profit, after the cost of winning the customer, were "
            "zero or less"
        ),
        "rule_zh": "若扣除获客成本后第1年利润为零或为负，则成立",
    },
    {
        "id": "word_of_mouth_8",
        "claim": "One satisfied customer brings 8 potential deals, at least 1 of which closes",
        "claim_zh": "1个满意的客户会带来8笔潜在生意，其中至少1笔成交",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 3),
        "notebooks": ("00", "03"),
        "data": ("company",),
        "rule": (
            "holds if satisfied customers made at least 1 recorded referral (a closed deal) each "
            "over the data's years"
        ),
        "rule_zh": "满意客户在数据覆盖的年份中平均每人至少有1次推荐记录（成交）即成立",
    },
    {
        "id": "word_of_mouth_25",
        "claim": "One dissatisfied customer affects the buying intentions of 25 people",
        "claim_zh": "1个不满意的客户会影响25个人的购买意向",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0, 3),
        "notebooks": ("00",),
        "data": ("company",),
        "rule": (
            "with the satisfied customer's 8, the claim says a dissatisfied customer spreads "
            "25 / 8 = 3.1 times as much word of mouth as a satisfied one; it holds if negative "
            "public mentions per dissatisfied customer over positive mentions per satisfied "
            "customer lie within a factor of 1.5 of 3.1 (2.08 to 4.69)"
        ),
        "rule_zh": (
            "结合满意客户的8人，这一说法意味着不满意客户传播的口碑是满意客户的25 / 8 = 3.1倍；"
            "不满意客户人均负面公开提及数与满意客户人均正面提及数之比在3.1的1.5倍范围内"
            "（2.08至4.69）即成立"
        ),
    },
    {
        "id": "leaky_bucket",
        "claim": (
            "A firm can lose 100 customers a week and win 100 others: sales look unchanged, but "
            "replacing customers costs far more than keeping them (漏斗原理)"
        ),
        "claim_zh": (
            "企业一周可能流失100个客户、又得到100个新客户：销售额看似不变，但替换客户的花费远高于留"
            "住他们（漏斗原理）"
        ),
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (0,),
        "notebooks": ("00",),
        "data": ("company",),
        "rule": "would hold if winning a customer cost more than keeping one",
        "rule_zh": "若开发一个客户比留住一个客户花费更多，则成立",
    },
    {
        "id": "girard_65",
        "claim": "65% of sales come from repeat buyers (Joe Girard)",
        "claim_zh": "65%的交易来自老客户（乔·吉拉德）",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": "none given (on Girard: Girard & Shook 1977)",
        "published_zh": "未注出处（关于吉拉德：Girard 和 Shook 1977）",
        "sections": (3,),
        "notebooks": ("03",),
        "data": ("company", "cdnow"),
        "rule": "holds if 55% to 75% of sales come from repeat purchases",
        "rule_zh": "重复购买占销售额的55%至75%即成立",
    },
    {
        "id": "ibm_keeping_customers",
        "claim": "IBM's sales grew from 10 to 50 billion US dollars by keeping old customers",
        "claim_zh": "IBM 靠留住老客户使年销售额从100亿美元增至500亿美元",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (3,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "one firm's history, not a rule the data could test",
        "why_not_zh": "单个企业的历史，不是数据能检验的规律",
    },
    {
        "id": "strategy_execution",
        "claim": "Successful firms owe 20% to strategy and 60% to execution",
        "claim_zh": "成功的企业20%靠策略，60%靠各级管理者的执行力",
        "source": "Chen 2011",
        "source_zh": "陈婷2011",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (3,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "no data set measures strategy or execution",
        "why_not_zh": "没有数据衡量策略或执行力",
    },
    {
        "id": "software_firm_100",
        "claim": "A software firm kept almost 100% of its customers through exceptional service",
        "claim_zh": "一家软件公司靠出色的服务维系了几乎100%的客户",
        "source": "CRM textbook (case)",
        "source_zh": "教材（案例）",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (3,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "one firm's case, not a rule the data could test",
        "why_not_zh": "单个企业的案例，不是数据能检验的规律",
    },
    {
        "id": "satisfaction_loyalty_market",
        "claim": (
            "Satisfaction and loyalty are most closely linked in fiercely competitive industries; "
            "a power company's customers show monopoly loyalty"
        ),
        "claim_zh": "竞争激烈的行业中满意与忠诚联系最紧密；电力用户的忠诚是垄断忠诚",
        "source": "textbook Q6, Q7",
        "source_zh": "教材第6、7题",
        "published": "Jones & Sasser 1995",
        "published_zh": "Jones 和 Sasser 1995",
        "sections": (3,),
        "notebooks": ("03",),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": (
            "the committed data hold one market; notebook 03 compares markets simulated with this "
            "very mechanism, a demonstration, not evidence"
        ),
        "why_not_zh": (
            "提交的数据只有一个市场；笔记本03比较的是按这一机制模拟出的市场，只是演示，不是证据"
        ),
    },
    {
        "id": "price_main_cause",
        "claim": "Price is the main cause of churn in trade",
        "claim_zh": "价格是外贸中客户流失的主要原因",
        "source": "CRM textbook",
        "source_zh": "教材",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (4,),
        "notebooks": ("04",),
        "data": ("company",),
        "rule": (
            "holds if price is the largest of the six causes and larger than the next at one-sided "
            "p < 0.05 (churn_causes.largest_share_test)"
        ),
        "rule_zh": (
            "价格是六种原因中占比最大的，且大于第二大原因的单侧 p < 0.05（churn_causes.largest_shar"
            "e_test）即成立"
        ),
    },
    {
        "id": "fault_largest",
        "claim": "Fault churn is the largest share of churn, and the most harmful",
        "claim_zh": "过失流失占全部流失的比例最高，影响最大",
        "source": "CRM textbook",
        "source_zh": "教材",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (4,),
        "notebooks": ("04",),
        "data": ("company",),
        "rule": (
            "holds if fault is the largest of the three churn types and larger than the next at "
            "one-sided p < 0.05 (churn_causes.largest_share_test); the harm is not tested"
        ),
        "rule_zh": (
            "过失流失是三种类型中占比最大的，且大于第二大类型的单侧 p < "
            "0.05（churn_causes.largest_share_test）即成立；“影响最大”未检验"
        ),
    },
    {
        "id": "zero_churn_impossible",
        "claim": "No firm can keep every customer: zero churn is impossible (dynamic balance)",
        "claim_zh": "企业不可能留住所有客户，零流失是不可能的（动态平衡）",
        "source": "CRM textbook",
        "source_zh": "教材",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (4,),
        "notebooks": ("04",),
        "data": ("company", "telco"),
        "rule": "holds if the churn rate is above zero in every period observed",
        "rule_zh": "观察的每个时期流失率都大于零即成立",
    },
    {
        "id": "sales_funnel",
        "claim": (
            "Sales funnel: 80 customers at first contact, 30 with intention, 16 in negotiation, 10 "
            "contracts (1,125 → 108 万元)"
        ),
        "claim_zh": "销售漏斗：初步接触80个客户，意向30个，谈判16个，签约10个（1,125 → 108万元）",
        "source": "CRM slides",
        "source_zh": "课件",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (2,),
        "notebooks": ("02",),
        "data": ("company",),
        "rule": (
            "holds if each stage's conversion, among the opportunities that have closed (won "
            "or lost), is within 5 points of the course's"
        ),
        "rule_zh": (
            "已结束（成交或失败）的销售机会中，各阶段转化率与课程数字相差都在5个百分点以内即成立"
        ),
    },
    {
        "id": "crm_market_size",
        "claim": "The CRM market: 7.6 (1999), 12 (2001) and 67 (2004 forecast) billion US dollars",
        "claim_zh": "CRM 市场规模：76亿（1999）、120亿（2001）、670亿（2004年预计）美元",
        "source": "CRM slides",
        "source_zh": "课件",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (6,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "market history; no data set here covers it",
        "why_not_zh": "市场历史，这里没有相关数据",
    },
    {
        "id": "crm_market_growth",
        "claim": "The world CRM market grows 30% a year or more",
        "claim_zh": "全球 CRM 市场每年增长30%以上",
        "source": "Yihai article",
        "source_zh": "怡海文章",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (6,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "market history; no data set here covers it",
        "why_not_zh": "市场历史，这里没有相关数据",
    },
    {
        "id": "foreign_brands_28",
        "claim": (
            "Foreign brands such as Electrolux and Siemens reached a 28% market share in China"
        ),
        "claim_zh": "伊莱克斯、西门子等国外品牌在中国的市场占有率达到28%",
        "source": "Yihai article",
        "source_zh": "怡海文章",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (6,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "market history; no data set here covers it",
        "why_not_zh": "市场历史，这里没有相关数据",
    },
    {
        "id": "exhibition_growth",
        "claim": (
            "China's exhibition industry grows 20-30% a year, with 3.2 million m² of indoor space "
            "in 2002"
        ),
        "claim_zh": "我国会展业年增长20%至30%，2002年室内展馆面积达320万平方米",
        "source": "CRM essay",
        "source_zh": "论文",
        "published": NONE_GIVEN[0],
        "published_zh": NONE_GIVEN[1],
        "sections": (1,),
        "notebooks": (),
        "data": (),
        "rule": "—",
        "rule_zh": "—",
        "why_not": "industry history; no data set here covers it",
        "why_not_zh": "行业历史，这里没有相关数据",
    },
]

#: The wording of the appendix page, per edition.
PAGE = {
    "en": {
        "label": "claims-ledger",
        "title": "Appendix: the course's claims on data · 附录：经验法则台账",
        "intro": (
            "Every rule of thumb the course quotes ([course notes §8]({course}#{prefix}"
            "course-claims)), measured on the synthetic company and on the real data sets "
            "where it applies, with a verdict decided by a rule written in code "
            "(`crmlab.claims`):\n\n"
            "- **holds**: the rule's condition is met (a tolerance band around the course's "
            "figure, or a test with its p-value);\n"
            "- **does not hold**: the condition is not met;\n"
            "- **not testable here**: the data cannot speak to the claim; the reason says why.\n\n"
            "The synthetic company (`datasets/company.md`) shows what its simulator produces; "
            "it was not tuned to the course's figures, but it is not evidence about real "
            "firms. The real data sets are: CDNOW, the purchases of an online music store's "
            "customers (`datasets/cdnow.md`), and Telco, a telephone company's contract "
            "customers (`datasets/telco_churn.md`). Sources are cited as the course notes "
            "cite them ([Sources](#{prefix}claims-sources) below). A notebook quotes a value "
            'with `crmlab.claims.value("pareto_80_20", data="company")`.\n\n'
            "The Chinese edition is `docs/zh/claims.md`."
        ),
        "summary": "Summary",
        "summary_head": ["#", "claim", "data", "value", "verdict"],
        "details": "Claim by claim",
        "source": "source: ",
        "published": "published: ",
        "notes": "course notes ",
        "notebooks": "notebooks: ",
        "rule": "Rule:",
        "detail_head": ["data", "measure", "value", "verdict", "reason"],
        "sources": "Sources",
        "sources_intro": (
            "The course texts, by the keys used above; the published works are listed in "
            "full in the [course notes]({course}#{prefix}course-sources)."
        ),
        "none": "—",
    },
    "zh": {
        "label": "zh-claims-ledger",
        "title": "附录：经验法则台账 · Appendix: the course's claims on data",
        "intro": (
            "课程引用的每一条经验法则（[课程笔记第8节]({course}#{prefix}course-claims)），在合成公"
            "司和"
            "适用的真实数据集上逐一计算，结论由代码中写明的规则决定（`crmlab.claims`）：\n\n"
            "- **成立**：满足规则的条件（课程数字上下的容差范围，或带 p 值的检验）；\n"
            "- **不成立**：不满足该条件；\n"
            "- **此处无法检验**：数据无法回答这一说法，理由栏说明原因。\n\n"
            "合成公司（`datasets/company.md`）显示的是模拟器产生的结果；它没有按课程的数字调校，"
            "但也不是关于真实企业的证据。真实数据集是：CDNOW，一家网上音乐商店客户的购买记录"
            "（`datasets/cdnow.md`）；Telco，一家电信公司的合同客户（`datasets/telco_churn.md`）。"
            "资料按课程笔记的简称引用（见文末[资料来源](#{prefix}claims-sources)）。笔记本用"
            '`crmlab.claims.value("pareto_80_20", data="company")` 引用其中的数值。\n\n'
            "英文版见 `docs/claims.md`。"
        ),
        "summary": "总表",
        "summary_head": ["#", "说法", "数据", "数值", "结论"],
        "details": "逐条说明",
        "source": "课程出处：",
        "published": "公开来源：",
        "notes": "课程笔记",
        "notebooks": "笔记本：",
        "rule": "规则：",
        "detail_head": ["数据", "计算的量", "数值", "结论", "理由"],
        "sources": "资料来源",
        "sources_intro": (
            "课程资料，按上文所用的简称；公开文献的完整信息见[课程笔记]({course}#{prefix}course-sou"
            "rces)。"
        ),
        "none": "—",
    },
}
