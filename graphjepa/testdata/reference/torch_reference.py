# Expected values for graphjepa's TestReferenceFixture, computed with plain PyTorch on the module structure of the
# official Graph-JEPA (geriskenderi/graph-jepa core/model.py GraphJepa, with Graph-ViT-MLPMixer's MLP, GNN and
# GINEConv wrappers and the GTEncoderLayer/HadamardEncoderLayer attention), written here from the spec
# (spec/graph-jepa.md §1-§10) without PyG/torch_scatter: the module names equal the official state-dict keys, so
# load_state_dict(strict=True) of the Go model's weights checks the names too.
#
# Usage: /usr/bin/python3 torch_reference.py DIR   (DIR holds model.safetensors and batch.json; writes expected.json)
import json, math, os, struct, sys
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_default_dtype(torch.float64)
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def load_safetensors(path):  # the format, read by hand (no safetensors package needed)
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    types = {"F64": np.float64, "F32": np.float32, "I64": np.int64}
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=types[v["dtype"]]).reshape(v["shape"])
        out[k] = torch.from_numpy(arr.copy())
    return out


class MLP(nn.Module):  # elements.MLP: bias only where no BN follows (or without norms)
    def __init__(s, nin, nout, nlayer=2, with_final_activation=True, with_norm=True, bias=True):
        super().__init__()
        s.layers = nn.ModuleList([nn.Linear(nin, nin if i < nlayer - 1 else nout,
                                            bias=(i == nlayer - 1 and not with_final_activation and bias) or not with_norm)
                                  for i in range(nlayer)])
        s.norms = nn.ModuleList([nn.BatchNorm1d(nin if i < nlayer - 1 else nout) if with_norm else nn.Identity()
                                 for i in range(nlayer)])
        s.nlayer, s.fa = nlayer, with_final_activation

    def forward(s, x):
        for i, (l, n) in enumerate(zip(s.layers, s.norms)):
            x = l(x)
            if i < s.nlayer - 1 or s.fa:
                x = F.relu(n(x))
        return x


class PyGGINEConv(nn.Module):  # torch_geometric GINEConv(nn, train_eps=True), flow source_to_target, sum aggregation
    def __init__(s, mlp):
        super().__init__()
        s.nn = mlp
        s.eps = nn.Parameter(torch.zeros(1))

    def forward(s, x, ei, e):
        msg = F.relu(x[ei[0]] + e)
        return s.nn(x.new_zeros(x.shape).index_add_(0, ei[1], msg) + (1 + s.eps) * x)


class GINEConv(nn.Module):  # gnn_wrapper.GINEConv: the MLP is registered as .nn and inside .layer
    def __init__(s, nin, nout, bias):
        super().__init__()
        s.nn = MLP(nin, nout, 2, False, bias=bias)
        s.layer = PyGGINEConv(s.nn)

    def forward(s, x, ei, e):
        return s.layer(x, ei, e)


class GNN(nn.Module):  # gnn.GNN(nlayer_gnn=1, bn=True, res=True, dropout=0)
    def __init__(s, d):
        super().__init__()
        s.convs = nn.ModuleList([GINEConv(d, d, bias=False)])
        s.norms = nn.ModuleList([nn.BatchNorm1d(d)])
        s.output_encoder = nn.Linear(d, d)

    def forward(s, x, ei, e):
        prev = x
        for conv, norm in zip(s.convs, s.norms):
            x = F.relu(norm(conv(x, ei, e))) + prev
            prev = x
        return s.output_encoder(x)


class MultiheadAttention(nn.Module):  # gMHA_gt / gMHA_hadamard MultiheadAttention (self attention)
    def __init__(s, d, heads, hadamard):
        super().__init__()
        s.h, s.hd, s.had = heads, d // heads, hadamard
        s.k_proj, s.v_proj, s.q_proj, s.out_proj = (nn.Linear(d, d) for _ in range(4))

    def forward(s, x, kpm, A):
        B, L, d = x.shape
        sp = lambda t: t.view(B, L, s.h, s.hd).transpose(1, 2)
        q, k, v = sp(s.q_proj(x) * s.hd ** -0.5), sp(s.k_proj(x)), sp(s.v_proj(x))
        w = q @ k.transpose(-1, -2)
        if kpm is not None:
            w = w.masked_fill(kpm[:, None, None, :], float("-inf"))
        w = torch.exp(w - w.max(-1, keepdim=True)[0])
        w = w / w.sum(-1, keepdim=True).clamp(min=1e-6)
        if A is not None and s.had:
            w = w * A.unsqueeze(1)
        return s.out_proj((w @ v).transpose(1, 2).reshape(B, L, d))


class EncoderLayer(nn.Module):  # pre-LN, ReLU FFN, dropout 0, norm3 unused
    def __init__(s, d, heads, ffn, hadamard):
        super().__init__()
        s.self_attn = MultiheadAttention(d, heads, hadamard)
        s.linear1, s.linear2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        s.norm1, s.norm2, s.norm3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(s, x, kpm, A):
        x = x + s.self_attn(s.norm1(x), kpm, A)
        return x + s.linear2(F.relu(s.linear1(s.norm2(x))))


class Encoder(nn.Module):  # gMHA_wrapper.Standard (A ignored) / Hadamard
    def __init__(s, d, nlayer, heads, ffn, hadamard):
        super().__init__()
        s.had = hadamard
        s.transformer_encoder = nn.ModuleList([EncoderLayer(d, heads, ffn, hadamard) for _ in range(nlayer)])

    def forward(s, x, A, kpm):
        for l in s.transformer_encoder:
            x = l(x, kpm, A if s.had else None)
        return x


