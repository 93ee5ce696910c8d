"""The scoring rules of DESIGN.md (pure functions in `rules`) and the reads that feed them."""
