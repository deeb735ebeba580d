"""Portfolios of site groups: each group evaluated alone (vectorised), each option's fixed
costs split from the groups' own costs, and the mixed plan against the single-option plans.

:func:`~edgecalc.portfolio.build.build_portfolio` gives
:class:`~edgecalc.results.portfolio.Portfolio`; :func:`~edgecalc.portfolio.groups.evaluate_groups`
evaluates any slice of groups for any samples (the unit a chunked run distributes).
"""
