"""Every size that drives memory or time, in one place, each checked before anything is allocated.

A scenario, an upload or a command-line flag that asks for more than one of these limits is
refused with a message naming the field, the value and the limit, so that a valid-looking
number (``sites.list.0.count: 1000000000``, ``--samples 100000000``) never turns into an
out-of-memory crash or an hour of computing. The limits are generous for real use: a
10,000-site portfolio with a location per site loads, and one million Monte Carlo samples run.

The ``APP_`` limits bound what one visitor can make the Streamlit app do, which may be served
beyond localhost: the work of one Monte Carlo run (:func:`check_monte_carlo`), how many run at
once, and the memory the app's process-wide caches keep across sessions. Their worst cases add
up to under 1 GiB whatever visitors upload (docs/security.md):

- parsed trees, ``APP_KEPT_SOURCE_BYTES``: about 260 MiB;
- loaded scenarios, ``APP_KEPT_SITE_GROUPS``: about 60 MiB;
- results with the scenarios they hold, ``APP_KEPT_SITE_GROUPS``: about 350 MiB;
- the loader's records of scenarios, ``SCENARIO_RECORDS_SITE_ENTRIES``: about 100 MiB;
- figures, ``APP_KEPT_FIGURE_POINTS``: about 65 MiB;
- Monte Carlo runs, ``APP_KEPT_SIMULATION_BYTES``: 96 MiB.

The memory rates quoted below were measured with ``tracemalloc`` on uploads of 1 to 20,000
site groups (60 and 240 months).
"""

from __future__ import annotations

from .errors import EdgecalcError

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

APP_MONTE_CARLO_CELLS = 40_000_000
"""Most cells one Monte Carlo run of the app computes: samples x (months x (site groups + 2) +
ranged inputs), see :func:`monte_carlo_cells` [cells].

The engine's time and memory follow this product: it evaluates every site group every month
of every sample, plus about two groups' worth a month for the options' cumulative costs and
the fan, and draws and keeps every ranged input per sample. Measured at 0.15 to 0.25 us per
cell on one core (the 40-group ``store-portfolio`` at 10,000 and 20,000 samples over 60 months,
5,000 over 240; a one-site scenario at 50,000 over 240), 40 million cells take about 8 s: the
page shows a progress bar, not a wait of minutes. The shipped store portfolio runs 10,000
samples (26 million cells), not 50,000 (129 million: 30 s, 120 s and 1.2 GB over 240 months);
a one-site scenario runs 50,000 over 240 months (37 million). The library and the command line
do not apply it unless asked (``simulate(..., bounded=True)``): their user owns the machine."""

APP_MONTE_CARLO_PROBES = 10_000
"""Most ranged inputs x site groups of a Monte Carlo run of the app, see
:func:`check_monte_carlo` [count].

Before sampling, every ranged input is resolved at both ends to find those that act only
through the resolver (``Simulation.warnings``): two resolutions of every site group per
ranged input, about 1 ms per input and group (0.64 ms at 40 groups, 1.0 ms at 100). Every
group with an estimated RTT is a ranged input of its own, so this grows as the square of
the groups: 10,000 is about 10 s, once per scenario (the answer is remembered). The shipped
store portfolio is 59 x 40 = 2,360; a scenario of about 90 groups with estimated RTTs is the
most the app samples (200 groups took 49 s, 2,000 would take over an hour). The tornado and
the flips search cost about as much (12 s at 90 groups)."""

APP_MONTE_CARLO_RUNS = 2
"""Monte Carlo runs (and tornado/flips searches) the app carries out at once, whatever the
number of sessions; a visitor beyond them waits a little, then is asked to try again [count].

One run already uses every core of the process (its batches run on threads); a second one
shares them, so that a long run of one visitor does not block the short one (1,000 samples)
of the Decide page; more would only make every run slower and add their memory."""

APP_KEPT_SOURCE_BYTES = 2 * 1024 * 1024
"""Bytes of source text whose parsed trees the app keeps for edits (an upload counts its
size, a shipped file its size on disk) [bytes].

A parsed tree holds every node of the YAML with its line and column: about 40 bytes per byte
of a real scenario (a 0.8 MiB upload of 8,500 sites: 31 MiB), up to 130 for a valid file of
bare flow lists that the schema then refuses (the tree is parsed before it is validated).
Two full-size uploads (``SCENARIO_FILE_BYTES``) fit: at most about 260 MiB. A tree dropped
is parsed again on the next edit of its source (seconds for 1 MiB)."""

APP_KEPT_SITE_GROUPS = 24_000
"""Site groups (``sites.list`` entries; 1 for ``sites.count``) of the loaded scenarios the
app keeps, and, separately, of the results it keeps [count].

A loaded scenario takes about 1 to 2.5 kB per entry (at most about 60 MiB here) and a result
about 12 kB per group (with the scenario it holds, at most about 350 MiB), plus about 13 kB
and 230 kB for the scenario as a whole (at most 256 scenarios and 128 results, by count).
The largest scenario (``SITE_ENTRIES``) fits, so that the one a visitor works on is not
evaluated again on every click; a smaller one is dropped, least recently used first."""

APP_KEPT_FIGURE_POINTS = 200_000
"""Points of the figures the app keeps (the points of every trace, plus 300 for the figure
itself) [count].

A figure takes about 0.3 kB per point (the map of 8,500 site groups: 2.7 MiB) and 50 to
100 kB for itself (about 300 points' worth): at most about 65 MiB. The map of the largest
scenario (``SITE_ENTRIES`` groups) fits."""

