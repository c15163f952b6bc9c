"""A QR code PNG (as jobfaird serves it) as a Y4M video for Chromium's
fake camera (--use-file-for-fake-video-capture): the code centred on a
white frame, grey levels only, the same picture in every frame (Chromium
plays the file in a loop, so the page sees the code over and over).
Reads 8-bit and 1-bit greyscale PNGs with zlib alone."""

import struct
import zlib


def png_grey(data):
    """(width, height, rows of 0..255) of a greyscale PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert colour == 0 and depth in (1, 8), (colour, depth)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = (w * depth + 7) // 8
    rows, prev, off = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[off], bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        for i in range(stride):
            a = line[i - 1] if i > 0 else 0
            b, c = prev[i], prev[i - 1] if i > 0 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if depth == 8:
            rows.append(bytes(line))
        else:
            rows.append(bytes(255 if line[x // 8] >> (7 - x % 8) & 1 else 0 for x in range(w)))
    return w, h, rows


def y4m(png, path, width=640, height=480, side=400, frames=15):
    w, h, rows = png_grey(png)
    y = bytearray(b"\xff" * (width * height))
    x0, y0 = (width - side) // 2, (height - side) // 2
    for j in range(side):
        src = rows[j * h // side]
        line = bytes(src[i * w // side] for i in range(side))
        y[(y0 + j) * width + x0:(y0 + j) * width + x0 + side] = line
    chroma = b"\x80" * (width * height // 2)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F15:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + bytes(y) + chroma)
