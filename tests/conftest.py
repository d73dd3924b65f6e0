"""Shared test set-up: one torch thread (tiny tensors run faster on one, and CI has two cores)."""

import torch

torch.set_num_threads(1)
