"""End-to-end tests of `vigil snapshot --view drift [--feature NAME] [--statistic S]`: a real
log written here (one feature shifts on day 2, a category appears), the vigil binary run as a
user would, the images checked (format, size, drifted cells visible) and the errors' exit codes."""
import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

VIGIL = None
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
MARK = (0x10, 0x10, 0x10)  # the drifted-cell mark (ui/views/drift_colors.h)


def run(*args, check=True):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def write_log(path, shift):
    rng = random.Random(11)
    with open(path, "w") as f:
        for i in range(48 * 60):
            late = shift and i >= 24 * 60
            x = rng.random() * 2 + (3.0 if late else 0.0)
            colour = "green" if late and i % 3 == 0 else ("red" if i % 2 else "blue")
            p = rng.random()
            f.write(json.dumps({"ts": T0 + i * 60_000, "features": {"x": x, "colour": colour},
                                "prediction": p, "label": int(p > 0.5)}) + "\n")


def png_pixels(path):
    """(width, height, rows of RGBA tuples) of an 8-bit RGB/RGBA PNG, with the scanline filters undone."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def count_colour(path, rgb):
    _, _, rows, bpp = png_pixels(path)
    n = 0
    for line in rows:
        for i in range(0, len(line), bpp):
            if (line[i], line[i + 1], line[i + 2]) == rgb:
                n += 1
    return n


class SnapshotDriftTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.log = os.path.join(cls.tmp.name, "shift.jsonl")
        cls.stable = os.path.join(cls.tmp.name, "stable.jsonl")
        write_log(cls.log, True)
        write_log(cls.stable, False)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def out(self, name):
        return os.path.join(self.tmp.name, name)

    def test_formats(self):
        for feature in (None, "x", "colour"):
            for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF-")):
                with self.subTest(feature=feature, ext=ext):
                    out = self.out(f"drift-{feature}.{ext}")
                    args = ["snapshot", self.log, "--view", "drift", "--out", out, "--size", "1200x900"]
                    if feature:
                        args += ["--feature", feature]
                    run(*args)
                    data = open(out, "rb").read()
                    self.assertTrue(data.startswith(magic), data[:16])
                    if ext == "png":
                        self.assertEqual(struct.unpack(">II", data[16:24]), (1200, 900))
                    if ext == "svg":
                        text = data.decode("utf-8", "replace")
                        self.assertIn("</svg>", text)
                        if feature == "x":
                            self.assertIn("ECDF", text)
                        if feature == "colour":
                            self.assertIn("Category shares", text)
                            self.assertIn("green (new)", text)

    def test_drifted_cells_are_marked(self):
        shifted, stable = self.out("marks-shift.png"), self.out("marks-stable.png")
        run("snapshot", self.log, "--view", "drift", "--out", shifted, "--size", "900x600")
        run("snapshot", self.stable, "--view", "drift", "--out", stable, "--size", "900x600")
        w, h, _, _ = png_pixels(shifted)
        self.assertEqual((w, h), (900, 600))
        # 24 drifted windows of x (and colour) against none: the marks are there only with drift.
        marked = count_colour(shifted, MARK)
        self.assertGreater(marked, 200)
        self.assertLess(count_colour(stable, MARK), marked / 10)

    def test_every_statistic(self):
        for stat in ("ks", "wasserstein", "psi", "js", "hellinger", "chi2", "missing"):
            with self.subTest(stat=stat):
                run("snapshot", self.log, "--view", "drift", "--statistic", stat, "--out", self.out(f"s-{stat}.png"),
                    "--size", "900x600")

    def test_errors(self):
        proc = run("snapshot", self.log, "--view", "drift", "--feature", "nope", "--out", self.out("e.png"),
                   check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown feature 'nope'", proc.stderr)
        self.assertIn("x, colour, prediction, label", proc.stderr)
        self.assertFalse(os.path.exists(self.out("e.png")))
        proc = run("snapshot", self.log, "--view", "drift", "--statistic", "bogus", "--out", self.out("e.png"),
                   check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--statistic", proc.stderr)
        proc = run("snapshot", self.log, "--view", "kpi", "--feature", "x", "--out", self.out("e.png"), check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--feature needs --view drift", proc.stderr)
        proc = run("snapshot", self.log, "--view", "drift", "--out", self.out("e.txt"), check=False)
        self.assertEqual(proc.returncode, 2)
        # Too small to lay out the drill-down: an error, never an image of another size.
        proc = run("snapshot", self.log, "--view", "drift", "--feature", "x", "--size", "900x500",
                   "--out", self.out("small.png"), check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("too small", proc.stderr)
        self.assertFalse(os.path.exists(self.out("small.png")))

    def test_performance_with_drift(self):
        out = self.out("perf.svg")
        run("snapshot", self.log, "--view", "performance", "--drift", "--out", out)
        self.assertIn("Multivariate input drift", open(out, encoding="utf-8", errors="replace").read())


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
