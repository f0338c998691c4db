"""Surfaces for people: texts and formats in English and Simplified Chinese (Babel).

``locales`` (negotiation), ``catalogs`` (gettext catalogs per domain, compiled on first use),
``formatting`` (terms, money, months, ages), ``explanations`` (explanation trees as text) and
``statements`` (statement tables and comparisons); ``extract`` is the ``pybabel extract``
method that finds marked texts and formulas.
"""
