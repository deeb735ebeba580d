"""Monthly cost lines of the cloud, edge and hybrid options.

Inputs come as a mapping from dotted path to an array of shape ``(S,)`` (``S`` samples; 1 for
a deterministic run), already resolved from the scenario and the catalog
(:mod:`edgecalc.pipeline.resolve`). Every function returns :class:`~edgecalc.costs.lines.CostLine`
objects with arrays of shape ``(S, M)``.
"""

from __future__ import annotations

import functools

import numpy as np

from ..operations.expected import stranded_share
from .cloud_bill import CloudDemand, compute_lines, ingest_and_bill_lines, instance_fleet
from .device_traffic import model_paths, telemetry_upload_gb, update_download_gb
from .fleet_lines import cloud_fleet_lines, edge_fleet_lines, failure_unit_usd, fleet_size
from .lines import CostLine, SharedSums, line
from .transfer import tiered_cost_usd
from .volume import growth_factor, monthly_inferences, peak_rate, served

GB = 1e9
"""Bytes in a gigabyte (decimal, as cloud providers bill AWS/Azure traffic) [bytes]."""


DEVICE_FIELDS = ("device_usd", "inferences_per_second_per_device", "power_w", "idle_power_w")
"""The inputs an edge-kind option reads under its own prefix (``hybrid.power_w``); every
other fleet figure is read from ``edge.*`` whatever the option (:func:`edge_lines`)."""


def _same(a, b) -> bool:
    """True when two input arrays hold the same values in the same shape."""
    return a is b or (np.shape(a) == np.shape(b) and bool(np.array_equal(a, b)))


class Load:
    """Volume per site group over time, shared by every option.

    It also holds what one engine run computes once for several options
    (:meth:`shared`): hybrid's devices when they are the edge option's.
    """

    def __init__(self, x, groups, months, samples: int | None = None):
        col = _col(x)
        self._inputs = x
        self._shared: dict = {}
        self.line_sums = SharedSums()
        """Runs of lines that begin several options' lines (hybrid's and edge's on one device),
        summed once (:func:`~edgecalc.costs.lines.monthly_sum_usd`)."""
        self.months = months
        # (S, M) even where growth is held at its point value (shape (1,) among sampled
        # inputs): every option's lines are then (S, M)
        if samples is None:
            samples = max(len(value) for value in x.values())
        factor = growth_factor(col("workload.growth_per_year"), months)
        self.factor = np.broadcast_to(factor, (samples, factor.shape[-1]))
        self.groups = groups
        self.count = [np.round(col(g.count)) for g in groups]
        # every group at once on a leading group axis, (G, S, M): the same numbers as one
        # group at a time (the same operations, element by element), one call for all
        rate = _stacked_column(x, [g.inferences_per_second for g in groups])  # (G, S', 1)
        self.monthly_by_group = monthly_inferences(
            rate,
            col("workload.active_hours_per_day"),
            col("workload.active_days_per_week"),
            self.factor,
        )
        """Inferences of one site of each group per month [1/month] (G, S, M)."""
        self.peak_by_group = peak_rate(rate, col("workload.peak_to_average"), self.factor)
        """Peak inference rate of one site of each group [1/s] (G, S, M)."""
        self.monthly = list(self.monthly_by_group)
        self.peak = list(self.peak_by_group)
        self.total_monthly = sum(c * m for c, m in zip(self.count, self.monthly, strict=True))
        self.total_peak = sum(c * p for c, p in zip(self.count, self.peak, strict=True))
        self.sites = sum(self.count)
        self._total_inferences = None

    @property
    def inputs(self):
        """The inputs this load was built from (the engine run's own mapping): what
        :meth:`shared` shares results for."""
        return self._inputs

    @functools.cached_property
    def worst_month_peak(self) -> np.ndarray:
        """Each site group's highest peak over the months [1/s] (G, S): read by every option's
        uplink check, computed once."""
        return self.peak_by_group.max(axis=-1)

    @functools.cached_property
    def lowest_peak(self) -> float:
        """The lowest peak of any group, sample and month [1/s] (NaN if any is NaN)."""
        return float(np.min(self.peak_by_group))

    @property
    def total_inferences(self) -> np.ndarray:
        """Inferences of every site over the horizon [inferences] (S,)."""
        if self._total_inferences is None:
            self._total_inferences = self.total_monthly.sum(axis=-1)
        return self._total_inferences

    def shared(self, x, key, depends_on, make):
        """``make()``, computed once per run for each distinct value of ``depends_on``.

        Parameters
        ----------
        x : mapping
            The inputs; only the inputs this load was built from share results (any other
            mapping computes afresh).
        key : hashable
            What is computed (a name, plus anything it depends on beyond ``x``).
        depends_on : sequence of ndarray
            The inputs that differ between the options sharing the result: equal values (the
            same shape and numbers, compared exactly) share it.
        make : callable
            Computes the result.
        """
        if x is not self._inputs:
            return make()
        depends_on = tuple(depends_on)
        entries = self._shared.setdefault(key, [])
        for deps, value in entries:
            if all(_same(a, b) for a, b in zip(deps, depends_on, strict=True)):
                return value
        value = make()
        entries.append((depends_on, value))
        return value


