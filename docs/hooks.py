"""MkDocs hooks: hand MkDocs the data pages that ``docs/jiceng_site`` generates at build time.

The package to document is the bundled one, or the directory in JICENG_PACKAGE_ROOT
(tests build the site from a temporary copy with rows they wrote). Generated pages
exist only in memory; nothing is written to docs/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from jiceng.bundle import package_root

import jiceng_site as site  # beside this file: MkDocs puts the hooks' folder on sys.path

state: dict = {}


def on_config(config):
    root = Path(os.environ.get("JICENG_PACKAGE_ROOT") or package_root()).resolve()
    repo = Path(config.config_file_path).resolve().parent
    try:
        data = site.load(root)
    except ValueError as error:
        raise PluginError(f"jiceng: cannot read the package at {root}: {error}") from None
    data.repo_url = config.repo_url  # the "report a problem" links open its issue form
    state.update(data=data, repo=repo)
    site.teach_jieba(site.user_dictionary(data))
    config.nav = site.expand_nav(config.nav, site.nav_children(data))
    return config


def on_files(files, config):
    work = Path(tempfile.mkdtemp(prefix="jiceng-downloads-"))
    state["work"] = work
    try:
        downloads = site.build_downloads(state["data"], work)
    except (ValueError, OSError, ImportError) as error:
        raise PluginError(f"jiceng: cannot write the downloads: {error}") from None
    for item in downloads:
        files.append(File.generated(config, item.uri, abs_src_path=str(item.path)))
    for uri, markdown in site.generated_pages(state["data"], state["repo"], downloads).items():
        files.append(File.generated(config, uri, content=markdown))
    return files


def on_page_markdown(markdown, page, config, files):
    try:
        return site.fill_markers(markdown, state["data"], state["repo"], page.file.src_uri)
    except ValueError as error:
        raise PluginError(str(error)) from None


def on_post_page(output, page, config):
    return site.finish_page(output)


def on_post_build(config):
    if "work" in state:
        shutil.rmtree(state.pop("work"), ignore_errors=True)
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file():
        site.compact_search_index(index, site.search_entries(state["data"]))


def on_post_template(output_content, template_name, config):
    """The theme's own pages (404.html) are finished like the others; sitemap.xml is not HTML."""
    return site.finish_page(output_content) if template_name.endswith(".html") else output_content
