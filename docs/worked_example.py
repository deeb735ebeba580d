# %% [markdown]
# # Worked example: should a factory's visual QC run in the cloud or at the edge?
#
# A percent-format script: open it in Jupyter (jupytext), VS Code or Spyder and run it cell by
# cell, or run it whole with `python docs/worked_example.py` from the repository root.
# `tests/test_docs.py` executes it, so what it shows cannot drift from the code.

# %%
import pandas as pd

import edgecalc

SCENARIO = "scenarios/factory-visual-qc.yaml"

scenario = edgecalc.load_scenario(SCENARIO)
result = edgecalc.evaluate(scenario)
print(scenario.name)
print("Recommendation:", result.recommendation)

# %% [markdown]
# ## The summary: one row per option
#
# Totals are over the scenario's horizon, in USD; latency is at the scenario's percentile
# for the worst site. `result.decision.reasons` says why, with its figures.

# %%
columns = [
    "option",
    "feasible",
    "upfront_usd",
    "steady_monthly_usd",
    "total_usd",
    "npv_usd",
    "latency_ms",
]
print(result.summary[columns].round(1).to_string(index=False))
for i, reason in enumerate(result.decision.reasons, 1):
    print(f"{i}. {reason}")

# %% [markdown]
# ## Where the numbers come from
#
# Every effective input with its origin (scenario, catalog, default, estimate, measurement);
# catalog facts carry their source and date.

# %%
from_catalog = result.assumptions[result.assumptions.origin == "catalog"]
print(from_catalog[["path", "value", "unit", "as_of"]].to_string(index=False))

# %% [markdown]
# ## A sweep: how does the answer move with the size of the image?
#
# The cloud is ruled out by the time it takes to upload each 2 MB image. Would a smaller,
# compressed image bring it back?
#
# Re-evaluate with an override for each value (the same call the app and `edgecalc sweep`
# make) and collect one tidy frame.

# %%
sizes_bytes = [100_000, 250_000, 500_000, 1_000_000, 2_000_000]
rows = []
for size in sizes_bytes:
    r = edgecalc.evaluate(SCENARIO, overrides={"workload.request_bytes": size})
    summary = r.summary.set_index("option")
    rows.append(
        {
            "request_bytes": size,
            "recommendation": r.recommendation,
            "cloud_feasible": bool(summary.loc["cloud", "feasible"]),
            "cloud_latency_ms": round(summary.loc["cloud", "latency_ms"], 1),
            **{f"{option}_total_usd": round(usd) for option, usd in summary["total_usd"].items()},
        }
    )
sweep = pd.DataFrame(rows)
print(sweep.to_string(index=False))

# %% [markdown]
# ## Figures
#
# `edgecalc.render.figures` turns a Result into plotly figures (the app draws the same ones). In a
# notebook, leave the figure as the last line of a cell to show it.

# %%
from edgecalc.render import figures as plots  # noqa: E402  (imported where it is first needed)

cumulative = plots.cumulative_cost(result)
breakdown = plots.cost_breakdown(result)
waterfall = plots.latency_waterfall(result, "cloud")
cumulative  # noqa: B018  (the last expression of a cell is what a notebook shows)