def _col(x):
    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    return col


def _stacked_column(x, paths) -> np.ndarray:
    """The inputs at ``paths`` on a leading axis, each a column: shape (len(paths), S, 1),
    inputs held at their point value (shape (1,)) repeated to the sampled ones' length
    [unit of the inputs]; (0, 1, 1) for no paths."""
    values = [np.asarray(x[p], dtype=float) for p in paths]
    if not values:
        return np.zeros((0, 1, 1))
    n = max(len(v) for v in values)
    return np.stack([np.broadcast_to(v, (n,)) for v in values])[:, :, None]


def cloud_lines(
    x, resolved, load: Load, option="cloud", share=None, bytes_path="workload.request_bytes"
) -> list[CostLine]:
    """Cost lines of serving ``share`` of the inferences in the cloud.

    Notes
    -----
    Compute: ``max(min_instances, ceil(peak × share / (throughput × utilisation)))`` instances
    for ``hours_per_month`` at ``usd_per_hour`` (no instances at all when share is 0), or
    ``inferences × share / 1000 × usd_per_1k_requests``. Transfer in: ``inferences × share ×
    request bytes / 1e9 × ingress price``; out: ``inferences × share × response bytes / 1e9``
    at the tiered egress price after the free allowance. Uplink: a site whose peak upload
    ``peak × share × bytes × 8 / 1e6`` exceeds ``uplink × usable fraction`` pays the upgrade.
    Storage of retained raw inputs when the option serves every inference (``share`` None: any
    option of kind cloud, whatever its name; not hybrid's escalations), and operations labour
    (a fraction of an engineer).
    """
    col = _col(x)
    s = resolved.scenario
    shape = load.total_monthly.shape
    whole_workload = share is None  # a cloud option of any name, not hybrid's escalations
    share = np.ones((shape[0], 1)) if share is None else share
    demand = cloud_demand(load, share, bytes_path)
    inferences = demand.inferences
    lines = []
    instance_key = resolved.instance.key if resolved.instance is not None else None
    fleet = instance_fleet(x, s.cloud, demand) if s.cloud.pricing == "instances" else None
    lines += compute_lines(x, s.cloud, instance_key, demand, option, fleet)
    lines += ingest_and_bill_lines(x, s.cloud, demand, option)
    instances = fleet.high if fleet is not None else None
    in_gb = inferences * (col(bytes_path) / GB)
    lines.append(
        line(
            option,
            "transfer",
            "data in (requests)",
            "GB",
            in_gb,
            col("cloud.ingress_usd_per_gb"),
            shape=shape,
            inputs=(bytes_path, "cloud.ingress_usd_per_gb"),
        )
    )
    out_gb = inferences * (col("workload.response_bytes") / GB)
    lines.append(
        egress_line(
            x,
            resolved,
            out_gb,
            shape,
            option,
            "transfer",
            "data out (responses, tiered, after free tier)",
            inputs=("workload.response_bytes", "cloud.egress_free_gb_per_month"),
        )
    )
    upgrade = s.sites.uplink_upgrade
    if upgrade is not None:
        sites_upgraded = sum(
            c * uplink_exceeded(x, g, peak * share, bytes_path)
            for c, g, peak in zip(load.count, load.groups, load.peak, strict=True)
        )
        lines.append(
            line(
                option,
                "network",
                "site uplink upgrades",
                "site-months",
                sites_upgraded,
                col("sites.uplink_upgrade.usd_per_month"),
                shape=shape,
                inputs=("sites.uplink_upgrade.usd_per_month", "sites.uplink_mbps"),
            )
        )
    retained = col("cloud.retained_raw_fraction")
    # raw inputs are retained by an option serving every inference (none: no storage line)
    if whole_workload and np.any(retained != 0):
        monthly_gb = inferences * retained * col("workload.request_bytes") / GB
        stored_gb = _rolling_sum(monthly_gb, x["cloud.retention_months"])
        if np.any(stored_gb > 0):
            lines.append(
                line(
                    option,
                    "storage",
                    "retained raw inputs",
                    "GB-month",
                    stored_gb,
                    col("cloud.storage_usd_per_gb_month"),
                    shape=shape,
                    inputs=(
                        "cloud.retained_raw_fraction",
                        "cloud.retention_months",
                        "cloud.storage_usd_per_gb_month",
                    ),
                )
            )
    lines += cloud_fleet_lines(x, load, option, share, instances, shape)
    return lines


