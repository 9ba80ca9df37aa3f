"""Run a bench script with a chosen number of BLAS threads (set before numpy loads its BLAS)."""

import os
import sys


def rerun_with_blas_threads(threads):
    """Re-execute this script with OPENBLAS_NUM_THREADS=threads unless it is already set so.

    OpenBLAS reads the variable once, when numpy loads it, so it cannot be changed in-process.
    threads=None leaves the environment as it is.
    """
    if threads is not None and os.environ.get("OPENBLAS_NUM_THREADS") != str(threads):
        os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
        os.execv(sys.executable, [sys.executable, *sys.argv])
