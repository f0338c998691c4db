"""Calculations: what a worker and their platforms owe, and what it becomes."""
