# Installed into .venv/etc/jupyter/ by the Makefile, so every JupyterLab started from .venv reads it.
#
# Widget traffic does not count as the kernel being busy. Every message a widget sends to the kernel
# (a slider moved) makes the kernel report "busy" and then "idle"; JupyterLab re-renders its kernel
# indicators for each report, which on a 2-core machine costs the page more time than drawing the new
# frame. The tower explorer of notebook 07 draws in the browser but still tells the kernel about each
# change: with the stock setting its p95 key press -> painted frame was 21.7 ms, with this one 13.9 ms
# (bench/RESULTS.md, the explorer). With "comm_msg" in this list JupyterLab ignores the busy/idle
# reports that answer widget messages; running cells still shows busy as usual.
from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
_defaults = MappingKernelManager.class_traits()["untracked_message_types"].default()
c.MappingKernelManager.untracked_message_types = [*_defaults, "comm_msg"]
