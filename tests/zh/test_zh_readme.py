"""README.zh-CN.md: level with README.md, section for section, with the two commands and working links."""

import re

from tools import REPO

README_ZH = REPO / "README.zh-CN.md"
README_EN = REPO / "README.md"

# Each English heading (## and ###) and its Chinese counterpart, in order. A section added to either
# README fails the test until it is added to the other and here.
SECTIONS = {
    "Two commands": "两条命令",
    "Without make (Windows, or a Mac without the command-line tools)":
        "不用 make（Windows，或没有装命令行工具的 Mac）",
    "JupyterLab in Chinese": "JupyterLab 的中文界面",
    "If Chinese text shows as boxes": "中文显示成方框怎么办",
    "The chapters": "各章",
    "The data": "数据",
    "The full MNIST (optional)": "完整的 MNIST（可选）",
    "Performance": "性能",
    "The tower explorer without Python": "不用 Python 的塔探索器",
    "Running the primer's own code on these layers（用本项目的 common 运行书中的代码）":
        "用本项目的 common 运行书中的代码",
    "What is where": "各部分在哪里",
    "How it works": "工作原理",
    "Conventions": "约定",
    "Bad input": "错误的输入",
    "License of the data": "数据的许可",
}


def headings(path):
    return re.findall(r"^#{2,3} (.+)$", path.read_text(encoding="utf-8"), re.M)


def sections(path):
    """{heading: the text under it, up to the next heading}."""
    parts = re.split(r"^#{2,3} (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_each_english_section_has_its_chinese_counterpart_in_the_same_order():
    assert headings(README_EN) == list(SECTIONS), "README.md's headings changed: update SECTIONS"
    assert headings(README_ZH) == list(SECTIONS.values()), "README.zh-CN.md's headings are not README.md's"


def test_sections_carry_the_same_commands_paths_and_numbers():
    """What a reader types or looks up is the same in both: each section's `code` spans and its bash and
    python blocks (comments aside), and its numbers."""
    en, zh = sections(README_EN), sections(README_ZH)

    def facts(text):
        code = re.sub(r"#.*", "", " ".join(re.findall(r"```(?:bash|python)\n.*?```", text, re.S)))
        spans = set(re.findall(r"`([^`\s](?:[^`\n]*[^`\s])?)`", re.sub(r"```.*?```", "", text, flags=re.S)))
        numbers = re.findall(r"\d+(?:[.,]\d+)*", re.sub(r"\(http[^)]*\)|https?://\S+", "", text))
        return set(code.split()), spans, set(numbers)

    for english, chinese in SECTIONS.items():
        (en_cmd, en_spans, en_nums), (zh_cmd, zh_spans, zh_nums) = facts(en[english]), facts(zh[chinese])
        assert en_cmd == zh_cmd, f"{english} / {chinese}: commands differ: {en_cmd ^ zh_cmd}"
        assert en_spans <= zh_spans, f"{english} / {chinese}: missing in Chinese: {en_spans - zh_spans}"
        assert en_nums == zh_nums, f"{english} / {chinese}: numbers differ: {en_nums} vs {zh_nums}"


def test_chinese_readme_gives_the_two_commands_that_the_makefile_has():
    text = README_ZH.read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("lab", "test"):
        assert re.search(rf"^make {target}\s+#", text, re.M), f"README.zh-CN.md lacks `make {target}`"
        assert re.search(rf"^{target}:", makefile, re.M), f"the Makefile has no target {target}"
    assert "](README.md)" in text.split("\n## ")[0], "link back to the English README at the top"
    assert "Python 3.11 或更新版本" in text


def test_chinese_readme_links_reach_their_files():
    text = README_ZH.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)\)", text)
    assert targets
    for target in targets:
        if not re.match(r"^[a-z]+:", target):
            assert (REPO / target).exists(), f"README.zh-CN.md links to {target}, which does not exist"
