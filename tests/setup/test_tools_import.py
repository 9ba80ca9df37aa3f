"""Every Python module of tools/ imports: a tool whose import is broken fails here, not when someone
regenerates the weights or the pages months later."""

import importlib
import pkgutil

import pytest

import tools

# jupyter_server_config.py is read by Jupyter, which supplies its `c`; it is not a module to import
NOT_MODULES = {"tools.setup.jupyter_server_config"}
MODULES = sorted(info.name for info in pkgutil.walk_packages(tools.__path__, "tools.")
                 if info.name not in NOT_MODULES)


def test_the_tools_are_found():
    assert {"tools.generate.train_simple_convnet", "tools.generate.train_deep_convnet",
            "tools.zh.edition", "tools.browser"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_tool_module_imports(name):
    module = importlib.import_module(name)
    assert module.__name__ == name
