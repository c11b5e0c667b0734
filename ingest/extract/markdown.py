"""Markdown to plain text: keep what a reader sees (heading, emphasis and link text), drop the markup."""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),  # comments
    (re.compile(r"^\s*```[^\n]*$|^\s*~~~[^\n]*$", re.MULTILINE), ""),  # code fences (the code stays)
    (re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE), ""),  # link reference definitions
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images → alt text
    (re.compile(r"!\[([^\]\n]*)\]\[[^\]\n]*\]"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # [text](url) → text
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # [text][ref] → text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML tags
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE), r"\1"),  # ATX headings
    (re.compile(r"^\s{0,3}(?:=+|-+)\s*$", re.MULTILINE), ""),  # setext underlines and rules
    (re.compile(r"^\s{0,3}(?:[*_]\s*){3,}$", re.MULTILINE), ""),  # *** rules
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", re.MULTILINE), r"\1"),  # list markers
    (re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE), ""),  # table separator rows
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),  # _italic_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # escapes
)
_TABLE_PIPES = re.compile(r"^\s*\|(.*)\|\s*$", re.MULTILINE)


def strip_markdown(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return _TABLE_PIPES.sub(lambda m: " | ".join(cell.strip() for cell in m.group(1).split("|")), text)


def markdown_title(text: str) -> str | None:
    """The first heading (ATX or setext), if any."""
    match = re.search(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$|^(\S[^\n]*)\n\s{0,3}=+\s*$", text, re.MULTILINE)
    if not match:
        return None
    return strip_markdown(match.group(1) or match.group(2)).strip() or None
