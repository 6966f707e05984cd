"""The runtime's pallets, one package each, laid out like FRAME pallets (storage, calls, events, errors)."""