def cloud_demand(load: Load, share: np.ndarray, bytes_path: str) -> CloudDemand:
    """What a cloud side serves: ``share`` (S, 1) of every site's inferences and peak, its
    requests carrying the bytes at ``bytes_path``.

    Computed once per engine run for each share and bytes path (the cost lines and the
    capacity check read the same demand), and without a product where the share is 1
    (:func:`~edgecalc.costs.volume.served`).
    """
    share = np.asarray(share, dtype=float)
    return load.shared(
        load.inputs,
        ("cloud_demand", bytes_path),
        [share],
        lambda: CloudDemand(
            served(load.total_monthly, share),
            served(load.total_peak, share),
            bytes_path,
            (share > 0).astype(float),
        ),
    )


def egress_line(x, resolved, quantity_gb, shape, option, category, item, inputs) -> CostLine:
    """A cost line of data sent out of the cloud, ``quantity_gb`` [GB/month] (S, M), at the
    egress price: its total is the bill (:func:`egress_usd`), its unit price the average
    per GB (worked out only when read); where nothing is billed in any month, a unit price of
    zero held as one value (a line's sum skips it, :func:`~edgecalc.costs.lines.monthly_sum_usd`).
    """
    bill = egress_usd(x, resolved, quantity_gb)
    if bill is None:
        price = np.broadcast_to(0.0, np.shape(quantity_gb))
        return line(option, category, item, "GB", quantity_gb, price, shape=shape, inputs=inputs)
    return line(
        option, category, item, "GB", quantity_gb, None, usd=bill, shape=shape, inputs=inputs
    )


def egress_usd(x, resolved, quantity_gb) -> np.ndarray | None:
    """The egress bill of a monthly volume after the free allowance [USD/month] (S, M).

    Tiered catalog prices (:func:`~edgecalc.costs.transfer.tiered_cost_usd`), or the
    scenario's flat ``cloud.egress_usd_per_gb`` (read per sample, so Monte Carlo samples a
    range on it): ``max(quantity - free, 0) × price``.

    Returns
    -------
    numpy.ndarray or None
        The bill; None when, at a flat price, nothing is billed in any month (every volume
        within the free allowance) and the price is finite without a sign bit: the bill is
        then +0.0 everywhere.
    """
    col = _col(x)
    free = col("cloud.egress_free_gb_per_month")
    q = np.asarray(quantity_gb, dtype=float)
    if resolved.egress_tiers is not None:
        return tiered_cost_usd(q, resolved.egress_tiers, free)
    price = col("cloud.egress_usd_per_gb")
    within = _within_allowance(q, free)
    if within and _signless_finite(price):
        return None
    billable = np.subtract(q, free)
    np.clip(billable, 0.0, None, out=billable)
    if within is None and _free_everywhere(billable, price):
        return None
    np.multiply(billable, price, out=billable)
    return billable


