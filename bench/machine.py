"""What machine a benchmark ran on: cores, numpy, the BLAS numpy uses and the environment that tunes it.

Run it alone to print the description (python bench/machine.py); the other bench scripts import
describe() and print the same lines above their results, so every recorded figure names its machine.
"""

import ctypes
import datetime
import os
import platform

import numpy as np

# Variables that change what OpenBLAS does (kernel choice, cache blocking, threads). Recorded, never set.
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "NVPL_BLAS_DEBUG_CPU_TYPE")


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _loaded_openblas():
    """The OpenBLAS library numpy loaded, as a ctypes handle (None if none is found)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def _call(lib, names, restype):
    for name in names:
        fn = getattr(lib, name, None)
        if fn is not None:
            fn.restype = restype
            return fn()
    return None


def openblas_runtime():
    """(core name, thread count) that the loaded OpenBLAS reports at run time, or (None, None)."""
    lib = _loaded_openblas()
    if lib is None:
        return None, None
    core = _call(lib, ["scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                       "openblas_get_corename64_", "openblas_get_corename"], ctypes.c_char_p)
    threads = _call(lib, ["scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                          "openblas_get_num_threads64_", "openblas_get_num_threads"], ctypes.c_int)
    return (core.decode() if core else None), threads


def blas_build():
    """BLAS name and version from numpy.show_config(mode='dicts')."""
    config = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    return f"{blas.get('name', '?')} {blas.get('version', '?')}"


def describe():
    """A dict describing this machine and run: date, cores, CPU, numpy, BLAS, BLAS environment."""
    core, threads = openblas_runtime()
    return {
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_build(),
        "openblas core (runtime)": core,
        "openblas threads (runtime)": threads,
        **{name: os.environ.get(name, "unset") for name in BLAS_ENV},
    }


def describe_lines():
    return [f"{key}: {value}" for key, value in describe().items()]


if __name__ == "__main__":
    print("\n".join(describe_lines()))
