"""Counter-based randomness: every random value is a pure function of (seed, stream, counter).

Why counter-based: a day must be reproducible on its own (no state carried from the day
before), and an order placed 30 days ago must be re-derivable today to emit its status
change. Hashing (key, id) with splitmix64 gives that for O(1) per value, vectorised in numpy.
Sequential numpy streams (Philox) are used where values are only needed on one day.
"""

from __future__ import annotations

import hashlib

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_INV_2_53 = 1.0 / float(1 << 53)


def stream_key(seed: int, *parts: object) -> int:
    """Return a stable 64-bit key for a named stream (never Python's salted ``hash``)."""
    text = repr((seed, *parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def hash64(key: int, counters: np.ndarray) -> np.ndarray:
    """Hash each counter with ``key`` into a uniformly distributed uint64 (splitmix64)."""
    x = np.asarray(counters).astype(np.uint64) * _GOLDEN + np.uint64(key)
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def unit(h: np.ndarray) -> np.ndarray:
    """Map uint64 hashes to floats in [0, 1) using the top 53 bits."""
    return (h >> _S11).astype(np.float64) * _INV_2_53


def uniform(key: int, counters: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) floats, one per counter, for the stream ``key``."""
    return unit(hash64(key, counters))


def generator(seed: int, *parts: object) -> np.random.Generator:
    """A numpy Generator (Philox) for the named stream; same parts, same sequence."""
    return np.random.Generator(np.random.Philox(np.random.SeedSequence(stream_key(seed, *parts))))


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round x down or up with probability given by its fraction, so the mean is kept."""
    base = np.floor(x)
    return (base + (u < (x - base))).astype(np.int64)


def pick(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF pick: index i with probability weight_i, given normalised cumulative weights."""
    return np.minimum(np.searchsorted(cumulative, u, side="right"), len(cumulative) - 1)


def cumulative(weights: list[float] | np.ndarray) -> np.ndarray:
    """Normalised cumulative weights for :func:`pick`."""
    w = np.asarray(weights, dtype=np.float64)
    c = np.cumsum(w / w.sum())
    c[-1] = 1.0
    return c