def _within_allowance(quantity_gb: np.ndarray, free_gb: np.ndarray) -> bool | None:
    """Whether every month's volume is within its sample's free allowance, ``q <= free`` (a
    NaN is not): one comparison over the volumes, none over a difference (a comparison
    against the allowance broadcast over the months takes a third of the time of each
    sample's largest month, 33 against 110 us for 2,000 samples x 60 months). With a finite
    allowance ``q <= free`` is exactly ``max(q - free, 0) == 0`` (two floats differ only if
    their difference is not zero); None where that cannot be told so (an infinite or NaN
    allowance, whose ``q - free`` may be NaN; no volumes)."""
    q = np.asarray(quantity_gb, dtype=float)
    free = np.asarray(free_gb, dtype=float)
    if q.size == 0 or not bool(np.all(np.isfinite(free))):
        return None
    return bool(np.all(q <= free))


def _signless_finite(price: np.ndarray) -> bool:
    """Whether a price is finite and without a sign bit everywhere (so ``0 × price`` is +0.0)."""
    return bool(np.all(np.isfinite(price))) and not bool(np.any(np.signbit(price)))


def _free_everywhere(billable: np.ndarray, price: np.ndarray) -> bool:
    """Whether the bill ``billable × price`` is +0.0 in every month: nothing billed in any
    month (every billable volume is 0.0; a NaN is not) at a finite price without a sign bit
    (``0 × inf`` is NaN, ``0 × -0.0`` is -0.0)."""
    return billable.size > 0 and float(np.max(billable)) == 0.0 and _signless_finite(price)


def uplink_exceeded(
    x, group, peak_per_second, bytes_path="workload.request_bytes", uplink_path=None
):
    """1.0 where a site's peak upload exceeds its usable uplink, else 0.0 (shape (S, M))."""
    col = _col(x)
    upload_mbps = peak_per_second * col(bytes_path) * 8 / 1e6
    usable = col(uplink_path or group.uplink_mbps) * col("sites.uplink_usable_fraction")
    return (upload_mbps > usable * (1 + 1e-12)).astype(float)


def peak_upload_mbps(x, peak_per_second, bytes_path="workload.request_bytes"):
    """Peak upload of a site [Mbit/s]: ``peak/s × bytes × 8 / 1e6``."""
    return peak_per_second * _col(x)(bytes_path) * 8 / 1e6


def _rolling_sum(monthly, months_kept):
    """Stock held when each month's inflow is kept for ``months_kept`` months (S, M)."""
    keep = np.round(np.asarray(months_kept, dtype=float))[:, None]
    cum = np.cumsum(monthly, axis=-1)
    m = np.arange(monthly.shape[-1])
    lag = m[None, :] - keep  # inflow older than this has expired
    lag_idx = np.clip(lag, -1, None).astype(int)
    expired = np.where(lag_idx >= 0, np.take_along_axis(cum, np.clip(lag_idx, 0, None), -1), 0)
    return cum - expired


def fleet(x, load: Load, prefix="edge"):
    """Devices at the sites (serving and hot spares) and devices bought (depot spares
    included) per month for the edge (or hybrid) path (:func:`fleet_size`)."""
    size = fleet_size(x, load, prefix)
    return size.on_site, size.bought


