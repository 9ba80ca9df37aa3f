"""What the two explorers' widgets share (companion.towers_view, companion.bowl_view).

Both are anywidgets whose front end computes and draws each move itself, then tells the kernel.
"""

import anywidget
import traitlets


def synced(trait):
    """A state trait, synced with the browser. A value the browser sends is not echoed back to it: it
    already shows it (ipywidgets' trait metadata echo_update=False, which its own FileUpload uses)."""
    if not isinstance(trait, traitlets.TraitType):
        raise TypeError(f"synced: trait must be a traitlets trait, got {type(trait).__name__}")
    return trait.tag(sync=True, echo_update=False)


class ExplorerWidget(anywidget.AnyWidget):
    """An anywidget that knows where a change comes from: `from_browser` is True while a change the
    browser sent is applied, so that the Python side does not redo what the browser has already done
    with it (new heights for a new N, a rule's own settings for a new rule)."""

    from_browser = False

    def set_state(self, sync_data):
        """A change from the browser: a dict of trait values."""
        if not isinstance(sync_data, dict):
            kind = type(sync_data).__name__
            raise TypeError(f"ExplorerWidget.set_state: sync_data must be a dict, got {kind}")
        self.from_browser = True
        try:
            super().set_state(sync_data)
        finally:
            self.from_browser = False
