"""Content: the public format (types), loading with line numbers, validation, the model."""

from .load import load
from .model import Content, FreePage
from .registry import KINDS, ContentKind
from .types import Advisor, Case, Rules, Service, Site, Village

__all__ = [
    "KINDS",
    "ContentKind",
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
