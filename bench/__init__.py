"""QualCode benchmark suite (see bench/README.md); never imported by qualcode itself."""
