"""gisserver: a GIS situational-awareness server for emergency command centres."""

__version__ = "0.1.0"
