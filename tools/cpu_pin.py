"""Pin numpy's and OpenBLAS's CPU code paths to the AVX2 ones, so stored notebook numbers are the same
on every x86-64 machine with AVX2, with or without AVX-512.

Why: numpy's AVX-512 exp and OpenBLAS's AVX-512 kernels round differently in the last bit from their
AVX2 versions (measured: np.exp(-0.01) differs by one ulp, a 3-layer matmul's rounding noise differs),
and those bits reach printed numbers. `make` installs this file into .venv's site-packages with a .pth
line that imports it, so it runs at interpreter start, before numpy is imported, in every Python of
.venv (notebook kernels included). It sets only variables the user has not set, and nothing on other
processors.
"""

import os
import platform


def _cpu_flags():
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


if platform.machine() in ("x86_64", "AMD64"):
    _flags = _cpu_flags()
    if "avx2" in _flags and "fma" in _flags:
        os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
        if "avx512f" in _flags:
            os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "AVX512_SPR AVX512_ICL X86_V4")
