"""The CPU pin (tools/cpu_pin.py) is active where it applies, so stored notebook numbers are reproducible."""

import math
import os
import platform

import numpy as np
import pytest


def _flags():
    try:
        with open("/proc/cpuinfo") as f:
            return next((set(line.split(":", 1)[1].split()) for line in f if line.startswith("flags")), set())
    except OSError:
        return set()


AVX512 = platform.machine() == "x86_64" and "avx512f" in _flags()


@pytest.mark.skipif(not AVX512, reason="the pin changes nothing on a CPU without AVX-512")
def test_pin_is_installed_and_numpy_exp_takes_the_avx2_path():
    assert os.environ.get("OPENBLAS_CORETYPE") == "Haswell"
    assert "X86_V4" in os.environ.get("NPY_DISABLE_CPU_FEATURES", "")
    # numpy's AVX-512 exp is one ulp off the correctly rounded value here; the AVX2 path is not.
    assert np.exp(np.array([-0.01]))[0] == math.exp(-0.01)


AVX2 = platform.machine() == "x86_64" and {"avx2", "fma"} <= _flags()


@pytest.mark.skipif(not AVX2, reason="the pin applies to x86-64 CPUs with AVX2 and FMA only")
def test_openblas_takes_its_haswell_kernels_on_every_avx2_machine():
    """With or without AVX-512: OpenBLAS's own choice would differ between such CPUs."""
    assert os.environ.get("OPENBLAS_CORETYPE", "Haswell") == "Haswell"
    assert os.environ.get("OPENBLAS_CORETYPE") is not None
