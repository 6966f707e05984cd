"""GRANDPA finality: wire messages, justifications, authority-set tracking, a sans-IO voter and its trio driver."""
