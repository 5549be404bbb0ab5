"""The demo world: nine fictional outlets served over loopback HTTP from a small corpus."""
