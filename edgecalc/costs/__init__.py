"""Cost functions and cost lines: pure, vectorised pricing of the cloud, edge, hybrid and hub
options, and the monthly projection (NPV, break-even).

The functions take floats or numpy arrays and return the same shape; they know nothing of
YAML, pydantic or the app. Import the modules directly (``edgecalc.costs.finance``, ...).
"""
