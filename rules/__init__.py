"""Tilskudd's rules core: dated, cited parameters and explained calculations.

Pure Python: nothing here imports Django. Every amount comes back with an explanation
whose lines sum to it, and every parameter value used carries its source.
"""
