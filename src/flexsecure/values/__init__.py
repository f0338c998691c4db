"""Values: money, months and ages, citations, explanations, identity numbers, errors.

The lowest layer. It imports nothing else of flexsecure.
"""
