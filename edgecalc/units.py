"""Time constants every layer shares, named once.

A month is 730 hours, 8760 / 12: the convention of the AWS, GCP and Azure price lists, used
for cloud bills, device energy, telemetry volumes and monthly downtime alike.
"""

from __future__ import annotations

HOURS_PER_MONTH = 730.0
"""Hours in an average (billing) month, 8760 / 12 [h/month]."""
SECONDS_PER_HOUR = 3600.0
"""Seconds in an hour [s/h]."""
