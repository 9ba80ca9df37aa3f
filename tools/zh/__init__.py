"""The Chinese edition（中文版）: tools.zh.edition builds notebooks/zh/, tools.zh.glossary checks terms."""
