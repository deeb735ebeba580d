"""Subcommands of the ``edgecalc`` command line, one module each."""
