"""The pipeline: scenario -> resolve -> engine -> constraints -> verdict -> Result.

``resolve`` turns a scenario and the catalog into values with provenance, ``engine`` prices and
checks every option over arrays of samples, ``decision`` writes the verdict and its reasons, and
``evaluate`` is the one entry point that returns a :class:`~edgecalc.results.Result`.
"""
