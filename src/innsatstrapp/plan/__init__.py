"""Planning to 2040 (contract §7): population projections, rates per step and scenarios."""

from innsatstrapp.plan.accounts import StepAccount, read_accounts
from innsatstrapp.plan.population import Population, read_population

__all__ = ["Population", "StepAccount", "read_accounts", "read_population"]
