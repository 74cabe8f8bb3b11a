#!/usr/bin/env python3
"""PyTorch reference for `grokking bench`: the engine's modular-arithmetic transformer trained in plain PyTorch.

The model is the engine's PopulationTransformer with Norm = None (src/Grokking/Models/PopulationTransformer.cs):
token embeddings plus learned positions, decoder blocks of causal multi-head attention without biases and a ReLU MLP
with biases, no normalization, and an unembedding without bias read at the last position. As in the engine, the last
block computes queries, the attention output and the MLP for the last position only (the logits are the same as a
full causal block's), so both sides do the same FLOPs. Initialization is PyTorch's default (nn.Embedding N(0, 1),
nn.Linear U(+-1/sqrt(fan_in))), the engine's Init = pytorchdefault.

Training is plain SGD with L2 weight decay (torch.optim.SGD(lr, weight_decay), the engine's SGD), the mean cross
entropy of minibatches of --batch rows drawn from a per-member shuffle of the training split each epoch (the last
batch of an epoch is the remainder), no metrics during training and one full train/val evaluation at the end (the
engine's trainer always ends with one metric step).

K = 1 is eager PyTorch (an nn.Module and torch.optim.SGD). K = --members runs the same modules as one ensemble
through vmap: functorch.combine_state_for_ensemble + functorch.vmap (PyTorch 1.13), else torch.func.stack_module_state
+ torch.func.functional_call under torch.func.vmap (PyTorch 2), else, labelled "bmm", the population written by hand
with batched matmuls over stacked weights.

Output: one JSON object per line on stdout, nothing else there (warnings go to stderr). Each measurement line has
  {"schema": "grokking-bench-pytorch/1", "mode": "eager"|"vmap", "batching": "none"|"functorch"|"torch.func"|"bmm",
   "members": K, "repeats": timed runs (the fastest reported), "d_model", "d_mlp", "layers", "heads", "batch",
   "modulus", "epochs", "steps", "steps_per_epoch", "seconds", "steps_per_s", "epochs_per_s", "cpu_seconds": the
   process's CPU time over the run reported (every thread), "torch": version,
   "threads": torch.get_num_threads(), "blas": library}
A failure prints {"schema": ..., "error": message} and exits with status 1.
"""

import argparse
import json
import math
import os
import sys
import time

SCHEMA = "grokking-bench-pytorch/1"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modulus", type=int, default=97)
    parser.add_argument("--operation", choices=["add", "subtract", "multiply"], default="multiply")
    parser.add_argument("--equals-token", action="store_true", help="inputs 'a b =' (vocabulary p + 1), not 'a b'")
    parser.add_argument("--train-fraction", type=float, default=0.4)
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--d-mlp", type=int, default=512)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=0.001)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--members", type=int, default=8, help="population of the vmap measurement (0: eager only)")
    parser.add_argument("--repeats", type=int, default=1, help="timed eager runs, the fastest reported (vmap: one)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batching", choices=["auto", "bmm"], default="auto", help="bmm: the hand-batched population")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def emit(record):
    print(json.dumps(dict(schema=SCHEMA, **record), sort_keys=True), flush=True)


def blas_library():
    """The BLAS this process mapped, as directory/file: Debian's torch links libblas.so.3, an alternative that is the
    reference BLAS (blas/libblas.so.3) unless OpenBLAS is installed (openblas-pthread/libblas.so.3)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            mapped = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        paths = sorted({os.path.realpath(path) for path in mapped})
    except OSError:
        return "unknown"
    if not paths:
        return "unknown"
    blas = next((p for p in paths if os.path.basename(p).startswith("libblas")), paths[0])
    return os.path.join(os.path.basename(os.path.dirname(blas)), os.path.basename(blas))


def dataset(torch, args):
    p = args.modulus
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    labels = {"add": a + b, "subtract": a - b, "multiply": a * b}[args.operation] % p
    columns = [a, b] + ([torch.full_like(a, p)] if args.equals_token else [])
    return torch.stack(columns, dim=1), labels


def split(torch, x, y, members, fraction, generator):
    """Each member's own train/val split: [K, n_train, n], [K, n_train], [K, n_val, n], [K, n_val]."""
    total = x.shape[0]
    n_train = min(max(int(math.floor(total * fraction)), 1), total - 1)
    order = torch.stack([torch.randperm(total, generator=generator) for _ in range(members)])
    train, val = order[:, :n_train], order[:, n_train:]
    return x[train], y[train], x[val], y[val]