APP_KEPT_SIMULATION_BYTES = 96 * 1024 * 1024
"""Bytes of the per-sample arrays (and fan) of the Monte Carlo runs the Uncertainty page keeps
[bytes] (96 MiB).

A run keeps about 8 bytes x (5 x options + pairs + ranged inputs) per sample: 7 MB for the
store portfolio at 10,000 samples, 16 MB for a one-site scenario at 50,000; a run larger than
this (many ranged inputs and 50,000 samples) is shown and not kept."""

SCENARIO_RECORDS = 1_000
"""Loaded scenarios whose origin (file, ``extends`` chain, overrides: ``scenario_source``)
the loader remembers, least recently used dropped first [count]."""

SCENARIO_RECORDS_SITE_ENTRIES = 40_000
"""Site entries (``sites.list`` entries; 1 for ``sites.count``) of the scenarios whose
origin the loader remembers [count].

Each record holds its scenario: about 1 to 2.5 kB per entry, at most about 100 MiB. More than
the app keeps (``APP_KEPT_SITE_GROUPS``), so that a scenario the app holds keeps its record
(without one it is loaded again); the newest record is always kept, so a library user's
scenario of ``SITE_ENTRIES`` entries has one."""


class MonteCarloTooLarge(EdgecalcError):
    """A Monte Carlo run over an app limit (:func:`check_monte_carlo`), refused before any work.

    Attributes
    ----------
    samples_allowed : int
        The most samples the run may have under the limits; 0 when none (too many ranged
        inputs x site groups) [samples].
    """

    def __init__(self, message: str, samples_allowed: int) -> None:
        super().__init__(message)
        self.samples_allowed = samples_allowed


def monte_carlo_cells(samples: int, groups: int, months: int, ranged: int) -> int:
    """Cells of a Monte Carlo run, the measure ``APP_MONTE_CARLO_CELLS`` bounds [cells].

    Parameters
    ----------
    samples : int
        Samples of the run [samples].
    groups : int
        Site groups (``sites.list`` entries; 1 for ``sites.count``) [count].
    months : int
        ``horizon_months`` [months].
    ranged : int
        Ranged inputs sampled (the scenario's ranges, default ranges, estimated RTTs) [count].

    Returns
    -------
    int
        ``samples x (months x (groups + 2) + ranged)``.

    Examples
    --------
    >>> monte_carlo_cells(10_000, groups=40, months=60, ranged=59)
    25790000
    """
    return samples * (months * (groups + 2) + ranged)


def monte_carlo_samples_allowed(groups: int, months: int, ranged: int) -> int:
    """The most samples an app run of this size may have [samples]; 0 when none may run.

    Examples
    --------
    >>> monte_carlo_samples_allowed(groups=40, months=60, ranged=59)
    15509
    >>> monte_carlo_samples_allowed(groups=100, months=60, ranged=119)  # 11,900 probes
    0
    """
    if ranged * groups > APP_MONTE_CARLO_PROBES:
        return 0
    return min(SAMPLES, APP_MONTE_CARLO_CELLS // monte_carlo_cells(1, groups, months, ranged))


def check_monte_carlo(samples: int, groups: int, months: int, ranged: int) -> None:
    """Refuse an app Monte Carlo run over ``APP_MONTE_CARLO_PROBES`` or ``APP_MONTE_CARLO_CELLS``.

    Parameters are those of :func:`monte_carlo_cells`. ``ranged=0`` checks a lower bound
    before the scenario is resolved (the app does, to refuse at once what is too large
    whatever its ranges).

    Raises
    ------
    MonteCarloTooLarge
        Naming the sizes, the limit and how many samples are allowed.

    Examples
    --------
    >>> check_monte_carlo(10_000, groups=40, months=60, ranged=59)  # 25,790,000 cells
    >>> check_monte_carlo(50_000, groups=40, months=60, ranged=59)
    Traceback (most recent call last):
    ...
    edgecalc.limits.MonteCarloTooLarge: samples: 50,000 asked for; ...
    """
    probes = ranged * groups
    if probes > APP_MONTE_CARLO_PROBES:
        raise MonteCarloTooLarge(
            f"ranged inputs x site groups: {ranged:,} x {groups:,} = {probes:,}; the app's "
            f"Monte Carlo takes at most {APP_MONTE_CARLO_PROBES:,} (each ranged input is "
            "resolved for every site group before sampling). Run `edgecalc simulate FILE` on "
            "your own machine, or merge site groups (each group with an estimated RTT is a "
            "ranged input of its own)",
            0,
        )
    cells = monte_carlo_cells(samples, groups, months, ranged)
    if cells > APP_MONTE_CARLO_CELLS:
        allowed = monte_carlo_samples_allowed(groups, months, ranged)
        per_sample = monte_carlo_cells(1, groups, months, ranged)
        raise MonteCarloTooLarge(
            f"samples: {samples:,} asked for; with {groups:,} site group(s) over {months:,} "
            f"months and {ranged:,} ranged inputs a sample is {per_sample:,} cells "
            f"(months x (groups + 2) + ranged inputs), and one run in the app is at most "
            f"{APP_MONTE_CARLO_CELLS:,} cells: at most {allowed:,} samples here. "
            "`edgecalc simulate FILE --samples N` on your own machine has no such limit",
            allowed,
        )
