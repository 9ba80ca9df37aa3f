"""A Chinese notebook in a real JupyterLab (headless Chromium): its text renders, with no missing glyphs.

Opens notebooks/zh/02_softmax_stability.ipynb with JupyterLab's interface switched to 中文 (the language
pack in requirements.txt) and checks:

* Chromium draws the Chinese of the rendered cells with a CJK font (it says which platform fonts it used
  for a node, through the DevTools protocol), the set-up's Noto Sans CJK;
* no character of the notebook's Chinese text is drawn as the missing-glyph box: each non-ASCII
  character, drawn on a canvas in the font the rendered Markdown uses, must leave ink and must not look
  like the box Chromium draws for a code point no installed font has (and that box is detected, so the
  detector itself is shown to work);
* the menu bar is in Chinese (文件, 编辑, ...).

A screenshot is saved to tests/artifacts/zh_notebook.png on every run (and the server log on failure).
If Chromium cannot start, the test fails: it is never skipped.
"""

import json
import urllib.request

import pytest

from tools import REPO
from tools.browser import LabSession

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "zh" / "02_softmax_stability.ipynb"
ARTIFACTS = REPO / "tests" / "artifacts"
MISSING = ["\U0010fffd", "\ue000"]  # private-use code points: no installed font has a glyph for them

# For each character, drawn alone in `font` on a canvas: its ink (pixels drawn) and whether its pixels
# equal those of the missing-glyph box (drawn from a private-use code point).
GLYPHS_JS = """
([chars, font, missing]) => {
    const size = 48;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    const draw = (ch) => {
        ctx.clearRect(0, 0, size, size);
        ctx.font = font;
        ctx.textBaseline = "middle";
        ctx.fillStyle = "#000";
        ctx.fillText(ch, 4, size / 2);
        const data = ctx.getImageData(0, 0, size, size).data;
        let bits = "", ink = 0;
        for (let i = 3; i < data.length; i += 4) { bits += data[i] > 127 ? "1" : "0"; ink += data[i] > 0; }
        return {bits, ink, width: ctx.measureText(ch).width};
    };
    const boxes = missing.map(draw);
    return chars.map((ch) => {
        const g = draw(ch);
        return {ch, ink: g.ink, width: g.width, box: boxes.some((b) => b.bits === g.bits)};
    });
}
"""


def chinese_characters(notebook):
    """Every distinct non-ASCII, non-space character of the notebook's markdown cells."""
    text = "".join("".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                   if c["cell_type"] == "markdown")
    return sorted({ch for ch in text if ord(ch) > 127 and not ch.isspace()})


def set_locale(lab, locale):
    url = f"{lab.base}/lab/api/settings/@jupyterlab/translation-extension:plugin"
    body = json.dumps({"raw": json.dumps({"locale": locale})}).encode()
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Authorization": f"token {lab.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 204), response.status


def platform_fonts(page, selector):
    """{font family: glyph count} Chromium used to draw the text of the first element matching selector."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def test_chinese_notebook_renders_without_missing_glyphs():
    chars = chinese_characters(NOTEBOOK)
    assert len(chars) > 200, len(chars)  # a translated notebook: hundreds of distinct characters
    ARTIFACTS.mkdir(exist_ok=True)
    with LabSession(NOTEBOOK) as lab:
        try:
            set_locale(lab, "zh_CN")
            lab.open_notebook()
            page = lab.page
            page.wait_for_selector(".jp-MarkdownOutput h1")
            page.evaluate("() => document.fonts.ready")

            menus = page.evaluate(
                "() => [...document.querySelectorAll('.lm-MenuBar-itemLabel')].map(e => e.textContent)")
            assert "文件" in menus and "编辑" in menus, f"JupyterLab's menus are not in Chinese: {menus}"

            heading = page.locator(".jp-MarkdownOutput h1").first.inner_text()
            assert "笔记本 02" in heading, heading
            for selector in (".jp-MarkdownOutput h1", ".jp-MarkdownOutput li", ".jp-MarkdownOutput p"):
                fonts = platform_fonts(page, selector)
                cjk = {name: n for name, n in fonts.items() if "CJK" in name}
                assert cjk and sum(cjk.values()) > 0, f"{selector} is not drawn with a CJK font: {fonts}"

            font = page.evaluate("""() => { const s = getComputedStyle(document.querySelector(
                '.jp-MarkdownOutput p')); return `${s.fontSize} ${s.fontFamily}`; }""")
            glyphs = page.evaluate(GLYPHS_JS, [chars + MISSING, font, MISSING])
            by_char = {g["ch"]: g for g in glyphs}
            # the detector finds the box where there is one ...
            assert all(by_char[ch]["box"] for ch in MISSING), [by_char[ch] for ch in MISSING]
            # ... and no character of the notebook is drawn as it, or not drawn at all
            boxed = [g["ch"] for g in glyphs if g["box"] and g["ch"] not in MISSING]
            blank = [g["ch"] for g in glyphs if g["ink"] == 0]
            assert not boxed, f"drawn as the missing-glyph box in {font}: {''.join(boxed)}"
            assert not blank, f"drawn with no ink: {''.join(blank)}"
            han = [g for g in glyphs if "\u4e00" <= g["ch"] <= "\u9fff"]
            assert han and all(abs(g["width"] - han[0]["width"]) < 0.5 for g in han), \
                "Chinese characters should all be one em wide"
            page.screenshot(path=str(ARTIFACTS / "zh_notebook.png"))
        except BaseException:
            if lab.page is not None:
                lab.page.screenshot(path=str(ARTIFACTS / "zh_notebook_failure.png"), full_page=True)
            (ARTIFACTS / "zh_notebook_failure.log").write_text(lab.log_tail(200))
            raise
