"""Grant calculations for each financing model."""
