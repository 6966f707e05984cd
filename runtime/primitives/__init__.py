"""Chain primitives: hashing, keys and addresses, storage keys, headers, digests and extrinsics."""
