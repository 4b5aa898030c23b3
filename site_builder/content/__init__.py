"""Content: the public format (types), loading with line numbers, validation, the model."""

from .load import load
from .model import Content, FreePage
from .types import CONTENT_TYPES, TYPE_LABELS, Advisor, Case, Rules, Service, Site, Village

__all__ = [
    "CONTENT_TYPES",
    "TYPE_LABELS",
    "Advisor",
    "Case",
    "Content",
    "FreePage",
    "Rules",
    "Service",
    "Site",
    "Village",
    "load",
]