def make_model_class(torch):
    nn = torch.nn
    functional = torch.nn.functional

    class Block(nn.Module):
        def __init__(self, d, d_mlp, heads):
            super().__init__()
            self.heads = heads
            self.q = nn.Linear(d, d, bias=False)
            self.k = nn.Linear(d, d, bias=False)
            self.v = nn.Linear(d, d, bias=False)
            self.o = nn.Linear(d, d, bias=False)
            self.mlp_in = nn.Linear(d, d_mlp)
            self.mlp_out = nn.Linear(d_mlp, d)

        def forward(self, h, last):
            batch, n, d = h.shape
            dh = d // self.heads
            keys = self.k(h).view(batch, n, self.heads, dh).transpose(1, 2)
            values = self.v(h).view(batch, n, self.heads, dh).transpose(1, 2)
            query_input = h[:, -1:] if last else h
            queries = query_input.shape[1]
            q = self.q(query_input).view(batch, queries, self.heads, dh).transpose(1, 2)
            scores = q.matmul(keys.transpose(-1, -2)) / math.sqrt(dh)
            if not last:  # the last position attends to every key: no mask needed there
                causal = torch.ones(n, n, dtype=torch.bool, device=h.device).triu(1)
                scores = scores.masked_fill(causal, float("-inf"))
            mixed = scores.softmax(-1).matmul(values).transpose(1, 2).reshape(batch, queries, d)
            h = query_input + self.o(mixed)
            return h + self.mlp_out(functional.relu(self.mlp_in(h)))

    class Transformer(nn.Module):
        def __init__(self, vocabulary, n, d, d_mlp, heads, layers, classes):
            super().__init__()
            self.embed = nn.Embedding(vocabulary, d)
            self.position = nn.Parameter(torch.randn(n, d))
            self.blocks = nn.ModuleList(Block(d, d_mlp, heads) for _ in range(layers))
            self.unembed = nn.Linear(d, classes, bias=False)

        def forward(self, tokens):
            h = self.embed(tokens) + self.position
            for index, block in enumerate(self.blocks):
                h = block(h, index == len(self.blocks) - 1)
            return self.unembed(h[:, -1])

    return Transformer


class Setup:
    """What both measurements share: data, shapes and the model class."""

    def __init__(self, torch, args):
        self.torch = torch
        self.args = args
        self.x, self.y = dataset(torch, args)
        self.n = self.x.shape[1]
        self.vocabulary = args.modulus + (1 if args.equals_token else 0)
        self.classes = self.vocabulary  # the unembedding covers the vocabulary (the engine's classes)
        self.model_class = make_model_class(torch)

    def model(self):
        a = self.args
        return self.model_class(self.vocabulary, self.n, a.d_model, a.d_mlp, a.heads, a.layers, self.classes)

    def steps_per_epoch(self, n_train):
        return (n_train + self.args.batch - 1) // self.args.batch


def train_eager(setup, epochs, generator):
    """K = 1: an nn.Module and torch.optim.SGD, one minibatch at a time; returns the steps taken."""
    torch = setup.torch
    a = setup.args
    model = setup.model()
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    train_x, train_y, val_x, val_y = (t[0] for t in split(torch, setup.x, setup.y, 1, a.train_fraction, generator))
    n_train = train_x.shape[0]
    steps = 0
    for _ in range(epochs):
        order = torch.randperm(n_train, generator=generator)
        for first in range(0, n_train, a.batch):
            rows = order[first:first + a.batch]
            loss = torch.nn.functional.cross_entropy(model(train_x[rows]), train_y[rows])
            optimizer.zero_grad(set_to_none=False)
            loss.backward()
            optimizer.step()
            steps += 1
    with torch.no_grad():
        for x, y in ((train_x, train_y), (val_x, val_y)):
            logits = model(x)
            torch.nn.functional.cross_entropy(logits, y).item()
            (logits.argmax(-1) == y).float().mean().item()
    return steps


def ensemble(setup, members, batching):
    """(forward(params, tokens [K, B, n]) -> logits [K, B, C], params, label of the batching) for K fresh modules."""
    torch = setup.torch
    models = [setup.model() for _ in range(members)]
    if batching == "auto":
        try:
            import functorch

            function, params, buffers = functorch.combine_state_for_ensemble(models)
            batched = functorch.vmap(function)
            params = tuple(p.detach().requires_grad_() for p in params)
            return (lambda ps, tokens: batched(ps, buffers, tokens)), params, "functorch"
        except ImportError:
            pass
        try:
            from torch import func

            state, buffers = func.stack_module_state(models)
            names = list(state)
            base = models[0]

            def one(ps, bs, tokens):
                return func.functional_call(base, ({**dict(zip(names, ps)), **bs}), (tokens,))

            batched = func.vmap(one, in_dims=(0, 0, 0))
            params = tuple(state[n].detach().requires_grad_() for n in names)
            return (lambda ps, tokens: batched(ps, buffers, tokens)), params, "torch.func"
        except ImportError:
            pass
    return bmm_ensemble(setup, models)


def bmm_ensemble(setup, models):
    """The population by hand: the same modules' weights stacked [K, ...] and every linear layer a bmm."""
    torch = setup.torch
    state = [dict(m.named_parameters()) for m in models]
    names = list(state[0])
    params = tuple(torch.stack([s[n].detach() for s in state]).requires_grad_() for n in names)
    heads = setup.args.heads

    def forward(ps, tokens):
        w = dict(zip(names, ps))
        k = tokens.shape[0]
        vocabulary = w["embed.weight"].shape[1]
        offsets = (torch.arange(k).view(k, 1, 1) * vocabulary)
        h = w["embed.weight"].reshape(-1, w["embed.weight"].shape[-1])[tokens + offsets] + w["position"].unsqueeze(1)
        layers = len(models[0].blocks)
        for index in range(layers):
            h = bmm_block(torch, w, f"blocks.{index}.", h, heads, index == layers - 1)
        return h[:, :, -1].bmm(w["unembed.weight"].transpose(1, 2))

    return forward, params, "bmm"


