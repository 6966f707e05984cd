"""Client-side consensus: Aura block authoring and verification, block import, fork choice, GRANDPA."""
