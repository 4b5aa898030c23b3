"""pufa: compile legal-outreach content (Markdown + YAML) into a static site and print pack."""

__version__ = "0.1.0"
