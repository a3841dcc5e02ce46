"""PyTorch reference for the whole study: the four example models trained in turn for the same
epochs (batch 64, Adam 1e-3, cross-entropy on logits), each evaluated on the test set after every
epoch, as `archlab train examples/mnist.model.ts` does. Prints one JSON line:
{"seconds": wall time of training and evaluation, "models": [{"model", "testAccuracy", "seconds"}]}.
Usage: python3 bench/pytorch_study.py <mnist idx folder> <threads> <epochs>
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from pytorch_ref import BATCH, build, read_idx  # noqa: E402

MODELS = ["MLP", "TinyCNN", "CNN", "StrongCNN"]


def load(folder, split):
    images = torch.from_numpy(read_idx(f"{folder}/{split}-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    labels = torch.from_numpy(read_idx(f"{folder}/{split}-labels-idx1-ubyte").astype(np.int64))
    return images, labels


def accuracy(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, images.shape[0], 500):
            correct += (model(images[start:start + 500]).argmax(1) == labels[start:start + 500]).sum().item()
    model.train()
    return correct / images.shape[0]


def main():
    folder, threads, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    train_x, train_y = load(folder, "train")
    test_x, test_y = load(folder, "t10k")
    started = time.perf_counter()
    results = []
    for name in MODELS:
        model_started = time.perf_counter()
        torch.manual_seed(42)
        model = build(name)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        acc = 0.0
        for _ in range(epochs):
            order = torch.randperm(train_x.shape[0])
            for start in range(0, train_x.shape[0], BATCH):
                idx = order[start:start + BATCH]
                optimizer.zero_grad()
                loss_fn(model(train_x[idx]), train_y[idx]).backward()
                optimizer.step()
            acc = accuracy(model, test_x, test_y)
        results.append({"model": name, "testAccuracy": acc, "seconds": time.perf_counter() - model_started})
    print(json.dumps({"seconds": time.perf_counter() - started, "models": results}), flush=True)


if __name__ == "__main__":
    main()
