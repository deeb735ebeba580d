"""The end-to-end latency of each path, component by component, against the budget."""

from __future__ import annotations

import numpy as np

HANDSHAKE_RTTS = {"1.3": 2.0, "1.2": 3.0}
"""Extra round trips of a cold HTTPS request before the request itself: TCP (1) + TLS 1.3
(1) or TLS 1.2 (2) (RFC 8446; reference/cloud.yaml latency_physics.handshakes)."""


def transfer_ms(size_bytes, link_mbps):
    """Serialisation time of a payload on a link.

    Notes
    -----
    ``bytes × 8 / (Mbit/s × 1e6) × 1000 = bytes × 8 / (Mbit/s × 1000)`` [ms].

    Examples
    --------
    300 kB over 20 Mbit/s: 300,000 × 8 / 20,000 = 120 ms.

    >>> float(transfer_ms(300_000, 20))
    120.0
    """
    return np.asarray(size_bytes, dtype=float) * 8.0 / (np.asarray(link_mbps, dtype=float) * 1e3)


def cloud_latency_components(
    rtt_ms,
    request_bytes,
    response_bytes,
    uplink_mbps,
    downlink_mbps,
    inference_ms,
    connection_reuse=True,
    tls="1.3",
    payload_round_trip_ms=None,
):
    """Cloud end-to-end latency at the percentile, by component.

    Parameters
    ----------
    rtt_ms : array
        Network round trip at the percentile [ms].
    request_bytes, response_bytes : array
        Payloads [bytes].
    uplink_mbps, downlink_mbps : array
        Site link capacities [Mbit/s].
    inference_ms : array
        Inference time on the cloud instance [ms].
    connection_reuse : bool
        False adds the handshake round trips of a new connection to every request.
    tls : {"1.3", "1.2"}
        TLS version of cold connections.
    payload_round_trip_ms : array, optional
        A measured round trip of the request payload (edgecalc measure); it replaces the RTT
        and the upload transfer, which it already contains.

    Returns
    -------
    dict of arrays [ms]
        ``rtt``, ``upload``, ``download``, ``handshakes``, ``inference`` and ``total``, where
        ``total = rtt + upload + download + handshakes + inference``.
    """
    upload = transfer_ms(request_bytes, uplink_mbps)
    rtt = np.asarray(rtt_ms, dtype=float)
    if payload_round_trip_ms is not None:
        # the measured payload round trip contains the RTT and the upload at the real uplink
        rtt = np.asarray(payload_round_trip_ms, dtype=float)
        upload = np.zeros_like(rtt)
    handshakes = (
        np.zeros_like(rtt)
        if connection_reuse
        else HANDSHAKE_RTTS[tls] * np.asarray(rtt_ms, dtype=float)
    )
    parts = {
        "rtt": rtt,
        "upload": upload,
        "download": transfer_ms(response_bytes, downlink_mbps),
        "handshakes": handshakes,
        "inference": np.asarray(inference_ms, dtype=float) + 0 * rtt,
    }
    parts["total"] = sum(parts.values())
    return parts


def edge_latency_components(local_hop_ms, inference_ms):
    """Edge end-to-end latency: the LAN hop to the on-site device plus its inference [ms]."""
    hop = np.asarray(local_hop_ms, dtype=float)
    inference = np.asarray(inference_ms, dtype=float) + 0 * hop
    return {"local_hop": hop + 0 * inference, "inference": inference, "total": hop + inference}


def hub_latency_components(link_rtt_ms, request_bytes, response_bytes, link_mbps, inference_ms):
    """Hub end-to-end latency: the round trip from the site to the hub, the payloads over the
    site's link to the hub, and inference on the hub's server [ms].

    Returns
    -------
    dict of arrays [ms]
        ``link_rtt``, ``upload``, ``download``, ``inference`` and ``total``, where
        ``total = link_rtt + upload + download + inference``.

    Examples
    --------
    2 MB over a 1 Gbit/s plant LAN: 2e6 × 8 / 1e6 = 16 ms up; 2 kB back: 0.016 ms; with a 1 ms
    round trip and 4.8 ms of inference the total is 21.816 ms.

    >>> round(float(hub_latency_components(1, 2e6, 2e3, 1000, 4.8)["total"]), 3)
    21.816
    """
    rtt = np.asarray(link_rtt_ms, dtype=float)
    parts = {
        "link_rtt": rtt,
        "upload": transfer_ms(request_bytes, link_mbps) + 0 * rtt,
        "download": transfer_ms(response_bytes, link_mbps) + 0 * rtt,
        "inference": np.asarray(inference_ms, dtype=float) + 0 * rtt,
    }
    parts["total"] = sum(parts.values())
    return parts
