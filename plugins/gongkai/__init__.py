"""gongkai (公开): a static site generator for government information disclosure platforms."""

__version__ = "0.1.0"
