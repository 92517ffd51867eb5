"""ModernStats KG: the knowledge graph and service for the UNECE ModernStats models."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
