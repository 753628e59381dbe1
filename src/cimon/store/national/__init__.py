"""The national instance's store: provinces' published results imported for comparison (#20)."""
