"""Planning to 2040 (contract §7): population projections, rates per step and scenarios."""

from innsatstrapp.plan.population import Population, read_population

__all__ = ["Population", "read_population"]
