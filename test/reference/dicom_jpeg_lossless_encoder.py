"""Minimal JPEG Lossless encoder (ITU T.81 process 14, first-order prediction, one component)
used only to make test files for the importer: pydicom here has no encoder or decoder for it.

The Huffman table gives every difference category (SSSS 0..16) a 5-bit code, which is valid
(no all-ones code) if not optimal.
"""
import numpy as np


def _marker(code: int, payload: bytes) -> bytes:
    return bytes([0xFF, code]) + (len(payload) + 2).to_bytes(2, "big") + payload


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.nbits = 0

    def write(self, value: int, nbits: int) -> None:
        for shift in range(nbits - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> shift) & 1)
            self.nbits += 1
            if self.nbits == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0x00)  # byte stuffing
                self.acc = 0
                self.nbits = 0

    def flush(self) -> bytes:
        if self.nbits:
            self.write((1 << (8 - self.nbits)) - 1, 8 - self.nbits)  # pad with ones
        return bytes(self.out)


def encode_lossless(pixels: np.ndarray, precision: int) -> bytes:
    """pixels: 2-D array of unsigned sample values < 2**precision (two's complement patterns)."""
    rows, cols = pixels.shape
    values = pixels.astype(np.int64)
    assert values.min() >= 0 and values.max() < (1 << precision)
    sof3 = bytes([precision]) + rows.to_bytes(2, "big") + cols.to_bytes(2, "big") + bytes([1, 1, 0x11, 0])
    bits = [0] * 16
    bits[4] = 17  # 17 codes of length 5
    dht = bytes([0x00]) + bytes(bits) + bytes(range(17))
    sos = bytes([1, 1, 0x00, 1, 0, 0])  # Ns=1, Cs=1, table 0, predictor 1, Se=0, Pt=0
    writer = _BitWriter()
    for y in range(rows):
        for x in range(cols):
            if x == 0 and y == 0:
                prediction = 1 << (precision - 1)
            elif x == 0:
                prediction = values[y - 1, 0]  # first column: the sample above
            else:
                prediction = values[y, x - 1]  # predictor 1: the sample to the left
            diff = int(values[y, x] - prediction) % 65536
            if diff >= 32768:
                diff -= 65536
            ssss = 0 if diff == 0 else abs(diff).bit_length()
            writer.write(ssss, 5)  # the code for category n is n itself (canonical order)
            if 0 < ssss < 16:
                writer.write(diff if diff > 0 else diff + (1 << ssss) - 1, ssss)
    return (
        b"\xff\xd8"
        + _marker(0xC3, sof3)
        + _marker(0xC4, dht)
        + _marker(0xDA, sos)
        + writer.flush()
        + b"\xff\xd9"
    )
