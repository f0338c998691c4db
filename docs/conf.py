"""Sphinx configuration for the flexsecure documentation.

The build is offline: intersphinx reads inventories committed under ``_inv/`` (regenerate
them with ``python docs/_inv/generate.py``), and the rules and CLI references are generated
from the packs and the parser by the local extension in ``_ext/``.
"""

import sys
from pathlib import Path

import flexsecure

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE / "tutorials"))  # the researcher's population, for doctest and plot

project = "flexsecure"
author = "flexsecure developers"
copyright = "flexsecure developers, Apache-2.0"
release = flexsecure.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "myst_parser",
    "sphinx_copybutton",
    "matplotlib.sphinxext.plot_directive",
    "flexsecure_docs",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_inv", "_ext"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inv/python.inv"),
    "attrs": ("https://www.attrs.org/en/stable", "_inv/attrs.inv"),
    "babel": ("https://babel.pocoo.org/en/latest", "_inv/babel.inv"),
    "dateutil": ("https://dateutil.readthedocs.io/en/stable", "_inv/dateutil.inv"),
}

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = False

plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]

html_theme = "furo"
html_title = f"flexsecure {release}"
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []  # every reference of ours resolves
# The population layer's signatures name numpy and pyarrow types; no inventory of theirs can be
# fetched at build time (no network), so those external names are the only ones let through.
nitpick_ignore_regex = [
    ("py:class", r"(numpy|pyarrow|pa)\..*"),
]