def edge_lines(x, resolved, load: Load, option="edge", prefix="edge") -> list[CostLine]:
    """Cost lines of serving every inference on devices at the sites.

    Notes
    -----
    Devices per site ``ceil(peak / (throughput × utilisation)) + redundancy``, plus a depot
    pool, bought at month 0, when growth needs more, and all again every ``refresh_months``
    (:func:`~edgecalc.costs.fleet_lines.fleet_size`), each at ``device + production BOM``.
    Installation ``sites × install_usd`` at month 0 and each refresh. Failures ``installed ×
    AFR / 12 × (device + truck roll)``, the device free under a support contract. Support,
    power and cooling, colocation, fleet software, labour (a platform floor plus per site and
    per device, and model optimisation per hardware target) and one-time costs:
    :func:`~edgecalc.costs.fleet_lines.edge_fleet_lines`. Model updates ``installed ×
    updates/12 × parameters × bytes/parameter × delta × attempts / 1e9`` GB at the egress
    price, with ``attempts = 1 / (1 - update_failure_rate)`` downloads per device update (a
    failed attempt downloads again); telemetry ``installed × bytes/day × 730/24 / 1e9`` GB at
    the ingress price. Site visits (a truck roll each): firmware/OS updates that brick a
    device, ``installed × firmware_updates_per_year / 12 × firmware_failure_rate``; devices a
    model rollout has not reached ``site_visit_after_days`` after their wave, ``installed ×
    updates/12 × p × (1 - 1/L) ** (D - 1)``
    (:func:`~edgecalc.operations.expected.stranded_share`).
    """
    name = (
        (resolved.hybrid_device or resolved.device).key
        if prefix == "hybrid"
        else (resolved.device.key)
    )

    def make():
        installed, before, after = _device_lines(x, resolved, load, option, prefix, name)
        if x is load.inputs:  # lines another option of this run may begin with: summed once
            load.line_sums.mark(before)
        return prefix, installed, before, after

    # hybrid's fast path on the edge option's device gives the very same fleet and lines:
    # computed once per run, relabelled (the model update line is the model's own)
    built_prefix, installed, before, after = load.shared(
        x, ("edge_lines", name), [x[f"{prefix}.{field}"] for field in DEVICE_FIELDS], make
    )
    if built_prefix != prefix or before[0].option != option:
        paths = {f"{built_prefix}.{f}": f"{prefix}.{f}" for f in DEVICE_FIELDS}
        before = [_relabel(ln, option, paths) for ln in before]
        after = [_relabel(ln, option, paths) for ln in after]
    shape = load.total_monthly.shape
    update = model_update_line(x, resolved, option, installed, shape, prefix)
    return [*before, update, *after]


def _relabel(ln: CostLine, option: str, paths: dict[str, str]) -> CostLine:
    """A cost line of another option on the same arrays, its inputs under that option's prefix."""
    return ln.relabelled(option, tuple(paths.get(p, p) for p in ln.inputs))


def _device_lines(x, resolved, load: Load, option, prefix, name):
    """The edge lines but the model update line: (installed devices, the lines before it, the
    lines after it)."""
    col = _col(x)
    shape = load.total_monthly.shape
    size = fleet_size(x, load, prefix)
    installed, bought = size.on_site, size.bought
    device_usd = col(f"{prefix}.device_usd") + col("edge.production_bom_usd")
    refresh = np.round(col("edge.refresh_months"))
    renew = (load.months[None, :] % refresh == 0).astype(float)
    dev_inputs = (
        f"{prefix}.device_usd",
        "edge.production_bom_usd",
        "edge.depot_spare_fraction",
        f"{prefix}.inferences_per_second_per_device",
        "edge.target_utilization",
        "edge.redundancy",
        "edge.refresh_months",
    )
    lines = []
    if resolved.scenario.edge.residual_value == "straight_line":
        remaining = residual_devices(bought, load.months, refresh)
        lines.append(
            line(
                option,
                "residual",
                "residual value of devices at the horizon (straight-line, a credit)",
                "devices",
                -remaining,
                device_usd,
                shape=shape,
                inputs=(
                    f"{prefix}.device_usd",
                    "edge.production_bom_usd",
                    "edge.refresh_months",
                    "edge.residual_value",
                ),
            )
        )
    lines += [
        line(
            option,
            "hardware",
            f"{name} devices bought",
            "devices",
            bought,
            device_usd,
            shape=shape,
            inputs=dev_inputs,
        ),
        line(
            option,
            "installation",
            "installation at each site (again at each refresh)",
            "site installs",
            load.sites * renew,
            col("edge.install_usd_per_site"),
            shape=shape,
            inputs=("edge.install_usd_per_site", "edge.refresh_months"),
        ),
        line(
            option,
            "failures",
            "device failures (replacement unless under contract, + truck roll)",
            "failures",
            installed * (col("edge.annual_failure_rate") / 12),
            failure_unit_usd(x, device_usd),
            shape=shape,
            inputs=(
                "edge.annual_failure_rate",
                f"{prefix}.device_usd",
                "edge.support_fraction_per_year",
                "edge.truck_roll_usd",
            ),
        ),
    ]
    lines += edge_fleet_lines(x, load, size, option, prefix, device_usd)
    before, lines = lines, []
    telemetry_gb = telemetry_upload_gb(col, installed)
    lines.append(
        line(
            option,
            "telemetry",
            "telemetry upload",
            "GB",
            telemetry_gb,
            col("cloud.ingress_usd_per_gb"),
            shape=shape,
            inputs=("edge.telemetry_bytes_per_device_day", "cloud.ingress_usd_per_gb"),
        )
    )
    truck_roll = col("edge.truck_roll_usd")
    lines.append(
        line(
            option,
            "site_visits",
            "firmware/OS updates that brick a device (truck roll)",
            "visits",
            installed
            * (
                col("operations.firmware_updates_per_year")
                / 12
                * col("operations.firmware_failure_rate")
            ),
            truck_roll,
            shape=shape,
            inputs=(
                "operations.firmware_updates_per_year",
                "operations.firmware_failure_rate",
                "edge.truck_roll_usd",
            ),
        )
    )
    stranded = stranded_share(
        col("operations.offline_probability_per_day"),
        col("operations.mean_offline_spell_days"),
        col("operations.site_visit_after_days"),
    )
    lines.append(
        line(
            option,
            "site_visits",
            "devices a model rollout does not reach (truck roll)",
            "visits",
            installed * (col("model.updates_per_year") / 12 * stranded),
            truck_roll,
            shape=shape,
            inputs=(
                "model.updates_per_year",
                "operations.offline_probability_per_day",
                "operations.mean_offline_spell_days",
                "operations.site_visit_after_days",
                "edge.truck_roll_usd",
            ),
        )
    )
    return installed, before, lines


