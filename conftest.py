# The Chinese edition (notebooks/zh/) is generated from the English notebooks, which nbval executes;
# tests/test_zh_edition.py proves its code cells and outputs are the English ones, so nbval skips it.
collect_ignore = ["notebooks/zh"]
