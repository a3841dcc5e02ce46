"""PyTorch reference for the bench: the four example models, batch 64, Adam 1e-3, tensors preloaded.

Prints one JSON line per model: {"model", "batches", "batchMs": [...], "maxRssMb"}.
Usage: python3 bench/pytorch_ref.py <mnist idx folder> <threads> <model>:<batches> ...
"""
import gzip
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 64
WARMUP = 3


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def conv(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU()]


def build(name):
    if name == "MLP":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    if name == "TinyCNN":
        return nn.Sequential(*conv(1, 4), nn.MaxPool2d(2), *conv(4, 8), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 7 * 7, 10))
    if name == "CNN":
        return nn.Sequential(*conv(1, 8), nn.MaxPool2d(2), *conv(8, 16), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))
    if name == "StrongCNN":
        return nn.Sequential(*conv(1, 32), *conv(32, 32), nn.MaxPool2d(2), nn.Dropout(0.25),
                             *conv(32, 64), *conv(64, 64), nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
                             nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    raise SystemExit(f"unknown model {name}")


def measure(name, batches, images, labels):
    torch.manual_seed(1)
    model = build(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(images.shape[0])
    times = []
    for b in range(WARMUP + batches):
        started = time.perf_counter()
        # Gathering the batch is timed, as on our side (gatherBatch and tensor creation).
        idx = order[b * BATCH:(b + 1) * BATCH]
        x, y = images[idx], labels[idx]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()
        if b >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    return times


def main():
    folder, threads, *jobs = sys.argv[1:]
    torch.set_num_threads(int(threads))
    images = torch.from_numpy(read_idx(f"{folder}/train-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    labels = torch.from_numpy(read_idx(f"{folder}/train-labels-idx1-ubyte").astype(np.int64))
    for job in jobs:
        name, batches = job.split(":")
        times = measure(name, int(batches), images, labels)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"model": name, "batches": len(times), "batchMs": times, "maxRssMb": rss}), flush=True)


if __name__ == "__main__":
    main()