def bmm_block(torch, w, prefix, h, heads, last):
    k, batch, n, d = h.shape
    dh = d // heads

    def linear(x, name, bias=None):
        out = x.reshape(k, -1, x.shape[-1]).bmm(w[prefix + name].transpose(1, 2))
        out = out if bias is None else out + w[prefix + bias].unsqueeze(1)
        return out.view(*x.shape[:-1], -1)

    keys = linear(h, "k.weight").view(k, batch, n, heads, dh).transpose(2, 3)
    values = linear(h, "v.weight").view(k, batch, n, heads, dh).transpose(2, 3)
    query_input = h[:, :, -1:] if last else h
    queries = query_input.shape[2]
    q = linear(query_input, "q.weight").view(k, batch, queries, heads, dh).transpose(2, 3)
    scores = q.matmul(keys.transpose(-1, -2)) / math.sqrt(dh)
    if not last:
        scores = scores.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    mixed = scores.softmax(-1).matmul(values).transpose(2, 3).reshape(k, batch, queries, d)
    h = query_input + linear(mixed, "o.weight")
    hidden = torch.relu(linear(h, "mlp_in.weight", "mlp_in.bias"))
    return h + linear(hidden, "mlp_out.weight", "mlp_out.bias")


def train_population(setup, members, epochs, generator, batching):
    """K members in lockstep, each on its own split and shuffle; returns (steps, batching label)."""
    torch = setup.torch
    a = setup.args
    forward, params, label = ensemble(setup, members, batching)
    optimizer = torch.optim.SGD(params, lr=a.lr, weight_decay=a.weight_decay)
    train_x, train_y, val_x, val_y = split(torch, setup.x, setup.y, members, a.train_fraction, generator)
    n_train = train_x.shape[1]
    member = torch.arange(members).unsqueeze(1)
    steps = 0
    for _ in range(epochs):
        order = torch.argsort(torch.rand(members, n_train, generator=generator), dim=1)
        for first in range(0, n_train, a.batch):
            rows = order[:, first:first + a.batch]
            logits = forward(params, train_x[member, rows])
            per_member = cross_entropy_per_member(torch, logits, train_y[member, rows])
            optimizer.zero_grad(set_to_none=False)
            per_member.sum().backward()
            optimizer.step()
            steps += 1
    with torch.no_grad():
        for x, y in ((train_x, train_y), (val_x, val_y)):
            logits = forward(params, x)
            cross_entropy_per_member(torch, logits, y).tolist()
            (logits.argmax(-1) == y).float().mean(1).tolist()
    return steps, label


def cross_entropy_per_member(torch, logits, labels):
    k, batch, classes = logits.shape
    flat = logits.reshape(k * batch, classes)
    per_example = torch.nn.functional.cross_entropy(flat, labels.reshape(-1), reduction="none")
    return per_example.view(k, batch).mean(1)


def measure(setup, name, train, repeats):
    """Warm-up (2 epochs, untimed), then the timed runs (model construction, the epochs and the final evaluation): the
    fastest of them is reported with its CPU time, as the bench reports its own fastest on a machine others share."""
    torch = setup.torch
    train(2, torch.Generator().manual_seed(setup.args.seed + 1))
    seconds, cpu_seconds = math.inf, math.inf
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        steps, batching = train(setup.args.epochs, torch.Generator().manual_seed(setup.args.seed))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if wall < seconds:
            seconds, cpu_seconds = wall, cpu
    a = setup.args
    steps_per_epoch = steps // a.epochs
    emit(dict(
        mode=name, batching=batching, members=1 if name == "eager" else a.members, repeats=repeats,
        d_model=a.d_model, d_mlp=a.d_mlp, layers=a.layers, heads=a.heads, batch=a.batch, modulus=a.modulus,
        epochs=a.epochs, steps=steps, steps_per_epoch=steps_per_epoch, seconds=seconds, steps_per_s=steps / seconds,
        epochs_per_s=a.epochs / seconds, cpu_seconds=cpu_seconds,
        torch=torch.__version__, threads=torch.get_num_threads(), blas=blas_library()))


def main():
    args = arguments()
    try:
        import torch
    except ImportError as error:
        emit(dict(error=f"import torch failed: {error}"))
        return 1
    try:
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)
        setup = Setup(torch, args)
        measure(setup, "eager", lambda epochs, g: (train_eager(setup, epochs, g), "none"), max(1, args.repeats))
        if args.members > 0:
            measure(setup, "vmap", lambda epochs, g: train_population(setup, args.members, epochs, g, args.batching), 1)
    except Exception as error:  # reported as one line the bench can show, never as a half-written measurement
        emit(dict(error=f"{type(error).__name__}: {error}"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
