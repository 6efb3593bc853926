"""The version of bpmncx (one place: the package, its reports and setup.cfg read it)."""

__version__ = "0.1.0"
