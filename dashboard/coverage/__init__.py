"""The coverage page at /coverage: who is far from mediation, and where the next rooms should go."""
