"""The package's version, in a module of its own: every module that states it (the
schemas, exports, the command line) imports it from here, not from the package's
``__init__``, which imports the rest of the package on demand."""

__version__ = "0.2.0"
