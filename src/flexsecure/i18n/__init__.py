"""Surfaces for people: texts and formats in English and Simplified Chinese (Babel).

``formatting`` (terms, money, months), ``explanations`` (explanation trees as text) and
``statements`` (statement tables and comparisons).
"""