def model_update_line(x, resolved, option, installed, shape, prefix="edge") -> CostLine:
    """Model update downloads of an installed fleet (devices or hub servers) at the egress price.

    Notes
    -----
    :func:`~edgecalc.costs.device_traffic.update_download_gb`: ``installed × updates/12 ×
    parameters × bytes/parameter × delta × attempts / 1e9`` GB, with ``attempts = 1 / (1 -
    update_failure_rate)`` downloads per update; the fast-path model's weights for ``hybrid``,
    the model's otherwise.
    """
    params, bytes_per_parameter = model_paths(prefix)
    update_gb = update_download_gb(_col(x), installed, prefix)
    return egress_line(
        x,
        resolved,
        update_gb,
        shape,
        option,
        "updates",
        "model update downloads",
        inputs=(
            "model.updates_per_year",
            params,
            bytes_per_parameter,
            "model.delta_update_fraction",
            "operations.update_failure_rate",
        ),
    )


def residual_devices(bought, months, refresh_months):
    """Device-equivalents still unused at the horizon, credited in the last month (S, M).

    Parameters
    ----------
    bought : array (S, M)
        Devices bought in each month [count].
    months : array (M,)
        Month indices.
    refresh_months : array (S, 1)
        Device life in the projection [months].

    Returns
    -------
    array (S, M)
        Zero except in the last month ``H - 1``: ``sum_m bought[m] × max(0, (r_m - H) /
        (r_m - m))`` where ``r_m = (m // refresh + 1) × refresh`` is when a device bought in
        month ``m`` is retired: the straight-line share of its service left after the horizon.

    Examples
    --------
    6 devices bought at month 12 with a 12-month refresh and an 18-month horizon are retired at
    month 24: (24 - 18) / (24 - 12) = half of their value remains, 3 device-equivalents.

    >>> b = np.zeros((1, 18)); b[0, 0] = 6; b[0, 12] = 6
    >>> float(residual_devices(b, np.arange(18), np.array([[12.0]]))[0, -1])
    3.0
    """
    horizon = len(months)
    refresh = np.asarray(refresh_months, dtype=float)
    retire = (months[None, :] // refresh + 1) * refresh  # (S, M)
    share = np.clip((retire - horizon) / (retire - months[None, :]), 0.0, 1.0)
    credit = np.zeros_like(np.asarray(bought, dtype=float))
    credit[..., -1] = np.sum(bought * share, axis=-1)
    return credit


def hybrid_lines(x, resolved, load: Load) -> list[CostLine]:
    """Edge sized for every inference (the fast path) plus the cloud for the escalations.

    With an escalation rate of 0 this equals the edge option on the same devices (no cloud
    instance, no cloud labour); at 1 every inference also goes to the cloud.
    """
    share = _col(x)("hybrid.escalation_rate")
    return edge_lines(x, resolved, load, option="hybrid", prefix="hybrid") + cloud_lines(
        x, resolved, load, option="hybrid", share=share, bytes_path="hybrid.escalation_bytes"
    )
