"""The Finnish language: word analysis, index terms, alphabetical order and name forms.

A leaf package: it imports none of the project's apps, and they all may import it.
"""
