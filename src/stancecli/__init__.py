"""stancecli: where organisations stand on a policy question, in their own words."""

__version__ = "0.1.0"
