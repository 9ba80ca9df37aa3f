"""The project's tools: what `make` calls, generators, the Chinese-edition builder, and the browser
driver tools.browser that the browser tests and bench/ share (`from tools.browser import LabSession`,
with the repository root as the working directory or on the path: pytest's rootdir, `python -m bench.x`)."""
