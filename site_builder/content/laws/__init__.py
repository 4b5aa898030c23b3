"""The statute library (法条库): bundled texts, staff additions, citations and their checks.

- :func:`load_library` — bundled laws + ``content/laws/`` (matched by name), parsed once;
- :func:`find_citations` / :func:`format_citation` — citations as staff write them;
- :func:`check_case` — the problems ``pufa check`` reports for a case's citations;
- :func:`laws_report` — what ``pufa laws`` prints.
"""

from .check import check_case, check_cases
from .citations import ArticleNo, Citation, Names, find_citations, format_citation
from .library import Library, load_library, slugify
from .model import Article, Heading, Item, Law, Paragraph, Repealed, Revised
from .report import laws_report

__all__ = [
    "Article",
    "ArticleNo",
    "Citation",
    "Heading",
    "Item",
    "Law",
    "Library",
    "Names",
    "Paragraph",
    "Repealed",
    "Revised",
    "check_case",
    "check_cases",
    "find_citations",
    "format_citation",
    "laws_report",
    "load_library",
    "slugify",
]
