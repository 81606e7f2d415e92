"""The Catalog screen: products, their prices, and payment links."""

from __future__ import annotations

from screens.base import ConsoleScreen


class CatalogScreen(ConsoleScreen):
    """Products, the selected product's prices, and payment links."""

    MODE = "catalog"
