"""skr-avgift: SKR's co-financing fee for a knowledge-based social services sector.

The core is pure Python: population data, the exact fee model, allocation keys
and the annex generator. The Excel routes in ``addin/`` are thin shells over it.
"""

__version__ = "0.1.0"
