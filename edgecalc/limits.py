"""Every size that drives memory or time, in one place, each checked before anything is allocated.

A scenario, an upload or a command-line flag that asks for more than one of these limits is
refused with a message naming the field, the value and the limit, so that a valid-looking
number (``sites.list.0.count: 1000000000``, ``--samples 100000000``) never turns into an
out-of-memory crash or an hour of computing. The limits are generous for real use: a
10,000-site portfolio with a location per site loads, and one million Monte Carlo samples run.
"""

from __future__ import annotations

SCENARIO_FILE_BYTES = 1024 * 1024
"""Largest scenario file read or uploaded (1 MiB); checked while reading [bytes]."""

YAML_ALIAS_NODES = 100_000
"""Nodes that aliases may add to a YAML document on top of those written out ("billion
laughs" guard): a file with no aliases is never refused by this limit [count]."""

YAML_NESTING_DEPTH = 64
"""Deepest nesting of mappings and lists in a scenario file (the deepest real scenario is about
six levels) [levels]."""

NUMBER_DIGITS = 30
"""Longest integer literal in a scenario file: no field needs more, and a float carries only
about 16 significant digits [digits]."""

NUMBER_MAGNITUDE = 1e15
"""Largest magnitude of any number in a scenario (a million billion: more than any price,
rate, byte count or parameter count a real deployment has), so that products of inputs stay
finite [same unit as the field]."""

TEXT_CHARS = 10_000
"""Longest text value in a scenario (a description) [characters]."""

NAME_CHARS = 200
"""Longest name (of the scenario, a site, the model) shown in reports [characters]."""

SITE_ENTRIES = 20_000
"""Most entries in ``sites.list`` [count]."""

SITES_FILE_BYTES = 8 * 1024 * 1024
"""Largest sites CSV (``sites.file``) read (8 MiB: 20,000 rows of about 400 characters);
checked while reading [bytes]."""

SITES_FILE_COLUMNS = 64
"""Most columns in a sites CSV (the known columns are fewer; the rest are refused by name)
[count]."""

PROBLEMS = 100
"""Most problems one validation reports, one per bad field or row; the rest are counted
("and 1,234 more problems") [count]."""

SITES_TOTAL = 100_000
"""Most sites a scenario stands for: the sum of ``count`` over ``sites.list``, or
``sites.count`` [count]."""

SAMPLES = 1_000_000
"""Most Monte Carlo samples one run draws (``--samples``) [count]."""

EXTENDS_DEPTH = 10
"""Longest chain of ``extends`` [files]."""

ROLLOUT_DEVICE_RUNS = 10_000_000
"""Most device-runs the rollout Monte Carlo follows (fleet devices times
``operations.simulation_runs``): about 75 bytes each, so at most about 0.75 GB [count]."""

ROLLOUT_WAVES = 1_000
"""Most waves a rollout has after its canary (``operations.waves``) [count]."""

ROLLOUT_DAYS = 3_650
"""Longest rollout the rollout Monte Carlo simulates: ten years from release to the last
site visit (waves times ``days_between_waves`` and ``pause_days``, plus
``site_visit_after_days``) [days]."""

NUMBER_SMALLEST = 1e-12
"""Smallest magnitude of a number other than zero in a scenario: a throughput of 1e-300 per
second would make the fleet infinite [same unit as the field]."""

SWEEP_POINTS = 100_000
"""Most points of a sweep grid (the product of the number of values of each input) [count]."""