def scatter_mean(x, idx, n):
    out = x.new_zeros((n,) + x.shape[1:]).index_add_(0, idx, x)
    cnt = torch.bincount(idx, minlength=n).clamp(min=1).to(x.dtype)
    return out / cnt.view(-1, *([1] * (x.dim() - 1)))


class GraphJepa(nn.Module):
    def __init__(s, c, nfeat, nfeat_edge):
        super().__init__()
        d = c["Hidden"]
        s.c = c
        s.rw_encoder = MLP(c["RWDim"], d, 1)
        s.patch_rw_encoder = MLP(c["RWDim"], d, 1)
        s.input_encoder = nn.Linear(nfeat, d)
        s.edge_encoder = nn.Linear(nfeat_edge, d)
        s.gnns = nn.ModuleList([GNN(d) for _ in range(c["GNNLayers"])])
        s.U = nn.ModuleList([MLP(d, d, nlayer=1, with_final_activation=True) for _ in range(c["GNNLayers"] - 1)])
        s.context_encoder = Encoder(d, c["EncoderLayers"], c["Heads"], c["FFN"], False)
        s.target_encoder = Encoder(d, c["EncoderLayers"], c["Heads"], c["FFN"], True)
        s.target_predictor = MLP(d, 2, nlayer=3, with_final_activation=False, with_norm=False)

    def patches(s, b):
        nodes, slots = b["CopyNode"], b["CopySlot"]
        x = s.input_encoder(b["X"])[nodes]
        e = s.edge_encoder(b["EdgeAttr"])[b["CopyEdge"]]
        ei = torch.stack([b["CopySrc"], b["CopyDst"]])
        nP, N = b["B"] * b["P"], b["N"]
        for i, gnn in enumerate(s.gnns):
            if i > 0:
                x = x + s.U[i - 1](scatter_mean(x, slots, nP)[slots])
                x = scatter_mean(x, nodes, N)[nodes]
            x = gnn(x, ei, e)
        return scatter_mean(x, slots, nP)

    def forward(s, b, pe):  # core/model.py forward, the target branch under no_grad
        B, P, T, d = b["B"], b["P"], b["T"], s.c["Hidden"]
        sx = s.patches(b)
        off = torch.arange(B) * P
        ci = b["Context"] + off
        ti = (b["Targets"].view(B, T) + off.unsqueeze(1)).flatten()
        ctx = sx[ci] + s.patch_rw_encoder(pe[ci])
        tpe = s.patch_rw_encoder(pe[ti])
        ctx = s.context_encoder(ctx.unsqueeze(1), None, torch.zeros(B, 1, dtype=torch.bool))
        with torch.no_grad():
            tg = b["Targets"].view(B, T)
            A = b["Overlap"].view(B, P, P)[torch.arange(B)[:, None, None], tg.unsqueeze(2), tg.unsqueeze(1)]
            tx = s.target_encoder(sx[ti].reshape(B, T, d), A, None)
            z = tx.mean(-1, keepdim=True)
            target = torch.cat([torch.cosh(z), torch.sinh(z)], -1)
        pred = s.target_predictor(ctx + tpe.reshape(B, T, d))
        return target, pred

    def encode(s, b, pe):  # core/model.py encode
        B, P, d = b["B"], b["P"], s.c["Hidden"]
        h = (s.patches(b) + s.patch_rw_encoder(pe)).reshape(B, P, d)
        mask = b["Mask"].view(B, P)
        h = s.target_encoder(h, b["Overlap"].view(B, P, P), ~mask)
        m = mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1)


def f32(v):  # the batch's float32 values, as float64 (JSON holds their shortest float32 decimal form)
    return torch.tensor(v, dtype=torch.float32).double()


with open(os.path.join(DIR, "batch.json")) as f:
    raw = json.load(f)
b = {}
for k in ("CopyNode", "CopySlot", "CopySrc", "CopyDst", "CopyEdge", "Context", "Targets"):
    b[k] = torch.tensor(raw[k], dtype=torch.long)
B, P, T = raw["B"], raw["P"], raw["T"]
b.update(B=B, P=P, T=T, N=raw["NodePtr"][-1])
b["X"] = f32(raw["X"]).view(-1, raw["F"])
b["EdgeAttr"] = f32(raw["EdgeAttr"]).view(-1, raw["EF"])
b["Overlap"] = f32(raw["Overlap"])
b["Mask"] = torch.tensor(raw["Mask"], dtype=torch.bool)
pe_max = f32(raw["PEMax"]).view(B * P, raw["K"])
pe_mean = f32(raw["PEMean"]).view(B * P, raw["K"])

model = GraphJepa(raw, raw["F"], raw["EF"])
sd = load_safetensors(os.path.join(DIR, "model.safetensors"))
model.load_state_dict(sd, strict=True)
crit = nn.SmoothL1Loss(beta=raw["Beta"])
out = {}
model.eval()
with torch.no_grad():
    t, p = model(b, pe_max)
    out["eval_loss"] = crit(t, p).item()
    out["embed"] = model.encode(b, pe_mean).flatten().tolist()
model.train()
model.zero_grad(set_to_none=True)
t, p = model(b, pe_max)
loss = crit(t, p)  # official argument order (target, prediction)
loss.backward()
out["train_loss"] = loss.item()
out["pred"] = p.detach().flatten().tolist()
out["target"] = t.flatten().tolist()
out["grads"] = {n: q.grad.flatten().tolist() for n, q in model.named_parameters() if q.grad is not None}
out["running"] = {n: v.flatten().tolist() for n, v in model.state_dict().items() if n.endswith(("running_mean", "running_var"))}
with open(os.path.join(DIR, "expected.json"), "w") as f:
    json.dump(out, f)
print(f"eval loss {out['eval_loss']:.6g}, train loss {out['train_loss']:.6g}, {len(out['grads'])} gradients -> expected.json")
