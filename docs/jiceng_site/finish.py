"""Finishing touches on the built site, applied by ``docs/hooks.py`` after MkDocs renders.

* :func:`tag_chinese` gives every run of Chinese text outside a Chinese element a
  ``lang="zh-Hans"``, so a screen reader reads it with a Chinese voice on every page,
  hand-written ones and the theme's navigation included (the page itself is ``lang="en"``).
* :func:`prune_assets` drops the style sheet and script a page does not use.
* :func:`compact_search_index` rewrites the search index without the zero-width spaces
  the segmenter joins Chinese words with, and as UTF-8 rather than ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

# Han characters, with the CJK punctuation and full-width forms that sit between them; a
# run may hold digits and spaces when Han characters follow (“共6.4万人次”).
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u2018\u2019\u201c\u201d\u2014\u2026"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CHINESE_RUN = re.compile(rf"[{_CJK}]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?:[0-9.,% ]*[{_CJK}]+)*")
_MARKUP = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]*>", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_LANG = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]+)""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEXT = {"script", "style", "title", "textarea", "option", "svg"}  # no <span> may go inside


def tag_chinese(html: str, default: str = "en") -> str:
    """Wrap each run of Chinese text whose element is not already Chinese in a ``lang`` span."""
    out: list[str] = []
    stack: list[tuple[str, str | None]] = []
    position = 0
    for match in _MARKUP.finditer(html):
        out.append(_wrap(html[position:match.start()], stack, default))
        out.append(match[0])
        position = match.end()
        tag = _TAG.fullmatch(match[0])
        if not tag:
            continue
        closing, name, rest = tag[1], tag[2].lower(), tag[3]
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
        elif name not in VOID and not rest.rstrip().endswith("/"):
            lang = _LANG.search(rest)
            stack.append((name, lang[1] if lang else None))
    out.append(_wrap(html[position:], stack, default))
    return "".join(out)


def _wrap(text: str, stack: list[tuple[str, str | None]], default: str) -> str:
    if not text or not HAN.search(text) or any(name in RAW_TEXT for name, _ in stack):
        return text
    lang = next((lang for _, lang in reversed(stack) if lang), default)
    if lang.lower().startswith("zh"):
        return text
    return CHINESE_RUN.sub(lambda run: f'<span lang="zh-Hans">{run[0]}</span>', text)


_STYLESHEET = re.compile(r'\s*<link rel="stylesheet" href="[^"]*assets/_mkdocstrings\.css">')
_READER_SCRIPT = re.compile(r'\s*<script src="[^"]*assets/reader\.js"></script>')


def prune_assets(html: str) -> str:
    """Leave out mkdocstrings' style sheet and the reader's script where nothing uses them."""
    if 'class="doc ' not in html:
        html = _STYLESHEET.sub("", html)
    if 'class="jc-reader' not in html:
        html = _READER_SCRIPT.sub("", html)
    return html


def compact_search_index(path: Path, extra: Sequence[dict[str, str]] = ()) -> None:
    """Rewrite the search index in place (atomically) without zero-width spaces, adding ``extra`` entries.

    The segmenter's zero-width spaces become plain spaces, which the search ``separator``
    splits on like any other; the site's script hides them again between Chinese
    characters in the search results.
    """
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"].extend(extra)
    for doc in index["docs"]:
        for key in ("title", "text"):
            if key in doc:
                doc[key] = unzero(doc[key])
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".search_index.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temporary, path.stat().st_mode)  # mkstemp's file is private; the site is not
    os.replace(temporary, path)


_CUT = r"[ \u200b]*\u200b[ \u200b]*"


def unzero(text: str) -> str:
    """Zero-width spaces as plain spaces, none at either end or beside a tag.

    A cut becomes one space, or two where the text had a space of its own there: the
    results drop single spaces between Chinese characters, and a browser shows two as one.
    """
    text = re.sub(rf"(?<=>){_CUT}|{_CUT}(?=<)", lambda cut: " " if " " in cut[0] else "", text)
    return re.sub(_CUT, lambda cut: "  " if " " in cut[0] else " ", text).strip(" ")
