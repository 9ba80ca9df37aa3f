"""What machine a benchmark ran on: cores, CPU, numpy, the BLAS numpy was built with, and the
environment variables that tune that BLAS.

Run it alone to print the description (python bench/machine.py); the other bench scripts print the
same lines above their results, so every recorded figure names its machine.
"""

import datetime
import os
import platform

import numpy as np

# Variables that change what OpenBLAS does (kernel choice, threads). Recorded, never set here.
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "NPY_DISABLE_CPU_FEATURES")


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas_build():
    """BLAS name and version from numpy.show_config(mode='dicts')."""
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return f"{blas.get('name', '?')} {blas.get('version', '?')}"


def describe_lines():
    """One 'key: value' line each: date, cores, CPU, Python, numpy, BLAS, BLAS environment."""
    facts = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas_build(),
        **{name: os.environ.get(name, "unset") for name in BLAS_ENV},
    }
    return [f"{key}: {value}" for key, value in facts.items()]


if __name__ == "__main__":
    print("\n".join(describe_lines()))
