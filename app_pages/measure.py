"""Measure: time the cloud round trip from this machine, or import a file measured at a site,
and use it as the current scenario's RTT (override ``cloud.rtt``)."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit as st

import edgecalc
from app_pages import measure_files, state, tables
from app_pages import measure_policy as policy
from edgecalc.measure.measurement import (
    MeasurementFileError,
    loads_measurement,
    save_measurement,
    this_host,
)
from edgecalc.render.figures.measurement import measurement_chart
from edgecalc.scenario.ranges import median

PROVIDERS = ["aws", "gcp", "azure"]
SHOWN = "ec_measurement"  # the measurement on screen: {"measurement", "label", "text"}
RTT_PATH = "cloud.rtt"
SUMMARY_COLUMNS = [
    "target",
    "mode",
    "phase",
    "n",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "min_ms",
    "max_ms",
    "attempts",
    "failed",
    "loss",
]
POLL_S = 0.1


@st.cache_resource(show_spinner=False)
def _catalog():
    return edgecalc.load_catalog()


@st.cache_resource(show_spinner=False)
def _runs() -> threading.BoundedSemaphore:
    """One measurement at a time on this server, whatever the number of sessions."""
    return threading.BoundedSemaphore(1)


def _server_address() -> str | None:
    return st.get_option("server.address")


def _allow_list() -> tuple[str, ...]:
    return policy.parse_allow_list(os.environ.get(policy.ALLOW_ENV))


# -- running ------------------------------------------------------------------------------------


def _run(kwargs: dict) -> edgecalc.Measurement | None:
    """``edgecalc.measure`` in a worker thread; this thread draws the progress bar."""
    lock = _runs()
    if not lock.acquire(blocking=False):
        st.warning("Another measurement is running on this server; try again in a minute.")
        return None
    done_total = [0, 1]

    def progress(done: int, total: int) -> None:  # called from measure's worker threads
        done_total[:] = [done, max(total, 1)]

    bar = st.progress(0.0, text="Measuring ...")
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(edgecalc.measure, progress=progress, **kwargs)
            while not future.done():
                done, total = done_total
                bar.progress(min(done / total, 1.0), text=f"Measuring: {done} of {total} requests")
                time.sleep(POLL_S)
            measurement = future.result()
    finally:
        lock.release()
    done, total = done_total
    bar.progress(1.0, text=f"Done: {done} of {total} requests")
    return measurement


def run_form(scenario) -> None:
    """Choose catalog regions and URLs, bounded settings; run and keep the result."""
    catalog = _catalog()
    address = _server_address()
    allow = _allow_list()
    provider_now, _, region_now = scenario.cloud.region.partition("/")
    ss = st.session_state
    ss.setdefault("ec.measure.provider", provider_now if provider_now in PROVIDERS else "aws")
    c1, c2 = st.columns([1, 3])
    provider = c1.selectbox("cloud provider", PROVIDERS, key="ec.measure.provider")
    regions = [p.region for p in catalog.probes(provider)]
    if "ec.measure.regions" not in ss or any(r not in regions for r in ss["ec.measure.regions"]):
        ss["ec.measure.regions"] = [region_now] if provider == provider_now else []
        ss["ec.measure.regions"] = [r for r in ss["ec.measure.regions"] if r in regions]
    c2.multiselect(
        "regions (the catalog's probe endpoints)",
        regions,
        key="ec.measure.regions",
        max_selections=policy.MAX_TARGETS,
        help="Each region is timed against the public endpoint the catalog lists for it.",
    )
    if policy.is_loopback(address):
        url_help = "Any http:// or https:// URL: the app is served only to this machine."
    elif allow:
        url_help = f"Only URLs under {', '.join(allow)} ({policy.ALLOW_ENV})."
    else:
        url_help = (
            f"The app is served to others: only catalog regions (set {policy.ALLOW_ENV} "
            "to allow URL prefixes)."
        )
    st.text_area(
        "or URLs, one per line (e.g. an `edgecalc echo-server` next to your model)",
        key="ec.measure.urls",
        max_chars=policy.MAX_URL_TEXT_CHARS,
        height=80,
        help=url_help,
    )
    st.caption(url_help)
    c1, c2, c3, c4 = st.columns(4)
    samples = c1.number_input(
        "samples per mode [requests]",
        min_value=1,
        max_value=policy.MAX_SAMPLES,
        value=10,
        step=1,
        key="ec.measure.samples",
    )
    deadline_s = c2.number_input(
        "deadline [s]",
        min_value=1.0,
        max_value=policy.MAX_DEADLINE_S,
        value=30.0,
        step=5.0,
        key="ec.measure.deadline_s",
        help="The whole run stops after this; requests not made are counted as not run.",
    )
    request_bytes = min(int(median(scenario.workload.request_bytes)), policy.MAX_PAYLOAD_BYTES)
    payload_bytes = c3.number_input(
        "payload [bytes]",
        min_value=0,
        max_value=policy.MAX_PAYLOAD_BYTES,
        value=request_bytes,
        step=10_000,
        key="ec.measure.payload_bytes",
        help="POSTed to URLs only (provider pings take GET); 0 skips the payload mode. "
        "Default: the scenario's request size.",
    )
    site = c4.text_input(
        "site name (recorded in the file)", key="ec.measure.site", max_chars=policy.MAX_SITE_CHARS
    )
    if not st.button("Measure from this machine", key="ec.measure.run", type="primary"):
        return
    urls = ss.get("ec.measure.urls") or ""
    checked = policy.check_urls(urls, server_address=address, allow=allow)
    for reason in checked.refused:
        st.error(f"Not measured: {tables.text(reason)}", icon=":material/block:")
    chosen = list(ss["ec.measure.regions"])
    if not chosen and not checked.allowed:
        st.warning("Choose at least one region or URL.")
        return
    if len(chosen) + len(checked.allowed) > policy.MAX_TARGETS:
        st.error(f"At most {policy.MAX_TARGETS} targets in one run.", icon=":material/block:")
        return
    kwargs = {
        "targets": list(checked.allowed),
        "provider": provider if chosen else None,
        "region": chosen or None,
        "samples": int(samples),
        "payload_bytes": int(payload_bytes),
        "concurrency": policy.MAX_CONCURRENCY,
        "timeout_s": min(5.0, float(deadline_s)),
        "deadline_s": float(deadline_s),
        "site": site or None,
        "catalog": catalog,
    }
    try:
        measurement = _run(kwargs)
    except Exception as exc:  # a bad setting: shown, never a traceback
        st.error(f"Cannot measure: {tables.text(exc)}", icon=":material/error:")
        return
    if measurement is not None:
        ss[SHOWN] = {
            "measurement": measurement,
            "label": f"measured from {measurement.host} at {measurement.created_at}",
            "text": measurement.to_json(),
        }


# -- import -------------------------------------------------------------------------------------


ERROR_KEY = "ec.measure.error"  # {"file_id": ..., "text": ...}: the last import's error


def _import_error(upload) -> str:
    """Why an uploaded measurement file cannot be used, or ``""``; never raises."""
    data = upload.getvalue()
    if len(data) > policy.MAX_FILE_BYTES:
        return (
            f"{upload.name}: file is {len(data):,} bytes; measurement files are limited to "
            f"{policy.MAX_FILE_BYTES:,} bytes"
        )
    try:
        measurement = loads_measurement(data, upload.name)
    except MeasurementFileError as exc:
        return str(exc)
    except Exception as exc:  # an upload must never show a traceback
        return f"{upload.name}: {state.unexpected_text(exc)}"
    st.session_state[SHOWN] = {
        "measurement": measurement,
        "label": f"{upload.name}: measured from {measurement.host}"
        + (f" (site {measurement.site})" if measurement.site else "")
        + f" at {measurement.created_at}",
        "text": data.decode("utf-8"),
    }
    return ""


def _on_upload() -> None:
    """A new file in the uploader: its own error (or none) replaces the last file's."""
    upload = st.session_state.get("ec.measure.upload")
    st.session_state.pop(ERROR_KEY, None)
    if upload is None:
        return
    error = _import_error(upload)
    if error:
        st.session_state[ERROR_KEY] = {"file_id": upload.file_id, "text": error}


