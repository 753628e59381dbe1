"""The default robustness analysis in one place: what ``cimon robustness`` does without options,
what ``cimon demo`` shows and what the platform publishes with every version
(:func:`cimon.analysis.uncertainty.default_analysis`). Plain constants: the command line reads these
for its option defaults when the commands are registered."""

DEFAULT_ASSUMPTIONS = "default"
DEFAULT_SEED = 1
DEFAULT_REPLICATES = 1000
DEFAULT_RULES = "nx-2021"  # the incentive rules of the annual report
