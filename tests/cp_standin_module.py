"""Empty: tests/cp_standin.py imports it once for each stand-in module it makes."""
