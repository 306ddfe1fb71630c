"""The municipality's tjenesteguide: which service sits on which step (contract §3)."""

from innsatstrapp.catalog.staircase import (
    ROLES,
    Catalog,
    CatalogService,
    Step,
    default_steps,
    load_catalog,
)

__all__ = ["ROLES", "Catalog", "CatalogService", "Step", "default_steps", "load_catalog"]
