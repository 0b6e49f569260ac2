"""Builds kcache's optional C call path (kcache._fast); the package works without it (ctypes)."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("kcache._fast", ["kcache/_fast.c"], optional=True)])
