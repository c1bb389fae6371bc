"""A downstream user of tthc: a store written from docs/adapters.md, and broken copies."""
