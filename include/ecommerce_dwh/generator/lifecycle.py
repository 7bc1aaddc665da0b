"""Order status lifecycles: placed -> paid -> shipped -> delivered (-> returned), or cancelled.

Each order's whole future is decided by hashes of its id when it is placed, as day offsets
from the placing day. A later day's file then lists the orders whose next event falls on
that day, with no state carried between days. At most one event per order per later day.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .rng import hash64, stream_key
from .schemas import PAYMENT_METHODS

PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED = range(6)
BANK_TRANSFER = PAYMENT_METHODS.index("bank_transfer")
# Longest path: bank transfer paid on day 3, shipped +3, delivered +6, returned +28.
LOOKBACK_DAYS = 40
LEGAL_TRANSITIONS = {
    PLACED: {PAID, CANCELLED},
    PAID: {SHIPPED, CANCELLED},
    SHIPPED: {DELIVERED},
    DELIVERED: {RETURNED},
    CANCELLED: set(),
    RETURNED: set(),
}
CARD_FAILURE_RATE = 0.02  # never paid, cancelled the next day
BANK_UNPAID_RATE = 0.12  # transfer never arrives, cancelled after 4 days
CANCEL_RATE = 0.03  # paid, then cancelled before shipping
RETURN_RATE = 0.07  # of delivered orders


@dataclasses.dataclass(frozen=True)
class Lifecycle:
    """Day offsets (from the placing day) of each event; -1 = never happens."""

    paid: np.ndarray
    shipped: np.ndarray
    delivered: np.ndarray
    returned: np.ndarray
    cancelled: np.ndarray

    def event_on(self, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """(mask of orders with an event ``offset`` days after placing, status after it)."""
        status = np.full(len(self.paid), -1, dtype=np.int16)
        for code, when in ((PAID, self.paid), (SHIPPED, self.shipped),
                           (DELIVERED, self.delivered), (RETURNED, self.returned),
                           (CANCELLED, self.cancelled)):
            status[when == offset] = code
        return status >= 0, status


def order_hash(seed: int, order_ids: np.ndarray) -> np.ndarray:
    """One 64-bit hash per order; its bit fields decide payment method and lifecycle."""
    return hash64(stream_key(seed, "order", "life"), order_ids)


# Bit fields of the order hash: 54-63 payment, 44-53 failure, 34-43 cancel, 24-33 return
# (10-bit uniforms), 0-3 pay delay, 4-7 ship delay, 8-11 delivery, 12-17 return delay.
_PAYMENT_THRESHOLDS = (np.cumsum([0.50, 0.20, 0.18, 0.04])[:, None] * 1024).astype(np.int16)


def _field(h: np.ndarray, shift: int, bits: int) -> np.ndarray:
    return ((h >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.int16)


def payment_codes(h: np.ndarray) -> np.ndarray:
    """Payment method code of each order from its order hash (shares as in PAYMENT_METHODS)."""
    u = _field(h, 54, 10)
    return (u >= _PAYMENT_THRESHOLDS).sum(axis=0, dtype=np.int16)


def lifecycle(h: np.ndarray) -> Lifecycle:
    """The lifecycle of each order from its order hash (vectorised, small integer types)."""
    never = np.int16(-1)
    bank = payment_codes(h) == BANK_TRANSFER
    fail = _field(h, 44, 10)
    unpaid = np.where(bank, fail < int(BANK_UNPAID_RATE * 1024),
                      fail < int(CARD_FAILURE_RATE * 1024))
    paid = np.where(unpaid, never, np.where(bank, 1 + _field(h, 0, 4) % 3, 0)).astype(np.int16)
    cancel_paid = ~unpaid & (_field(h, 34, 10) < int(CANCEL_RATE * 1024))
    cancelled = np.where(unpaid, np.where(bank, 4, 1), np.where(cancel_paid, paid + 1, never))
    ships = ~unpaid & ~cancel_paid
    shipped = np.where(ships, paid + 1 + _field(h, 4, 4) % 3, never)
    delivered = np.where(ships, shipped + 2 + _field(h, 8, 4) % 5, never)
    returns = ships & (_field(h, 24, 10) < int(RETURN_RATE * 1024))
    returned = np.where(returns, delivered + 3 + _field(h, 12, 6) % 26, never)
    return Lifecycle(paid, shipped, delivered, returned, cancelled.astype(np.int16))
