"""smf_lite: streaming Standard MIDI File reader and player (placeholder until issue 5 lands)."""

__version__ = "0.1.0"
