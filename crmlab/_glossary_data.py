"""The glossary's table (术语表): each term in Chinese and English with a one-line definition.

Data only; :mod:`crmlab.glossary` looks terms up and explains the rules. One row per
Chinese term:

- ``section``: the section of the course notes (``docs/course.md``) whose chapter teaches
  or first uses the term; section N goes with notebook NN (0 why CRM, 1 survey,
  2 segmentation, 3 loyalty, 4 churn, 5 customer value, 6 CRM systems; 7 is the course's
  own exercises).
- ``kind``: ``"course"`` for the course's own terms, ``"workbook"`` for the statistics and
  methods the workbook adds (SERVQUAL, survival analysis, ...), which the course texts do
  not use.
- ``note``: where the term comes from. Course sources are named by the short keys of the
  course notes' "Sources" list: Chen 2011 (the loyalty-management paper), CRM slides (the
  e-commerce CRM lecture slides), CRM essay (the essay on CRM concepts), Yihai article (the
  one-to-one CRM article), CRM textbook (the chapter on the general process of CRM; "textbook
  Qn" is its exercise n). Workbook terms name a reference or the crmlab function.
- ``definition_en`` and ``definition_zh``: one plain sentence each, in English and in
  Chinese, that does not use the term itself.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """One glossary entry."""

    zh: str
    en: str
    section: int
    kind: str
    note: str
    definition_en: str
    definition_zh: str


# fmt: off
TERMS: tuple[Term, ...] = (
    # 0. Why CRM (为什么要做客户关系管理): course notes §0, notebook 00
    Term("客户关系管理", "customer relationship management", 0, "course",
         "CRM: a management idea, a management mechanism and software at once (CRM slides)",
         "Managing a firm's dealings with its customers, as an idea, a way of working and a "
         "software system, so that it wins, keeps and grows valuable customers.",
         "以客户为中心，识别、赢得、保持和发展有价值客户的一套管理理念、管理机制和软件系统。"),
    Term("以客户为中心", "customer-centred", 0, "course", "",
         "Organising products, processes and decisions around what customers need rather than "
         "around the firm's own products.",
         "企业的产品、流程和决策都围绕客户的需要来安排，而不是围绕自己的产品。"),
    Term("一对一营销", "one-to-one marketing", 0, "course",
         "'one-to-one' (一对一) service (CRM slides, Yihai article)",
         "Treating each customer individually: recording their preferences at every contact and "
         "offering what suits that customer.",
         "把每位客户当作单独的对象：每次接触都记下其喜好，并提供适合他本人的产品和建议。"),
    Term("客户获取", "customer acquisition", 0, "course",
         "daily work of a firm, 1 of 3 (CRM slides)",
         "Winning new customers, from finding prospects to their first purchase.",
         "赢得新客户：从寻找可能的买家到对方第一次购买。"),
    Term("客户保有", "customer retention", 0, "course", "daily work of a firm, 2 of 3 (CRM slides)",
         "Keeping existing customers buying, so that they do not leave for a competitor.",
         "让现有客户继续购买，不流向竞争对手。"),
    Term("客户价值提升", "raising customer value", 0, "course",
         "daily work of a firm, 3 of 3 (CRM slides)",
         "Getting more value from existing customers, for example through larger or more "
         "frequent purchases, new products or referrals.",
         "让现有客户带来更多价值，例如买得更多更勤、购买新产品或推荐新客户。"),
    Term("客户获取成本", "customer acquisition cost", 0, "course",
         "5 times (Chen 2011, Yihai article) or 5-10 times (CRM slides) the cost of keeping one",
         "What the firm spends to win one new customer, such as advertising, sales visits and "
         "introductory discounts.",
         "企业赢得一位新客户所花的费用，如广告、上门推销和首单优惠。"),
    Term("客户生命周期", "customer lifecycle", 0, "course",
         "manage the whole lifecycle, lengthen it (CRM slides)",
         "The stages of a customer's relationship with the firm, from prospect and first "
         "purchase through growth to eventual departure.",
         "客户与企业关系经历的各个阶段，从可能的买家、首次购买、逐步成长，直到最终离开。"),
    Term("二八定律", "80/20 rule", 0, "course",
         "Pareto principle: 80% of revenue or profit from 20% of customers (Chen 2011, Yihai "
         "article, textbook Q1)",
         "The rule of thumb that about 80% of revenue or profit comes from about 20% of "
         "customers.",
         "经验法则：约80%的收入或利润来自约20%的客户。"),
    Term("漏斗原理", "leaky-bucket principle", 0, "course",
         "losing 100 customers a week while winning 100 looks flat but costs more (Chen 2011)",
         "A firm that wins as many customers as it loses looks stable, but it keeps paying the "
         "high cost of replacing the ones it loses.",
         "企业赢得的新客户与流失的老客户一样多时，表面上很稳定，"
         "实际上一直在为补充流失的客户付出高昂代价。"),
    Term("口碑效应", "word of mouth", 0, "course",
         "1 satisfied customer -> 8 potential deals; 1 dissatisfied -> 25 people (Chen 2011)",
         "Customers telling other people about their experience, which wins or loses the firm "
         "further customers.",
         "客户把自己的体验告诉别人，从而为企业带来或赶走更多客户。"),
    Term("基尼系数", "Gini coefficient", 0, "workbook", "segment.gini",
         "A number from 0 to 1 for how unequally value is shared: 0 when every customer is worth "
         "the same, 1 when one customer holds it all.",
         "衡量价值分配不均程度的数，在0到1之间：每位客户价值相同时为0，"
         "全部价值集中在一位客户身上时为1。"),
    Term("洛伦兹曲线", "Lorenz curve", 0, "workbook", "segment.lorenz_curve",
         "A curve showing what share of the total the smallest x% of customers hold; the further "
         "it sags below the diagonal, the more unequal the shares.",
         "显示价值最小的x%客户占总量多少的曲线；越往对角线下方弯，分配越不均。"),
    Term("客户保持率", "retention rate", 0, "workbook", "",
         "The share of the customers at the start of a period who are still customers at its "
         "end; 1 minus the churn rate.",
         "期初的客户中到期末仍是客户的比例，等于1减去流失率。"),
    Term("折现率", "discount rate", 0, "workbook", "",
         "The yearly rate by which money received later is counted as worth less than money "
         "today.",
         "把将来收到的钱折算成今天的价值时，每年打的折扣比率。"),
    # 1. Customer survey analysis (客户调查分析): §1, notebook 01
    Term("客户调查", "customer survey", 1, "course", "",
         "Collecting information about customers, from records and by asking them, in order to "
         "understand and serve them better.",
         "通过查阅资料和询问客户来收集客户信息，以便更好地了解和服务客户。"),
    Term("客户调查的内容", "contents of a customer survey", 1, "course",
         "profile, characteristics, business status, trading status (CRM textbook)",
         "What a customer survey collects: the customer's basic profile, characteristics, "
         "business status and trading status.",
         "客户调查要收集的四类信息：基础资料、客户特征、业务状况和交易现状。"),
    Term("客户基础资料", "basic customer profile", 1, "course",
         "name, address, owners and managers, founding date, legal form, assets",
         "Facts that identify a customer: name, address, owners and managers, founding date, "
         "legal form and assets.",
         "识别客户的基本事实：名称、地址、所有者和管理者、创立时间、组织形式和资产等。"),
    Term("客户特征", "customer characteristics", 1, "course",
         "field, sales capacity, potential, size",
         "What kind of business the customer is: its field, size, sales capacity, growth "
         "potential and business philosophy.",
         "客户是怎样的企业：服务领域、规模、销售能力、发展潜力和经营观念等。"),
    Term("客户业务状况", "customer business status", 1, "course",
         "scope, main products, sales performance",
         "How the customer's business is doing: its scope, main products, sales results and "
         "relations with competitors and with us.",
         "客户的经营情况：经营范围、主打产品、销售业绩，以及与竞争者和与本公司的关系。"),
    Term("客户交易现状", "customer trading status", 1, "course",
         "sales activity, problems, image, reputation, credit, trading terms",
         "The present state of trade with the customer: its sales activity, problems, strengths, "
         "image, reputation, credit and trading terms.",
         "与客户交易的当前情况：销售活动、存在的问题和优势、形象、声誉、信用和交易条件。"),
    Term("信用状况", "credit status", 1, "course", "",
         "Whether a customer pays on time and in full, and how much credit it can safely be "
         "given.",
         "客户是否按时足额付款，以及可以放心给它多少赊销额度。"),
    Term("客户调查的步骤", "steps of a customer survey", 1, "course", "six steps (CRM textbook)",
         "The six steps of a survey, from a first look at the problem to processing the "
         "collected data.",
         "客户调查的六个步骤，从初步弄清问题到处理收集来的数据。"),
    Term("初步情况分析", "preliminary analysis", 1, "course", "survey step 1",
         "First survey step: gather the information already at hand to see what the problem is "
         "and what to study.",
         "调查第一步：先整理手头已有的内外部资料，弄清问题所在和要研究什么。"),
    Term("非正式调查", "informal survey", 1, "course", "survey step 2",
         "Second survey step: ask a few people informally to narrow down the questions before "
         "the real survey.",
         "调查第二步：在正式调查之前小范围征询意见，缩小范围、集中重点。"),
    Term("决定搜集资料的方法", "choosing data-collection methods", 1, "course", "survey step 3",
         "Third survey step: decide what data are needed, where and when to get them, and by "
         "what method (interview, questionnaire, records).",
         "调查第三步：确定需要哪些资料、从哪里和什么时候取得、用什么方法（访谈、问卷、查记录等）"
         "。"),
    Term("准备调查表格", "preparing the questionnaire", 1, "course",
         "survey step 4: systematic, complete, continuous, usable, predictive",
         "Fourth survey step: design the forms and questions so that the answers are systematic, "
         "complete, comparable over time and usable.",
         "调查第四步：设计调查表和问题，使收集到的资料系统、完整、前后可比并且用得上。"),
    Term("抽样设计与调查", "sampling design and fieldwork", 1, "course",
         "survey step 5: sample size, sampling method, statistics",
         "Fifth survey step: decide how many and which customers to ask and how, then carry out "
         "the survey.",
         "调查第五步：决定调查多少客户、调查哪些客户、怎样调查，然后实施调查。"),
    Term("数据处理", "data processing", 1, "course",
         "survey step 6: check, classify, compute, tabulate",
         "Sixth survey step: check the answers for gaps and errors, then classify and count them "
         "and present them in tables and charts.",
         "调查第六步：检查资料是否完整、有无错误，然后分类、统计并做成表格和图。"),
    Term("问卷", "questionnaire", 1, "course", "",
         "A fixed list of written questions that every respondent answers in the same way.",
         "一份写好的固定问题清单，每位被调查者都按同样方式回答。"),
    Term("抽样", "sampling", 1, "course", "",
         "Choosing some members of a population to study, so that they can stand for the whole.",
         "从全体对象中选出一部分来调查，用它们代表全体。"),
    Term("样本量", "sample size", 1, "course", "",
         "The number of people or firms surveyed.",
         "接受调查的人或企业的个数。"),
    Term("客户满意度", "customer satisfaction", 1, "course",
         "= ideal/expected product - actual product (CRM slides); decided by expectation and "
         "perception (textbook Q2)",
         "How well what customers get matches what they expected; the course writes it as the "
         "gap between the ideal and the actual product.",
         "客户实际得到的与其期望相比是否令人满意；课程把它写成理想产品与实际产品之间的差距。"),
    Term("满意度驱动因素", "satisfaction drivers", 1, "course",
         "six drivers (CRM slides); four influences (CRM essay)",
         "The things that shape satisfaction; the course lists the core product, support, "
         "technical performance, interaction, emotion and environment.",
         "影响满意程度的因素；课程列出核心产品或服务、服务和系统支持、技术表现、互动、"
         "情感和环境。"),
    Term("期望", "expectation", 1, "course", "with perception, decides satisfaction (textbook Q2)",
         "What a customer believes they will get from a product or service before using it.",
         "客户在使用之前认为自己会从产品或服务中得到的东西。"),
    Term("感知", "perception", 1, "course", "with expectation, decides satisfaction (textbook Q2)",
         "What a customer feels they actually got from a product or service after using it.",
         "客户使用之后觉得自己实际得到的东西。"),
    Term("客户满意度的衡量指标", "customer satisfaction indicators", 1, "course",
         "five indicators (CRM slides)",
         "The course's five measures of satisfaction: reputation, awareness, repurchase rate, "
         "complaint rate and sales power.",
         "课程列出的五个满意度指标：美誉度、知名度、回头率、抱怨率和销售力。"),
    Term("美誉度", "reputation", 1, "course", "satisfaction indicator 1",
         "How favourably people speak of the firm.",
         "人们对企业评价的好坏程度。"),
    Term("知名度", "awareness", 1, "course", "satisfaction indicator 2",
         "How many people in the market know the firm or its brand.",
         "市场上知道这家企业或其品牌的人有多少。"),
    Term("回头率", "repurchase rate", 1, "course", "satisfaction indicator 3",
         "The share of customers who buy again.",
         "再次购买的客户所占的比例。"),
    Term("抱怨率", "complaint rate", 1, "course", "satisfaction indicator 4",
         "The share of customers (or orders) that lead to a complaint.",
         "提出抱怨或投诉的客户（或订单）所占的比例。"),
    Term("销售力", "sales power", 1, "course", "satisfaction indicator 5",
         "How much satisfied customers actually buy, that is, how far satisfaction turns into "
         "sales.",
         "满意的客户实际买了多少，即满意转化为销售的程度。"),
    Term("关系质量", "relationship quality", 1, "course",
         "trust, satisfaction, belonging, business friendship (CRM essay)",
         "How strong a customer relationship is, seen through trust, satisfaction, belonging and "
         "business friendship.",
         "客户关系的好坏程度，从信任感、满意感、归属感和商业友谊四方面来看。"),
    Term("信任感", "trust", 1, "course", "relationship quality",
         "The customer's belief that the firm keeps its promises and cares about the customer's "
         "interests.",
         "客户相信企业会兑现承诺、真心顾及客户的利益。"),
    Term("满意感", "satisfaction (feeling)", 1, "course", "relationship quality",
         "The customer's feeling that their needs have been met, judged against whatever "
         "standard they compare with.",
         "客户觉得自己的需要得到了满足的心理状态，取决于他拿来比较的标准。"),
    Term("归属感", "belonging", 1, "course", "relationship quality",
         "The customer's wish to keep the relationship with the firm for a long time.",
         "客户愿意与企业长期保持关系的意愿。"),
    Term("商业友谊", "business friendship", 1, "course", "relationship quality",
         "A friendly personal bond between a customer and the firm's staff that grows out of "
         "serving the customer.",
         "在服务过程中客户与企业服务人员之间建立起来的朋友般的关系。"),
    Term("置信区间", "confidence interval", 1, "workbook", "",
         "A range computed from a sample by a method that catches the true value in a stated "
         "share of samples, usually 95%.",
         "根据样本算出的一个范围，用这种方法算出的范围在规定比例（通常为95%）"
         "的样本中会包含真实值。"),
    Term("p值", "p-value", 1, "workbook", "",
         "The chance of a result at least as extreme as the one observed if there were really no "
         "effect; a small value is evidence against 'no effect'.",
         "假如实际上没有任何效应，得到至少和观察结果一样极端的结果的概率；它越小，"
         "'没有效应'就越不可信。"),
    Term("有限总体校正", "finite population correction", 1, "workbook", "Cochran 1977",
         "A reduction of the required sample size when the sample would be a sizeable part of a "
         "small population.",
         "当样本占全体对象的比例较大时，对所需样本量的向下修正。"),
    Term("分层抽样", "stratified sampling", 1, "workbook", "",
         "Splitting the customers into groups, such as small, medium and large firms, and "
         "drawing a separate sample from each group.",
         "先把客户分成若干组（如小、中、大企业），再从每组分别抽取样本。"),
    Term("设计权重", "design weight", 1, "workbook", "",
         "The number of customers a respondent stands for, used to correct for unequal chances "
         "of being chosen.",
         "一位受访者代表多少个客户，用来纠正各人被选中机会不等的问题。"),
    Term("无应答偏差", "non-response bias", 1, "workbook", "",
         "A distortion that arises when the people who answer a survey differ from those who do "
         "not.",
         "回答调查的人与不回答的人不一样，因而使结果产生的偏差。"),
    Term("直线作答", "straight-lining", 1, "workbook", "",
         "Giving the same answer to every question of a questionnaire, a sign of careless "
         "answering.",
         "对问卷的所有题目都给出同一个答案，是敷衍作答的迹象。"),
    Term("反向计分", "reverse coding", 1, "workbook", "",
         "Flipping the scores of negatively worded questions (on a 1-5 scale, 6 minus the "
         "answer) so that a high score always points the same way.",
         "把反面措辞题目的分数倒过来（1-5分量表用6减去原分），使高分始终代表同一方向。"),
    Term("信度", "scale reliability", 1, "workbook", "",
         "How consistently a set of questions measures the same thing.",
         "一组题目测量同一事物时结果的一致程度。"),
    Term("克朗巴哈系数", "Cronbach's alpha", 1, "workbook", "Cronbach 1951; survey.cronbach_alpha",
         "A number of at most 1 that shows how strongly the questions of a scale rise and fall "
         "together; about 0.7 or more is usually called acceptable.",
         "反映量表中各题得分是否同升同降的数，最大为1，一般0.7以上算可以接受。"),
    Term("因子分析", "factor analysis", 1, "workbook", "",
         "A method that explains the correlations among many questions by a few hidden common "
         "traits called factors.",
         "用少数几个看不见的共同因素（称为因子）来解释许多题目之间相关关系的方法。"),
    Term("因子载荷", "factor loading", 1, "workbook", "",
         "How strongly one question is tied to one factor, read like a correlation between -1 "
         "and 1.",
         "某道题与某个因子联系的强弱，可以像相关系数一样理解，在-1到1之间。"),
    Term("方差最大化旋转", "varimax", 1, "workbook", "Kaiser 1958",
         "A way of turning the factors of a factor analysis so that each question is tied "
         "strongly to as few factors as possible, which makes the factors easier to name.",
         "在因子分析中转动因子，使每道题尽量只与少数因子紧密相连，便于解释和命名因子。"),
    Term("共同度", "communality", 1, "workbook", "",
         "The share of a question's variation that the common factors explain, between 0 and 1.",
         "一道题的变化中能被共同因子解释的比例，在0到1之间。"),
    Term("Heywood现象", "Heywood case", 1, "workbook", "",
         "An impossible result of a factor analysis in which the factors seem to explain all of "
         "a question's variation or more (a communality of 1 or above), a sign that the model "
         "does not fit.",
         "因子分析得出的不可能结果：因子似乎解释了某道题的全部甚至更多的变化（共同度达到或超过1）"
         "，说明模型不合适。"),
    Term("卡方检验", "chi-square test", 1, "workbook", "",
         "A test of whether two classifications, such as customer size and satisfaction level, "
         "are related, comparing the counts seen with the counts expected if they were unrelated.",
         "比较实际个数与'两者无关'时应有的个数，检验两种分类（如客户规模与满意等级）"
         "是否有关的方法。"),
    Term("期望频数", "expected count", 1, "workbook", "",
         "In a cross-table, the count a cell would have if the two classifications were "
         "unrelated: row total times column total divided by the grand total.",
         "在交叉表中，两种分类互不相关时某一格应有的个数：行合计乘列合计再除以总数。"),
    Term("期望频数小于5的比例", "share of expected counts below 5", 1, "workbook",
         "survey: share_expected_below_5",
         "The share of cells of a cross-table whose expected count is below 5; above about 20% "
         "the chi-square test's p-value is unreliable.",
         "交叉表中期望频数小于5的格子所占的比例；超过约20%时，卡方检验的p值不可靠。"),
    Term("克莱姆V系数", "Cramér's V", 1, "workbook", "",
         "A number from 0 (no relation) to 1 (perfect relation) for how strongly two "
         "classifications go together.",
         "衡量两种分类关联强弱的数，0表示毫无关系，1表示完全相关。"),
    Term("回归分析", "regression", 1, "workbook", "",
         "A method that estimates how much one quantity changes on average when others change.",
         "估计一个量随其他量变化而平均变化多少的方法。"),
    Term("关键驱动因素分析", "key driver analysis", 1, "workbook", "",
         "Finding which aspects of a product or service move overall satisfaction the most, "
         "usually by regression.",
         "找出产品或服务的哪些方面对总体满意程度影响最大，通常用回归分析。"),
    Term("重要性-绩效分析", "importance-performance analysis", 1, "workbook",
         "Martilla & James 1977",
         "A map placing each aspect of service by how much it matters and how well the firm does "
         "it, to show what to improve first.",
         "把每个服务方面按其重要程度和企业的表现画在图上，指出应先改进哪里。"),
    Term("SERVQUAL量表", "SERVQUAL", 1, "workbook",
         "Parasuraman, Zeithaml & Berry 1988; not in the course texts",
         "A questionnaire that measures service quality as the gap between what customers expect "
         "and what they perceive, on five dimensions.",
         "在五个维度上比较客户期望与实际感知之差、以此测量服务质量的问卷。"),
    Term("有形性", "tangibles", 1, "workbook",
         "SERVQUAL dimension (Parasuraman et al. 1988); not in the course texts",
         "SERVQUAL dimension: the look of the firm's facilities, equipment, staff and materials.",
         "SERVQUAL维度之一：企业设施、设备、人员和资料的外观。"),
    Term("可靠性", "reliability", 1, "workbook",
         "SERVQUAL dimension (Parasuraman et al. 1988); not in the course texts",
         "SERVQUAL dimension: doing what was promised, dependably and accurately.",
         "SERVQUAL维度之一：准确、稳定地做到所承诺的服务。"),
    Term("响应性", "responsiveness", 1, "workbook",
         "SERVQUAL dimension (Parasuraman et al. 1988); not in the course texts",
         "SERVQUAL dimension: willingness to help customers and to serve them promptly.",
         "SERVQUAL维度之一：愿意帮助客户并迅速提供服务。"),
    Term("保证性", "assurance", 1, "workbook",
         "SERVQUAL dimension (Parasuraman et al. 1988); not in the course texts",
         "SERVQUAL dimension: staff knowledge and courtesy that make customers feel safe.",
         "SERVQUAL维度之一：员工的知识和礼貌让客户感到放心。"),
    Term("移情性", "empathy", 1, "workbook",
         "SERVQUAL dimension (Parasuraman et al. 1988); not in the course texts",
         "SERVQUAL dimension: caring, individual attention to each customer.",
         "SERVQUAL维度之一：关心客户，给予每位客户个别的关注。"),
    # 2. Customer segmentation (客户细分): §2, notebook 02
    Term("客户细分", "customer segmentation", 2, "course", "",
         "Dividing customers into groups of similar customers so that each group can be served "
         "in its own way.",
         "把客户分成若干组，组内客户彼此相似，以便对每组采取不同的做法。"),
    Term("客户细分的标准", "segmentation criteria", 2, "course",
         "profile, behaviour, location, size, contribution, loyalty, credit, churn risk (CRM "
         "textbook)",
         "The characteristics used to group customers, such as purchasing behaviour, size, "
         "location, contribution, loyalty, credit and churn risk.",
         "用来给客户分组的依据，如购买行为、规模、地理位置、贡献、忠诚程度、信誉和是否可能流失。"),
    Term("现有客户", "current customer", 2, "course", "by relationship (CRM textbook)",
         "A customer who buys from the firm now.",
         "目前正在与企业交易的客户。"),
    Term("潜在客户", "potential customer", 2, "course", "by relationship (CRM textbook)",
         "Someone who might buy from the firm but has not yet done so.",
         "有可能购买但还没有买过的个人或企业。"),
    Term("历史客户", "historical customer", 2, "course", "by relationship (CRM textbook)",
         "A former customer who used to buy from the firm but no longer does.",
         "过去买过、现在不再购买的客户。"),
    Term("竞争者客户", "competitor's customer", 2, "course", "by relationship (CRM textbook)",
         "A customer who currently buys from a competitor.",
         "目前向竞争对手购买的客户。"),
    Term("VIP客户", "VIP customer", 2, "course", "by value (CRM textbook)",
         "One of the few customers who bring the firm the most value, at the top of the value "
         "pyramid.",
         "位于价值金字塔顶端、为企业带来最多价值的少数客户。"),
    Term("主要客户", "major customer", 2, "course",
         "by value (CRM textbook); also a strategic class (CRM essay)",
         "A customer of high value just below the VIPs; among the strategic classes, one to keep "
         "in a long, stable relationship.",
         "价值仅次于VIP的客户；在战略分类中指应与之保持长期稳定关系的客户。"),
    Term("普通客户", "ordinary customer", 2, "course", "by value (CRM textbook)",
         "A customer of middling value, below the major customers.",
         "价值中等、低于主要客户的客户。"),
    Term("小客户", "small customer", 2, "course", "by value (CRM textbook)",
         "One of the many customers who each bring the firm little value, at the bottom of the "
         "value pyramid.",
         "位于价值金字塔底部、每位只带来很少价值的大量客户。"),
    Term("红名单", "red list", 2, "course", "by credit (CRM textbook)",
         "The customers with good credit who pay reliably.",
         "信用好、付款可靠的客户名单。"),
    Term("灰名单", "grey list", 2, "course", "by credit (CRM textbook)",
         "The customers whose credit is doubtful, for example because they often pay late, and "
         "who need watching.",
         "信用存疑（例如经常拖欠）、需要留意的客户名单。"),
    Term("黑名单", "black list", 2, "course", "by credit (CRM textbook)",
         "The customers with bad credit, for example unpaid debts, to whom the firm should give "
         "no more credit.",
         "信用差（例如欠款不还）、不应再给予赊销的客户名单。"),
    Term("非常满意", "very satisfied", 2, "course", "by satisfaction (CRM textbook)",
         "Top of the course's five satisfaction levels: the experience clearly beats what the "
         "customer expected.",
         "五级满意程度中的最高级：体验明显超出预期。"),
    Term("很满意", "quite satisfied", 2, "course", "by satisfaction (CRM textbook)",
         "Second of the course's five satisfaction levels: the customer is clearly pleased.",
         "五级满意程度中的第二级：客户明显感到满意。"),
    Term("基本满意", "basically satisfied", 2, "course", "by satisfaction (CRM textbook)",
         "Middle of the course's five satisfaction levels: acceptable, with no strong feeling "
         "either way.",
         "五级满意程度中的中间一级：可以接受，没有明显的好恶。"),
    Term("不满意", "dissatisfied", 2, "course", "by satisfaction (CRM textbook)",
         "Fourth of the course's five satisfaction levels: the customer got less than expected.",
         "五级满意程度中的第四级：得到的少于期望。"),
    Term("很不满意", "very dissatisfied", 2, "course", "by satisfaction (CRM textbook)",
         "Bottom of the course's five satisfaction levels: the customer got far less than "
         "expected.",
         "五级满意程度中的最低级：得到的远少于期望。"),
    Term("非常忠诚", "very loyal", 2, "course", "by loyalty (CRM textbook)",
         "Top of the course's five loyalty levels: buys again and again and would not consider "
         "switching.",
         "五级忠诚程度中的最高级：一再购买，不考虑转向别家。"),
    Term("很忠诚", "quite loyal", 2, "course", "by loyalty (CRM textbook)",
         "Second of the course's five loyalty levels: buys regularly and prefers the firm.",
         "五级忠诚程度中的第二级：经常购买并偏爱本企业。"),
    Term("基本忠诚", "basically loyal", 2, "course", "by loyalty (CRM textbook)",
         "Middle of the course's five loyalty levels: keeps buying but could be won over by a "
         "better offer.",
         "五级忠诚程度中的中间一级：仍在购买，但更好的条件可能把他吸引走。"),
    Term("不忠诚", "disloyal", 2, "course", "by loyalty (CRM textbook)",
         "Fourth of the course's five loyalty levels: buys now and then and switches easily.",
         "五级忠诚程度中的第四级：偶尔购买，很容易转向别家。"),
    Term("很不忠诚", "very disloyal", 2, "course", "by loyalty (CRM textbook)",
         "Bottom of the course's five loyalty levels: no attachment at all, buys only when it "
         "happens to suit.",
         "五级忠诚程度中的最低级：毫无依恋，只在碰巧合适时才购买。"),
    Term("新客户", "new customer", 2, "course", "by status (textbook Q4)",
         "A customer who has only recently started buying.",
         "刚开始购买不久的客户。"),
    Term("忠诚客户", "loyal customer", 2, "course", "by status (textbook Q4)",
         "A customer who keeps coming back to buy over a long time.",
         "长期反复回来购买的客户。"),
    Term("流失客户", "churned customer", 2, "course", "by status (textbook Q4)",
         "A customer who has stopped buying from the firm.",
         "已经不再向企业购买的客户。"),
    Term("战略客户", "strategic customer", 2, "course", "long, close alliance (CRM essay)",
         "A high-value customer with growth potential with whom the firm builds a long, close "
         "alliance.",
         "价值高且有发展潜力、企业要与之建立长期紧密联盟的客户。"),
    Term("交易客户", "transactional customer", 2, "course",
         "keep the transactional relationship (CRM essay)",
         "A customer who simply buys now and then, served at low cost in a plain "
         "buying-and-selling relationship.",
         "只是偶尔买卖、以低成本维持普通买卖关系的客户。"),
    Term("风险客户", "risk customer", 2, "course", "refuse or end service (CRM essay)",
         "A customer who costs the firm more than it brings or exposes it to losses, so that the "
         "firm may refuse or end service.",
         "给企业带来的损失或风险大于收益、企业可以拒绝或终止服务的客户。"),
    Term("资源分配", "resource allocation", 2, "course",
         "step 3 of segment-based strategy (CRM essay)",
         "Deciding how much money, staff time and service each group of customers receives.",
         "决定每类客户得到多少资金、人力和服务。"),
    Term("客户关系类型", "relationship levels", 2, "course",
         "five levels, basic to partnership (CRM slides)",
         "Five degrees of how closely a seller stays in touch with customers after a sale, from "
         "basic to partnership.",
         "售后企业与客户保持联系的五种紧密程度，从基本型到伙伴型。"),
    Term("基本型", "basic", 2, "course", "relationship level 1 (CRM slides)",
         "Relationship level 1: the seller makes the sale and has no further contact.",
         "关系类型第1级：卖出产品后不再与客户联系。"),
    Term("被动型", "reactive", 2, "course", "relationship level 2 (CRM slides)",
         "Relationship level 2: the seller asks the customer to get in touch if problems arise.",
         "关系类型第2级：卖出后请客户在遇到问题或有意见时联系企业。"),
    Term("负责型", "accountable", 2, "course", "relationship level 3 (CRM slides)",
         "Relationship level 3: after the sale the seller asks whether the product meets the "
         "customer's needs and how to improve it.",
         "关系类型第3级：售后主动询问产品是否合用，征求改进建议。"),
    Term("能动型", "proactive", 2, "course", "relationship level 4 (CRM slides)",
         "Relationship level 4: the seller keeps in touch with advice on using the product and "
         "news of new products.",
         "关系类型第4级：不断联系客户，提供使用建议和新产品信息。"),
    Term("伙伴型", "partnership", 2, "course", "relationship level 5 (CRM slides)",
         "Relationship level 5: the firm works with the customer continuously to solve problems "
         "and help the customer succeed.",
         "关系类型第5级：企业持续与客户共同努力，帮助客户解决问题、取得成功。"),
    Term("销售漏斗", "sales funnel", 2, "course",
         "initial contact 80 -> intention 30 -> negotiation 16 -> contract 10 (CRM slides)",
         "The stages a sale passes through, from first contact to signed contract, with fewer "
         "prospects left at each stage.",
         "一笔生意从初次接触到签订合同所经过的各个阶段，越往后剩下的客户越少。"),
    Term("服务成本", "cost to serve", 2, "workbook", "segment.customer_profit",
         "What it costs the firm to look after a customer beyond the cost of the goods, such as "
         "visits, calls, incidents and returns.",
         "企业照顾一位客户所花的费用（拜访、电话、处理事故和退货等），不含货物本身的成本。"),
    Term("鲸鱼曲线", "whale curve", 2, "workbook", "Kaplan & Cooper 1998",
         "Cumulative profit with customers ranked from most to least profitable; it climbs above "
         "100% and falls back as the loss-making customers are added.",
         "把客户按利润从高到低排列后画出的累计利润曲线，先升到100%以上，再因亏损客户而回落。"),
    Term("ABC分类", "ABC classification", 2, "workbook", "",
         "Ranking customers by value and cutting the list where the running total reaches set "
         "shares, such as A up to 80% of revenue, B up to 95% and C the rest.",
         "按价值给客户排序，在累计价值达到规定比例处切开，如A类到收入的80%，B类到95%，其余为C类。"),
    Term("RFM分析", "RFM analysis", 2, "workbook", "Hughes 1994",
         "Describing each customer by three numbers: how recently they bought, how often, and "
         "how much they spent.",
         "用三个数描述每位客户：最近一次购买距今多久、购买多频繁、花了多少钱。"),
    Term("最近购买间隔", "recency", 2, "workbook", "RFM: days since the last purchase",
         "The time since a customer's last purchase; the shorter it is, the more likely the "
         "customer is still active.",
         "距客户最近一次购买的时间；越短，客户越可能仍然活跃。"),
    Term("购买频率", "frequency", 2, "workbook", "RFM: number of purchases",
         "How many purchases a customer made in a period.",
         "客户在一段时间内购买的次数。"),
    Term("消费金额", "monetary", 2, "workbook", "RFM: net spend",
         "How much a customer spent in a period, after returns.",
         "客户在一段时间内花的钱（扣除退货）。"),
    Term("K均值聚类", "k-means clustering", 2, "workbook", "MacQueen 1967; Lloyd 1982",
         "A method that splits customers into k groups so that each customer is as close as "
         "possible to the average of its own group.",
         "把客户分成k组、使每位客户尽量接近本组平均值的方法。"),
    Term("肘部法则", "elbow method", 2, "workbook", "",
         "Choosing the number of clusters at the point where adding one more no longer makes the "
         "groups much tighter.",
         "选择聚类个数的方法：在再多分一组也不能让各组明显更紧凑的地方停下。"),
    Term("轮廓系数", "silhouette", 2, "workbook", "Rousseeuw 1987",
         "A score from -1 to 1 for how much better each customer fits its own cluster than the "
         "nearest other cluster; higher is better.",
         "在-1到1之间，衡量每位客户与本组的相似程度比与最近的其他组高出多少；越高越好。"),
    Term("调整兰德指数", "adjusted Rand index", 2, "workbook", "Hubert & Arabie 1985",
         "A number for how far two groupings of the same customers agree: 1 when they are "
         "identical and about 0 when they agree no better than chance.",
         "衡量同一批客户的两种分组有多一致的数：完全相同为1，与随机分组一样时约为0。"),
    Term("转化率", "conversion rate", 2, "workbook", "",
         "The share of prospects at one stage of the sales funnel who reach the next stage.",
         "销售漏斗某一阶段的客户中进入下一阶段的比例。"),
    Term("赢单率", "win rate", 2, "workbook", "",
         "The share of prospects at a given stage of the sales funnel who end up signing a "
         "contract.",
         "销售漏斗某一阶段的客户中最终签订合同的比例。"),
    # 3. Customer loyalty (客户忠诚): §3, notebook 03
    Term("客户忠诚", "customer loyalty", 3, "course", "",
         "A customer's attachment to a firm, shown by buying again, intending to buy again and "
         "liking the firm.",
         "客户对企业的依恋，表现为重复购买、打算继续购买和喜爱这家企业。"),
    Term("忠诚度", "loyalty degree", 3, "course", "loyalty as a quantity (Chen 2011)",
         "How loyal a customer is, expressed as a quantity that can be measured and compared.",
         "客户忠诚的程度，是一个可以测量和比较的量。"),
    Term("情感忠诚", "emotional loyalty", 3, "course",
         "identifies with the firm's ideas and image (Chen 2011)",
         "Loyalty in feeling: the customer identifies with and likes the firm's ideas, conduct "
         "and image.",
         "感情上的忠诚：客户认同并喜爱企业的理念、行为和形象。"),
    Term("行为忠诚", "behavioural loyalty", 3, "course", "repeat purchase (Chen 2011)",
         "Loyalty in deeds: the customer buys the firm's products again and again.",
         "行动上的忠诚：客户一再购买企业的产品或服务。"),
    Term("意识忠诚", "conscious loyalty", 3, "course",
         "intentional loyalty: future purchase intention (Chen 2011)",
         "Loyalty in intention: the customer plans to keep buying from the firm in future.",
         "意向上的忠诚：客户打算将来继续购买企业的产品或服务。"),
    Term("从属行为", "affiliated behaviour", 3, "course", "e.g. recommending (CRM slides)",
         "Actions that support the firm beyond buying, such as recommending it to others.",
         "购买之外支持企业的行为，例如向别人推荐。"),
    Term("顾客忠诚的层次", "layers of customer loyalty", 3, "course", "four layers (Chen 2011)",
         "Four stages of loyalty, from none at all to devotion.",
         "客户忠诚由低到高的四个阶段，从毫无忠诚到忠贞不二。"),
    Term("无忠诚感", "no loyalty", 3, "course",
         "loyalty layer 1; Chen 2011 describes the layers but names none: labels follow its "
         "wording",
         "Lowest loyalty layer: the customer does not care about the firm and buys only on price "
         "or convenience.",
         "最低一层：客户对企业漠不关心，只凭价格或方便购买。"),
    Term("满意或习惯", "satisfied or habitual", 3, "course",
         "loyalty layer 2; label from Chen 2011's wording",
         "Second loyalty layer: the customer buys out of satisfaction or habit, partly to avoid "
         "the effort and cost of switching.",
         "第二层：客户因为还算满意或已成惯性而购买，部分原因是怕换供应商费时费钱。"),
    Term("偏好", "preference", 3, "course", "loyalty layer 3; label from Chen 2011's wording",
         "Third loyalty layer: having compared the firm with its competitors, the customer likes "
         "it better.",
         "第三层：与竞争对手比较之后，客户更喜欢这家企业。"),
    Term("忠贞不二", "devotion", 3, "course", "loyalty layer 4; label from Chen 2011's wording",
         "Highest loyalty layer: strong liking and emotional attachment, so the customer would "
         "not switch.",
         "最高一层：强烈喜爱并有感情寄托，客户不会转向别家。"),
    Term("垄断忠诚", "monopoly loyalty", 3, "course", "loyalty type (CRM textbook, CRM slides)",
         "Staying because there is no other supplier to choose, whether satisfied or not.",
         "因为别无选择而留下，无论满意与否。"),
    Term("亲缘忠诚", "kinship loyalty", 3, "course", "loyalty type (CRM textbook)",
         "Staying because of family or personal ties with people in the firm.",
         "因为与企业人员有亲属或私人关系而留下。"),
    Term("利益忠诚", "interest loyalty", 3, "course",
         "loyalty type (CRM textbook); price is the main interest; cf. 价格忠诚 (CRM slides)",
         "Staying for a low price or another material advantage, which lasts only as long as the "
         "advantage does.",
         "因为价格低或其他实际好处而留下，好处一消失就可能离开。"),
    Term("方便忠诚", "convenience loyalty", 3, "course",
         "loyalty type (CRM textbook, CRM slides); includes inertia",
         "Staying because the firm is convenient or out of inertia, until something more "
         "convenient comes along.",
         "因为方便或出于惰性而留下，一旦出现更方便的选择就会离开。"),
    Term("惰性忠诚", "inertia loyalty", 3, "course", "loyalty type (CRM slides)",
         "Staying out of habit, because switching seems not worth the effort.",
         "出于习惯而留下，因为觉得换供应商不值得费事。"),
    Term("信赖忠诚", "trust loyalty", 3, "course", "loyalty type (CRM textbook): the goal",
         "Staying because long cooperation has shown that the firm really meets the customer's "
         "needs; the most lasting kind.",
         "因为长期合作证明企业确实满足了自己的需要而留下，是最牢固的一种。"),
    Term("潜在忠诚", "latent loyalty", 3, "course", "loyalty type (CRM slides)",
         "Liking the firm but buying little from it, for example because of price or "
         "availability.",
         "喜欢企业但购买很少，例如因为价格或买不到。"),
    Term("价格忠诚", "price loyalty", 3, "course",
         "loyalty type (CRM slides); cf. 利益忠诚 (CRM textbook)",
         "Staying for the lowest price and leaving as soon as a cheaper offer appears.",
         "为了最低价格而留下，一出现更便宜的选择就离开。"),
    Term("激励忠诚", "incentive loyalty", 3, "course", "loyalty type (CRM slides)",
         "Staying for rewards such as points, gifts or promotions, and buying less when they "
         "stop.",
         "为了积分、礼品或促销等奖励而留下，奖励一停就少买。"),
    Term("超值忠诚", "super-value loyalty", 3, "course", "loyalty type (CRM slides)",
         "Staying because the firm gives more than the customer expects, so that the customer "
         "also recommends it.",
         "因为企业给的超出期望而留下，并愿意向别人推荐。"),
    Term("客户忠诚度的测量", "measuring customer loyalty", 3, "course",
         "five measures (CRM slides)",
         "The course's five signs of loyalty: repeat purchases, time spent choosing, price "
         "sensitivity, attitude to competitors and tolerance of quality problems.",
         "课程列出的五个忠诚指标：重复购买次数、购买挑选时间、对价格的敏感程度、"
         "对竞争产品的态度和对产品质量的承受能力。"),
    Term("重复购买次数", "number of repeat purchases", 3, "course", "loyalty measure 1",
         "How many times a customer buys again after the first purchase; more means more loyal.",
         "客户首次购买之后再次购买的次数，越多越忠诚。"),
    Term("购买挑选时间", "time spent choosing", 3, "course", "loyalty measure 2",
         "How long a customer takes to decide before buying; loyal customers decide quickly.",
         "客户购买前花多长时间做决定；忠诚的客户决定得快。"),
    Term("对价格的敏感程度", "price sensitivity", 3, "course",
         "loyalty measure 3; term('price sensitivity') gives 价格敏感度",
         "How much a customer's buying drops when the price rises; loyal customers react less.",
         "涨价时客户的购买减少多少；忠诚的客户反应较小。"),
    Term("对竞争产品的态度", "attitude to competing products", 3, "course", "loyalty measure 4",
         "How interested a customer is in competitors' offers; loyal customers pay them little "
         "attention.",
         "客户对竞争对手产品的兴趣有多大；忠诚的客户不太理会。"),
    Term("对产品质量的承受能力", "tolerance of quality problems", 3, "course", "loyalty measure 5",
         "How readily a customer forgives a quality problem and keeps buying; loyal customers "
         "are more forgiving.",
         "出现质量问题时客户是否仍然谅解并继续购买；忠诚的客户更宽容。"),
    Term("价格敏感度", "price sensitivity", 3, "course", "",
         "How strongly a customer's purchases react to a change in price.",
         "客户的购买量随价格变化而变化的强烈程度。"),
    Term("转移成本", "switching cost", 3, "course", "an exit barrier",
         "The money, time and effort a customer would lose by changing to another supplier.",
         "客户换到另一家供应商时要付出的金钱、时间和精力。"),
    Term("退出障碍", "exit barrier", 3, "course", "switching costs, emotional ties (Chen 2011)",
         "Anything that makes leaving the firm costly or hard for a customer, such as switching "
         "costs or emotional ties.",
         "使客户离开企业变得费钱或困难的因素，如转移成本或感情纽带。"),
    Term("双赢", "win-win", 3, "course",
         "the attitude behind trust loyalty (CRM textbook, CRM essay)",
         "A deal or relationship in which both the firm and the customer gain.",
         "企业和客户双方都得到好处的交易或关系。"),
    Term("投诉", "complaint", 3, "course", "handle complaints well (CRM textbook)",
         "A customer telling the firm that they are unhappy with a product or service and asking "
         "for it to be put right.",
         "客户向企业表示对产品或服务不满并要求解决。"),
    Term("价格弹性", "price elasticity", 3, "workbook", "loyalty.price_elasticity",
         "The percentage change in the quantity bought when the price rises by 1%; -2 means a 1% "
         "price rise cuts purchases by about 2%.",
         "价格上涨1%时购买量变化的百分比；-2表示涨价1%购买量约减少2%。"),
    Term("DerSimonian-Laird收缩", "DerSimonian-Laird shrinkage", 3, "workbook",
         "DerSimonian & Laird 1986",
         "Pulling each customer's noisy estimate toward the average of all customers, the more "
         "so the less data the customer has, by an amount set from how much customers really "
         "differ.",
         "把每位客户不太可靠的估计值向全体客户的平均值拉近，数据越少拉得越多，"
         "拉近多少由客户之间真实差异的大小决定。"),
    Term("斯皮尔曼等级相关", "Spearman rank correlation", 3, "workbook", "",
         "A correlation computed on ranks instead of values, so it shows whether two orderings "
         "agree and is not driven by a few very large values.",
         "用排名而不是数值本身计算的相关系数，反映两种排序是否一致，不受少数极大值左右。"),
    Term("忠诚矩阵", "loyalty matrix", 3, "workbook", "Dick & Basu 1994",
         "Dick and Basu's two-by-two grid of attitude (liking the firm) against repeat buying, "
         "giving true, latent, spurious and no loyalty.",
         "Dick和Basu提出的二乘二表格，按态度（是否喜欢企业）和重复购买分为真正忠诚、潜在忠诚、"
         "虚假忠诚和不忠诚。"),
    Term("真正忠诚", "true loyalty", 3, "workbook", "Dick & Basu 1994",
         "Liking the firm and buying from it again and again.",
         "既喜欢企业，又一再购买。"),
    Term("虚假忠诚", "spurious loyalty", 3, "workbook", "Dick & Basu 1994",
         "Buying again and again without liking the firm, out of habit or because leaving is "
         "hard.",
         "反复购买但并不喜欢企业，只是出于习惯或离开太难。"),
    Term("混淆矩阵", "confusion matrix", 3, "workbook", "",
         "A table counting, for each true class, how many cases a classifier put in each "
         "predicted class.",
         "统计每个真实类别中有多少对象被分类器分到各个预测类别的表格。"),
    # 4. Customer churn (客户流失): §4, notebook 04
    Term("客户流失", "customer churn", 4, "course", "",
         "Customers stopping buying from the firm or ending their contract.",
         "客户不再向企业购买或终止合同。"),
    Term("流失率", "churn rate", 4, "course", "",
         "The share of the customers at the start of a period who have left by its end.",
         "期初的客户中到期末已经离开的比例。"),
    Term("客户流失原因", "causes of customer churn", 4, "course", "six causes (CRM textbook)",
         "The course's six reasons customers leave: price, badly handled incidents, quality, "
         "passive service, competitors and involuntary reasons.",
         "课程列出的客户离开的六个原因：价格、微妙事件处理不当、质量、消极服务、"
         "竞争对手和非自愿原因。"),
    Term("商品价格", "product price", 4, "course",
         "churn cause 1: the main cause in trade (CRM textbook)",
         "Churn cause: a better price elsewhere, the main reason customers leave in trade.",
         "流失原因：别处价格更低，在外贸中是客户离开的主要原因。"),
    Term("微妙事件的不良处理", "poor handling of delicate incidents", 4, "course",
         "churn cause 2 (CRM textbook)",
         "Churn cause: a dispute or mistake during a deal handled badly, which destroys the "
         "customer's trust.",
         "流失原因：交易中出现摩擦或差错时处理不当，使客户失去信任。"),
    Term("商品质量", "product quality", 4, "course",
         "churn cause 3: quality below requirements (CRM textbook)",
         "Churn cause: products that fall short of the customer's requirements.",
         "流失原因：产品达不到客户的要求。"),
    Term("消极的服务接触", "passive service encounters", 4, "course",
         "churn cause 4 (CRM textbook)",
         "Churn cause: staff who do not actively help the customer or keep in touch.",
         "流失原因：员工不主动帮助客户、不与客户沟通。"),
    Term("竞争对手", "competitors", 4, "course",
         "churn cause 5: competitors' actions (CRM textbook)",
         "Churn cause: rival firms' offers and actions that draw customers away.",
         "流失原因：其他企业的优惠和行动把客户吸引走。"),
    Term("非自愿", "involuntary reasons", 4, "course",
         "churn cause 6: relocation, death, ethics (CRM textbook)",
         "Churn cause: leaving for reasons outside anyone's control, such as relocation, closure "
         "or death.",
         "流失原因：双方都无法控制的原因，如搬迁、倒闭或死亡。"),
    Term("动态平衡", "dynamic balance", 4, "course", "zero churn is impossible (CRM textbook)",
         "Accepting that some customers always leave and keeping the customer base steady by "
         "winning new ones and protecting the valuable ones.",
         "承认总会有客户离开，通过赢得新客户、保住高价值客户使客户总体保持稳定。"),
    Term("自然流失", "natural churn", 4, "course",
         "relocation, change of business: accept it (CRM textbook)",
         "Customers leaving for reasons the firm cannot influence, such as moving away or "
         "changing business.",
         "因企业无法影响的原因（如搬迁、转行）而离开。"),
    Term("竞争流失", "competitive churn", 4, "course",
         "respond by attack, defence or retreat (CRM textbook)",
         "Customers leaving because a competitor won them over.",
         "被竞争对手争取过去而离开。"),
    Term("过失流失", "fault churn", 4, "course",
         "the firm's own mistakes: largest share, most harmful (CRM textbook)",
         "Customers leaving because of the firm's own mistakes, such as poor products, neglect "
         "or ignored complaints.",
         "因企业自身的过错（如产品粗劣、怠慢客户、不理会意见）而离开。"),
    Term("进攻策略", "attack strategy", 4, "course", "against competitive churn (CRM textbook)",
         "Answering a competitor head-on with better products, service or offers in order to win "
         "customers.",
         "以更好的产品、服务或优惠正面迎击竞争对手、争取客户。"),
    Term("防守策略", "defence strategy", 4, "course", "against competitive churn (CRM textbook)",
         "Protecting existing customers with better service and prices while the firm cannot yet "
         "take on a competitor head-on.",
         "暂时无力正面竞争时，以更好的服务和优惠价格保住现有客户。"),
    Term("撤退策略", "retreat strategy", 4, "course", "against competitive churn (CRM textbook)",
         "Giving up a product or customer group whose outlook is poor, to use the resources "
         "elsewhere.",
         "前景不利时放弃某种产品或某类客户，把资源用到别处。"),
    Term("流失预警", "churn early warning", 4, "course", "manages customer status (textbook Q5)",
         "Spotting customers who are likely to leave soon, so that the firm can act before they "
         "go.",
         "及早发现可能很快离开的客户，以便在他们离开前采取行动。"),
    Term("生存分析", "survival analysis", 4, "workbook", "",
         "Methods for the time until an event, such as how long customers stay before they leave.",
         "研究某一事件发生之前所经历时间的方法，例如客户离开前留了多久。"),
    Term("删失", "censoring", 4, "workbook", "",
         "Knowing only that a customer had not yet left when observation ended, not when they "
         "will leave.",
         "观察结束时客户还没有离开，只知道其留存时间比观察期长，不知道何时离开。"),
    Term("左截断", "left truncation", 4, "workbook", "",
         "Seeing customers who joined before observation began only from its first day, so that "
         "they count only from then on.",
         "观察开始前就已加入的客户只能从观察开始那天起看到，因此只从那时起计入。"),
    Term("Kaplan-Meier估计", "Kaplan-Meier", 4, "workbook", "Kaplan & Meier 1958",
         "A way of estimating the share of customers still staying after each length of time "
         "that makes correct use of the customers who have not left yet.",
         "估计客户在每个时长之后仍然留下的比例的方法，能正确利用尚未离开的客户的信息。"),
    Term("中位生存时间", "median lifetime", 4, "workbook", "",
         "The time by which half of the customers have left; unknown if more than half are still "
         "there when observation ends.",
         "一半客户已经离开的时间；如果观察结束时仍有一半以上客户留下，就无从得知。"),
    Term("对数秩检验", "log-rank test", 4, "workbook", "",
         "A test of whether two or more groups of customers stay for different lengths of time, "
         "comparing the whole curves of the share still staying over time.",
         "检验两组或多组客户留存时间是否不同的方法，比较的是随时间变化的整条留存比例曲线。"),
    Term("风险率", "hazard", 4, "workbook", "",
         "The chance that a customer who is still there leaves in the next short stretch of time.",
         "仍然留下的客户在接下来很短一段时间内离开的可能性。"),
    Term("Cox模型", "Cox model", 4, "workbook", "Cox 1972",
         "A regression for time to leaving that estimates how many times each customer trait "
         "multiplies the risk of leaving at any moment, without fixing how that risk changes "
         "over time.",
         "分析离开时间的回归方法，估计每项客户特征使任一时刻离开的风险变为原来的多少倍，"
         "不需假定这种风险随时间怎样变化。"),
    Term("风险比", "hazard ratio", 4, "workbook", "",
         "How many times more likely one group is to leave at any moment than another, or what "
         "one unit more of a trait multiplies that risk by; below 1 means customers stay longer.",
         "某一组在任一时刻离开的可能性是另一组的多少倍，或某特征每多一个单位使这种风险乘以多少；"
         "小于1表示客户留得更久。"),
    Term("Efron结点处理", "Efron ties", 4, "workbook", "Efron 1977",
         "Efron's way of handling several customers who leave at the same recorded time, as "
         "happens when time is counted in whole months, in a model of time to leaving.",
         "在分析离开时间的模型中，处理多位客户在同一记录时间离开（如时间按整月计算）的Efron方法。"),
    Term("比例风险", "proportional hazards", 4, "workbook", "",
         "The assumption that a trait multiplies the risk of leaving by the same factor however "
         "long customers have been there.",
         "一种假定：某项特征使离开风险放大的倍数，不随客户已经留下多久而改变。"),
    Term("Schoenfeld残差", "Schoenfeld residuals", 4, "workbook", "Schoenfeld 1982",
         "Differences, at each departure, between the leaver's trait and the value the model "
         "expected; if they drift with time, the trait's effect changes over time.",
         "每次有客户离开时，离开者的特征值与模型预期值之差；若它随时间呈现趋势，"
         "说明该特征的影响随时间变化。"),
    Term("逻辑回归", "logistic regression", 4, "workbook", "",
         "A regression that predicts the probability of a yes-or-no outcome, such as whether a "
         "customer will leave.",
         "预测'是或否'结果（如客户是否会离开）发生概率的回归方法。"),
    Term("发生比", "odds", 4, "workbook", "odds are 发生比 throughout the workbook",
         "The chance that something happens divided by the chance that it does not: a 20% "
         "chance of leaving gives 0.2 / 0.8 = 0.25.",
         "某事发生的概率除以不发生的概率：离开的概率为20%时，两者之比为0.2 / 0.8 = 0.25。"),
    Term("优势比", "odds ratio", 4, "workbook",
         "also called 比值比; the ratio of two 发生比 (odds)",
         "How many times the odds (the chance of yes divided by the chance of no) are multiplied "
         "by a change in a trait.",
         "某特征变化时，发生比（'是'的概率与'否'的概率之比）变为原来的多少倍。"),
    Term("曲线下面积", "AUC", 4, "workbook", "area under the ROC curve",
         "The chance that a model gives a randomly chosen leaver a higher risk score than a "
         "randomly chosen stayer: 0.5 is guessing, 1 is perfect.",
         "随机取一位离开者和一位留下者，模型给离开者打出更高风险分的概率：0.5相当于瞎猜，"
         "1为完美。"),
    Term("提升度", "lift", 4, "workbook", "",
         "How many times more common leavers are among the customers a model ranks highest than "
         "among all customers.",
         "模型排在最前面的客户中离开者的比例，是全体客户中这一比例的多少倍。"),
    Term("精确率", "precision", 4, "workbook", "",
         "Of the customers a rule or model flags, the share that really are what was flagged, "
         "for example really left.",
         "被规则或模型标记出来的客户中确实属实（例如真的离开了）的比例。"),
    Term("召回率", "recall", 4, "workbook", "",
         "Of the customers that really are what is sought, for example all leavers, the share "
         "that a rule or model flags.",
         "真正符合条件的客户（例如所有离开者）中被规则或模型标记出来的比例。"),
    Term("校准", "calibration", 4, "workbook", "",
         "Whether predicted probabilities match what happens: of the customers given 20%, about "
         "20% should leave.",
         "预测概率是否与实际相符：预测为20%的客户中应有大约20%离开。"),
    Term("留出样本", "holdout", 4, "workbook", "",
         "Data kept aside while a model is fitted and used only to check its predictions.",
         "拟合模型时放在一边不用、只用来检验预测的数据。"),
    Term("同期群", "cohort", 4, "workbook", "",
         "A group of customers who started in the same period and are followed together over "
         "time.",
         "在同一时期开始购买、并随时间一起追踪的一组客户。"),
    Term("流失风险价值", "value at risk", 4, "workbook", "",
         "A customer's value multiplied by the probability of losing the customer, that is, the "
         "value the firm expects to lose.",
         "客户价值乘以其流失概率，即企业预计会损失的价值。"),
    # 5. Customer value (客户价值): §5, notebook 05
    Term("客户价值", "customer value", 5, "course",
         "what a customer is worth to the firm (value to the firm, not value to the customer)",
         "What a customer is worth to the firm, usually the profit the customer brings now and "
         "in future.",
         "一位客户对企业的价值，通常指其现在和将来带来的利润。"),
    Term("客户价值金字塔", "customer value pyramid", 5, "course",
         "keep VIPs' value, move customers up toward VIP (CRM slides)",
         "A picture that stacks customers by value, with a few very valuable ones at the top and "
         "many small ones at the bottom.",
         "按价值把客户分层画成金字塔：顶端是少数高价值客户，底部是大量小客户。"),
    Term("量化评估体系", "quantified evaluation system", 5, "course",
         "customer profit, influence, loyalty, potential, satisfaction (CRM slides)",
         "Scoring each customer with numbers on profit, influence, loyalty, potential and "
         "satisfaction.",
         "用数字从利润、影响力、忠诚度、潜力和满意度五方面给每位客户打分。"),
    Term("客户利润", "customer profit", 5, "course", "evaluation dimension 1 (CRM slides)",
         "What a customer brings in minus what it costs to sell to and serve that customer.",
         "客户带来的收入减去向其销售和为其服务的成本。"),
    Term("客户影响力", "customer influence", 5, "course", "evaluation dimension 2 (CRM slides)",
         "How far a customer sways other buyers, for example through recommendations or its "
         "standing in the market.",
         "客户左右其他买家的程度，例如通过推荐或其市场地位。"),
    Term("客户潜力", "customer potential", 5, "course", "evaluation dimension 4 (CRM slides)",
         "How much more a customer could buy from the firm in future.",
         "客户将来还可能向企业多买多少。"),
    Term("客户终身价值", "customer lifetime value", 5, "course",
         "CLV; customer value is predicted so (textbook Q8)",
         "The total profit a customer is expected to bring over the whole relationship, with "
         "future amounts counted at today's value.",
         "客户在整个关系期间预计带来的利润总和，将来的钱折算成今天的价值。"),
    Term("合同型关系", "contractual setting", 5, "workbook", "",
         "A business in which customers must say when they leave, such as a phone contract, so "
         "every departure is seen.",
         "客户离开时必须告知（如电话合约）、因此每次离开都看得见的业务。"),
    Term("非合同型关系", "non-contractual setting", 5, "workbook", "",
         "A business in which customers can stop buying without telling anyone, so nobody knows "
         "for sure who is still a customer.",
         "客户可以不打招呼就停止购买、因此无法确知谁仍是客户的业务。"),
    Term("BG/NBD模型", "BG/NBD", 5, "workbook", "Fader, Hardie & Lee 2005",
         "A model for customers who can leave silently: while active each buys at their own "
         "steady random pace, and after each purchase may drop out for good.",
         "用于可能悄然离开的客户的模型：活跃时每人按自己的平均速度随机购买，"
         "每次购买后都有一定概率永远离开。"),
    Term("Gamma-Gamma模型", "Gamma-Gamma", 5, "workbook", "Fader, Hardie & Lee 2005",
         "A model of spend per purchase in which each customer's amounts vary around their own "
         "average and these averages differ between customers.",
         "描述每次购买金额的模型：每位客户的金额围绕自己的平均值波动，"
         "而各客户的平均值又彼此不同。"),
    Term("存活概率", "P(alive)", 5, "workbook", "",
         "The estimated probability that a customer who has not bought for a while is still a "
         "customer.",
         "估计一段时间没有购买的客户仍然是客户的概率。"),
    Term("高斯超几何函数", "Gaussian hypergeometric function", 5, "workbook",
         "scipy.special.hyp2f1",
         "A standard mathematical function, available in scientific software, that appears in "
         "the BG/NBD formula for expected future purchases.",
         "一个标准的数学函数（科学计算软件中都有），出现在BG/NBD模型预测未来购买次数的公式里。"),
    Term("最大似然估计", "maximum likelihood", 5, "workbook", "",
         "Choosing the values of a model's unknown numbers that make the observed data most "
         "probable.",
         "选取模型中未知数的取值，使观察到的数据出现的概率最大。"),
    # 6. CRM systems and strategy (客户关系管理系统): §6, notebook 06
    Term("客户关系管理系统", "CRM system", 6, "course", "",
         "Software that keeps all customer information in one place and supports marketing, "
         "sales and service.",
         "把所有客户信息集中在一起、支持营销、销售和服务工作的软件。"),
    Term("接触管理", "contact management", 6, "course", "1980s forerunner of CRM (CRM slides)",
         "The 1980s forerunner of CRM: recording every contact between the firm and its "
         "customers.",
         "客户关系管理在1980年代的前身：记录企业与客户之间的每一次联系。"),
    Term("客户关怀", "customer care", 6, "course",
         "early-1990s stage of CRM (CRM slides); too little care drives 2/3 of leavers away "
         "(Chen 2011)",
         "Looking after customers beyond the sale; also the name of the early-1990s stage of CRM "
         "built on service call centres.",
         "在买卖之外关心和照顾客户；也是1990年代初以电话服务中心为基础的一个发展阶段的名称。"),
    Term("分析型客户关系管理", "analytical CRM", 6, "course", "the 'back office' CRM (Chen 2011)",
         "Using stored customer data to find patterns, such as buying cycles, and to plan "
         "actions for each customer.",
         "利用积累的客户数据发现规律（如购买周期），并为每位客户安排相应的措施。"),
    Term("客户信息管理", "customer information management", 6, "course",
         "CRM function 1 (CRM slides)",
         "Keeping complete, shared records of every customer, such as profile, purchases, "
         "satisfaction, credit and account manager.",
         "完整、共享地保存每位客户的资料，如基本资料、消费、满意度、信用和客户经理。"),
    Term("客户经理", "account manager", 6, "course",
         "paid on satisfaction in the textbook's case (CRM textbook)",
         "The staff member responsible for a customer, who also speaks for that customer inside "
         "the firm.",
         "负责某些客户、并在企业内部代表这些客户说话的员工。"),
    Term("呼叫中心", "call centre", 6, "course", "service management (CRM slides)",
         "A team that handles customers' calls and messages, such as orders, questions, "
         "complaints and repair requests.",
         "集中处理客户电话和消息（下单、咨询、投诉、报修等）的部门。"),
    Term("销售自动化", "sales force automation", 6, "course", "SFA (CRM slides)",
         "Software that handles routine sales work such as contacts, schedules, sales "
         "opportunities and forecasts.",
         "处理日常销售工作（联系人、日程、商机、预测等）的软件功能。"),
    Term("营销自动化", "marketing automation", 6, "course", "(CRM slides)",
         "Software that plans, runs and measures marketing campaigns and manages the lists of "
         "customers they target.",
         "策划、执行和评估营销活动并管理目标客户名单的软件功能。"),
    Term("服务管理", "service management", 6, "course", "CRM function (CRM slides)",
         "Handling service work such as enquiries, complaints, repairs and follow-up visits, "
         "often through a call centre.",
         "处理咨询、投诉、维修和回访等服务工作，常通过呼叫中心进行。"),
    Term("渠道管理", "channel management", 6, "course", "CRM function (CRM slides)",
         "Giving customers the same information and service whichever way they reach the firm: "
         "in person, by phone, online or through partners.",
         "无论客户通过哪种方式（面谈、电话、网络、合作伙伴）接触企业，都提供一致的信息和服务。"),
    Term("4P理论", "the 4Ps", 6, "course",
         "McCarthy's marketing mix, which CRM builds on (Yihai article)",
         "The classic marketing mix of product, price, place and promotion.",
         "经典的营销组合：产品、价格、渠道和促销。"),
    Term("随机实验", "randomised experiment", 6, "workbook", "",
         "Deciding by chance which customers receive an action, so that the groups differ only "
         "by the action and its effect can be measured fairly.",
         "用随机的方式决定哪些客户接受某项措施，使各组只在措施上不同，从而公平地测量其效果。"),
    Term("增益", "uplift", 6, "workbook", "",
         "The extra effect an action has on one customer compared with doing nothing, for "
         "example how much a retention call raises that customer's chance of staying.",
         "对某位客户采取措施比不采取时多出的效果，例如一次挽留电话使这位客户留下的概率提高多少。"),
    Term("Qini曲线", "Qini curve", 6, "workbook", "Radcliffe 2007",
         "A curve of the total extra effect gained as more customers are targeted in the order a "
         "model ranks them by expected extra effect; the higher above the line for random "
         "targeting, the better.",
         "按模型估计的额外效果从高到低依次选择客户时，累计额外效果的曲线；"
         "比随机选择的直线高得越多越好。"),
    Term("双重差分", "difference in differences", 6, "workbook", "",
         "Estimating an effect by comparing how much a treated group changed over time with how "
         "much a similar untreated group changed over the same time.",
         "用接受措施的一组前后的变化减去相似的未接受措施的一组同期的变化，来估计效果的方法。"),
    Term("记录链接", "record linkage", 6, "workbook", "Fellegi & Sunter 1969",
         "Finding which records in one or more lists belong to the same customer, even when "
         "names or addresses are written differently.",
         "找出一个或多个名单中哪些记录属于同一客户，即使名称或地址写法不同。"),
    Term("标准误", "standard error", 6, "workbook", "",
         "How much an estimate would vary from sample to sample; about two of them either side "
         "of the estimate give a 95% interval.",
         "估计值在不同样本之间会变动多少；估计值左右各约两个它构成95%的区间。"),
    Term("聚类标准误", "clustered standard error", 6, "workbook", "Cameron & Miller 2015",
         "A standard error that allows the observations of one group (a region, a customer) to "
         "move together instead of treating them as independent.",
         "允许同一组（如一个地区）内的观测一起变动、而不把它们当作相互独立来计算的标准误。"),
    Term("置换检验", "permutation test", 6, "workbook", "crmlab.rollout.did",
         "Checking a result by reshuffling who was treated many times and counting how often the "
         "reshuffled data give an effect at least as large.",
         "把谁接受了措施多次随机重排，数一数重排后的数据有多少次得到同样大或更大的效果。"),
    Term("事件研究", "event study", 6, "workbook", "crmlab.rollout.event_study",
         "Estimating an effect separately for each period before and after a change, so that one "
         "sees when it starts and whether anything moved before.",
         "对变化前后的每一期分别估计效果，看效果何时出现、变化之前是否已有变动。"),
    Term("平行趋势", "parallel trends", 6, "workbook", "Angrist & Pischke 2009",
         "The assumption that, without the change, the treated and the comparison groups would "
         "have moved in step over time.",
         "假设如果没有这项变化，处理组和对照组会随时间同步变动。"),
    Term("相对风险", "risk ratio", 6, "workbook", "Mantel & Haenszel 1959",
         "The share of one group with an outcome (such as churning) divided by that share in "
         "another group; 0.6 means 40% fewer.",
         "一组中发生某结果（如流失）的比例除以另一组的该比例；0.6表示少40%。"),
    Term("主键", "primary key", 6, "workbook", "crmlab/crm/schema.sql",
         "The column or columns whose value names each row of a database table once and only once.",
         "数据库表中能唯一标识每一行的一列或几列。"),
    Term("外键", "foreign key", 6, "workbook", "crmlab/crm/schema.sql",
         "A column whose every value must exist as a key of another table, such as the customer of "
         "an order.",
         "其每个值都必须是另一张表中已有键值的列，例如订单中的客户编号。"),
    # 7. The course's exercises (思考和练习题): §7
    Term("思考和练习题", "review questions and exercises", 7, "course", "(CRM textbook)",
         "The questions at the end of a textbook chapter that let students check and apply what "
         "they have learned.",
         "教材章末帮助学生检查和运用所学内容的题目。"),
    Term("中小商户", "small and medium merchants", 7, "course",
         "not a classification by status (textbook Q4)",
         "Small and medium businesses that sell goods; a kind of customer by size, not by status.",
         "规模中小的商家；是按规模而不是按状态划分的客户类型。"),
    Term("实训", "practical training", 7, "course", "(CRM textbook)",
         "A hands-on group task in which students apply the course to a real firm.",
         "学生分组把课程内容用到真实企业上的实践任务。"),
    Term("关键客户", "key customer", 7, "course",
         "identify a firm's key customers (CRM textbook, practical task)",
         "A customer who matters most to the firm's results and deserves special attention; the "
         "course asks students to learn to pick them out.",
         "对企业业绩最重要、值得特别关注的客户；课程要求学生学会把他们找出来。"),
)
# fmt: on

#: Other English spellings that find a term: fuller wordings, abbreviations, US spellings.
EN_ALIASES: dict[str, str] = {
    "CRM": "客户关系管理",
    "customer relationship management (CRM)": "客户关系管理",
    "customer-centered": "以客户为中心",
    "customer acquisition cost (CAC)": "客户获取成本",
    "CAC": "客户获取成本",
    "Pareto principle": "二八定律",
    "80/20 rule (Pareto principle)": "二八定律",
    "conscious (intentional) loyalty": "意识忠诚",
    "intentional loyalty": "意识忠诚",
    "interest (price) loyalty": "利益忠诚",
    "behavioral loyalty": "行为忠诚",
    "affiliated behavior": "从属行为",
    "defense strategy": "防守策略",
    "call center": "呼叫中心",
    "gray list": "灰名单",
    "CLV": "客户终身价值",
    "SFA": "销售自动化",
    "4Ps": "4P理论",
    "marketing mix": "4P理论",
    "Gini": "基尼系数",
    "CI": "置信区间",
    "p value": "p值",
    "Cronbach alpha": "克朗巴哈系数",
    "coefficient alpha": "克朗巴哈系数",
    "reliability of a scale": "信度",
    "varimax rotation": "方差最大化旋转",
    "reverse scoring": "反向计分",
    "straight-liner": "直线作答",
    "expected counts below 5": "期望频数小于5的比例",
    "share_expected_below_5": "期望频数小于5的比例",
    "Cramer's V": "克莱姆V系数",
    "IPA": "重要性-绩效分析",
    "RFM": "RFM分析",
    "monetary value": "消费金额",
    "k-means": "K均值聚类",
    "silhouette score": "轮廓系数",
    "silhouette width": "轮廓系数",
    "ARI": "调整兰德指数",
    "ABC analysis": "ABC分类",
    "Spearman correlation": "斯皮尔曼等级相关",
    "Spearman's rho": "斯皮尔曼等级相关",
    "Dick and Basu matrix": "忠诚矩阵",
    "Kaplan-Meier estimator": "Kaplan-Meier估计",
    "Kaplan Meier": "Kaplan-Meier估计",
    "median survival time": "中位生存时间",
    "log rank test": "对数秩检验",
    "logrank test": "对数秩检验",
    "hazard rate": "风险率",
    "Cox proportional hazards model": "Cox模型",
    "Cox regression": "Cox模型",
    "Efron's method": "Efron结点处理",
    "proportional hazards assumption": "比例风险",
    "Schoenfeld residual": "Schoenfeld残差",
    "area under the ROC curve": "曲线下面积",
    "ROC AUC": "曲线下面积",
    "hold-out": "留出样本",
    "BG/NBD model": "BG/NBD模型",
    "Gamma-Gamma model": "Gamma-Gamma模型",
    "probability alive": "存活概率",
    "hypergeometric function": "高斯超几何函数",
    "randomized experiment": "随机实验",
    "uplift modelling": "增益",
    "uplift modeling": "增益",
    "Qini": "Qini曲线",
    "difference-in-differences": "双重差分",
    "DiD": "双重差分",
}

#: English shared by several Chinese terms -> the entry English lookups give.
PREFERRED: dict[str, str] = {
    # the general term, not the loyalty measure 对价格的敏感程度 (CRM slides)
    "price sensitivity": "价格敏感度",
}
