# Reference values of tests/test_reference_survival.py::test_cox_company_late_entry_against_R_and_lifelines
# (notebook 04's Cox model on the committed company). R 4.2.2, survival 3.5-3.
#
# 1. Write the design matrix from Python (crmlab's survival_frame and design_matrix):
#      from crmlab import datasets, survival as sv
#      company = datasets.load_company()
#      life = sv.survival_frame(company["customers"], company["churn"], as_of="2024-12-31",
#                               grain="month", start="2022-01-01")
#      life = life.join(company["customers"].set_index("customer_id")[["size", "region", "channel"]])
#      traits = ["switching_cost", "price_elasticity", "quality_tolerance", "satisfaction_propensity"]
#      life = life.join(company["truth"].set_index("customer_id")[traits])
#      X = sv.design_matrix(life, covariates=["size", "region", "channel", *traits])
#      life[["entry", "tenure", "churned"]].join(X).to_csv("company_cox.csv", index=False,
#                                                          float_format="%.17g")
# 2. Rscript tests/data/company_cox.R company_cox.csv
library(survival)
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "company_cox.csv", check.names = FALSE)
X <- as.matrix(d[, -(1:3)])
f <- coxph(Surv(d$entry, d$tenure, d$churned) ~ X)  # ties = "efron", the default
options(digits = 12)
print(f$loglik[2])
print(coef(f)[c("Xsize=medium", "Xswitching_cost", "Xsatisfaction_propensity")])
print(concordance(f)$count[c("concordant", "discordant", "tied.x")])
print(cox.zph(f, terms = FALSE)$table["GLOBAL", ])