def import_form() -> None:
    st.file_uploader(
        "Import a measurement file made at a site (`edgecalc measure ... --out site.json`)",
        type=["json"],
        key="ec.measure.upload",
        on_change=_on_upload,
        max_upload_size=6,
    )
    error = st.session_state.get(ERROR_KEY)
    upload = st.session_state.get("ec.measure.upload")
    # Shown only while the uploader holds the file it belongs to: never under another name.
    if error and upload is not None and upload.file_id == error["file_id"]:
        st.error(f"Not imported: {tables.text(error['text'])}", icon=":material/error:")


# -- results and use ----------------------------------------------------------------------------


def use_in_scenario(text: str, target: str) -> Path:
    """Save the measurement under this session's folder and point ``cloud.rtt`` at it.

    The file is named after its content, so the cached evaluation of an earlier file under the
    same name can never be reused for a different one. The folder goes when the session ends
    (:mod:`app_pages.measure_files`).
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = measure_files.session_folder(st.session_state) / f"measurement-{digest}.json"
    if not path.exists():
        save_measurement(loads_measurement(text, path.name), path)
    state.init()
    st.session_state[state.OVERRIDES][RTT_PATH] = {"measurement": str(path), "target": target}
    return path


def results() -> None:
    shown = st.session_state.get(SHOWN)
    if not shown:
        return
    measurement = shown["measurement"]
    st.subheader("Results")
    st.caption(tables.text(shown["label"]))
    frame = measurement.summary_frame()[SUMMARY_COLUMNS]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="ec.measure.table",
        column_config={
            c: st.column_config.NumberColumn(c.replace("_ms", " [ms]"), format="%.1f")
            for c in ("p50_ms", "p90_ms", "p99_ms", "min_ms", "max_ms")
        }
        | {"loss": st.column_config.NumberColumn("loss", format="percent")},
    )
    st.plotly_chart(measurement_chart(measurement), key="ec.measure.chart", width="stretch")
    c1, c2 = st.columns([3, 1])
    c2.download_button(
        "Download (JSON)",
        data=shown["text"],
        file_name="measurement.json",
        mime="application/json",
        key="ec.measure.download",
        on_click="ignore",
    )
    warm = frame[(frame["mode"] == "warm") & (frame["phase"] == "ttfb") & (frame["n"] > 0)]
    names = [t.name for t in measurement.targets if t.name in set(warm["target"])]
    if not names:
        c1.warning("No target has a successful warm request: nothing to use as the RTT.")
        return
    target = c1.selectbox("target to use as the cloud RTT", names, key="ec.measure.target")
    if st.button("Use in the current scenario", key="ec.measure.use", type="primary"):
        try:
            use_in_scenario(shown["text"], target or names[0])
        except (MeasurementFileError, OSError) as exc:  # shown, never a traceback
            st.error(f"Cannot use this measurement: {tables.text(exc)}", icon=":material/error:")


def current_rtt() -> None:
    """What the current scenario uses as its RTT, as the Decide page's reasons say it."""
    cur = state.current()
    st.subheader(f"The RTT of the current scenario ({tables.text(cur.scenario.name)})")
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")
    reasons = [r for r in cur.result.decision.reasons if "RTT" in r]
    st.markdown(tables.lines(reasons) or "- (no RTT reason)")
    if RTT_PATH in cur.overrides and st.button(
        "Stop using the measurement", key="ec.measure.forget"
    ):
        st.session_state[state.OVERRIDES].pop(RTT_PATH, None)
        st.rerun()


def main() -> None:
    state.init()
    scenario = state.current().scenario
    st.title("Measure the cloud round trip")
    st.info(
        f"**This measures from the machine the app runs on ({this_host()}), not from your "
        "sites.** A round trip timed here says little about a factory's uplink. To measure at "
        "a site, run `edgecalc measure --scenario FILE --out site.json` there and import the "
        "file below.",
        icon=":material/info:",
    )
    with st.container(border=True):
        st.markdown("**Run a measurement from this machine**")
        run_form(scenario)
    with st.container(border=True):
        import_form()
    results()
    current_rtt()


main()
