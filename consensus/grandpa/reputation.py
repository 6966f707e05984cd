"""Peer reputation changes for GRANDPA gossip, with sc-consensus-grandpa's cost and benefit values.

Negative values are costs reported to the peer set for misbehaving peers; the driver passes them on
through its ``GossipNetwork.report``.
"""

from __future__ import annotations

PAST_REJECTION = -50
BAD_SIGNATURE = -100
MALFORMED_CATCH_UP = -1000
MALFORMED_COMMIT = -1000
FUTURE_MESSAGE = -500
UNKNOWN_VOTER = -150
INVALID_VIEW_CHANGE = -500
PER_UNDECODABLE_BYTE = -5
INVALID_CATCH_UP = -5000
INVALID_COMMIT = -5000
OUT_OF_SCOPE_MESSAGE = -500
CATCH_UP_REQUEST_TIMEOUT = -200

NEIGHBOR_MESSAGE = 100
ROUND_MESSAGE = 100
BASIC_VALIDATED_CATCH_UP = 200
BASIC_VALIDATED_COMMIT = 100
