#!/usr/bin/env python3
"""Rebuilds the data subsets of test-fixtures/data from the full data sets (../shared/data).

Usage: python3 test-fixtures/make-fixtures.py [FULL_DATA_DIR]   (default: ../shared/data)
The subsets are deterministic: gzip without name or time stamp, fixed record choice.
"""
import gzip
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data")
TEST_IMAGES = 500   # the first 500 test images (MNIST, Fashion-MNIST)
TRAIN_IMAGES = 500  # the first 500 training images (calibration, training smoke test)
CIFAR_PER_CLASS = 50  # the first 50 records of each class block of the class-ordered CIFAR test batch


def idx_head(raw, n):
    magic, = struct.unpack(">I", raw[:4])
    ndim = magic & 0xFF
    dims = list(struct.unpack(">%dI" % ndim, raw[4:4 + 4 * ndim]))
    per = 1
    for d in dims[1:]:
        per *= d
    body = raw[4 + 4 * ndim:4 + 4 * ndim + n * per]
    return struct.pack(">I", magic) + struct.pack(">%dI" % ndim, n, *dims[1:]) + body


def write_gz(path, data):
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as g:
            g.write(data)


for name in ("mnist", "fashion-mnist"):
    out = os.path.join(HERE, "data", name)
    os.makedirs(out, exist_ok=True)
    for split, n in (("t10k", TEST_IMAGES), ("train", TRAIN_IMAGES)):
        for kind in ("images-idx3", "labels-idx1"):
            f = "%s-%s-ubyte.gz" % (split, kind)
            with gzip.open(os.path.join(SRC, name, f), "rb") as g:
                write_gz(os.path.join(out, f), idx_head(g.read(), n))

out = os.path.join(HERE, "data", "cifar10-q75")
os.makedirs(out, exist_ok=True)
with open(os.path.join(SRC, "cifar10-q75", "test_batch.bin"), "rb") as f:
    raw = f.read()
rec = 3073
with open(os.path.join(out, "test_batch.bin"), "wb") as f:
    for r in range(len(raw) // rec):
        if r % 1000 < CIFAR_PER_CLASS:
            f.write(raw[r * rec:(r + 1) * rec])

# real MXNet's predictions (<label> <argmax>) for exactly the images of the subsets above
MODELS = os.path.join(SRC, "..", "models")
for model, rule in (("mnist-cnn-tanh", lambda i: i < TEST_IMAGES),
                    ("mnist-lenet-fcrc", lambda i: i < TEST_IMAGES),
                    ("mnist-mlp-advosbig", lambda i: i < TEST_IMAGES),
                    ("cifar-resnet20-v1", lambda i: i % 1000 < CIFAR_PER_CLASS)):
    with open(os.path.join(MODELS, model, "mxnet_predictions_t10k.txt")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(HERE, "models", model, "mxnet_predictions_fixture.txt"), "w") as f:
        f.write("".join(l + "\n" for i, l in enumerate(lines) if rule(i)))
