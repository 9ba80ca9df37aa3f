"""README.zh-CN.md: the README's two commands, in Chinese, with working links back to the English."""

import re

from tools import REPO

README_ZH = REPO / "README.zh-CN.md"


def test_chinese_readme_gives_the_two_commands_that_the_makefile_has():
    text = README_ZH.read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("lab", "test"):
        assert re.search(rf"^make {target}\s+#", text, re.M), f"README.zh-CN.md lacks `make {target}`"
        assert re.search(rf"^{target}:", makefile, re.M), f"the Makefile has no target {target}"
    assert "](README.md)" in text.split("\n## ")[0], "link back to the English README at the top"


def test_chinese_readme_links_reach_their_files():
    text = README_ZH.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)\)", text)
    assert targets
    for target in targets:
        if not re.match(r"^[a-z]+:", target):
            assert (REPO / target).exists(), f"README.zh-CN.md links to {target}, which does not exist"
