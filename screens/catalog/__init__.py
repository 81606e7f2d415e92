"""The Catalog screen (products, their prices, payment links): the screen, its columns, forms
and fetches."""

from screens.catalog.screen import CatalogScreen

__all__ = ["CatalogScreen"]
