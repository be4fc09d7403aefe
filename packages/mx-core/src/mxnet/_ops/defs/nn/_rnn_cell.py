"""The recurrent cells of RNN: forward with an optional cache, and backward through time.

LSTM: ``i, f, g, o = s(.), s(.), tanh(.), s(.); c = f c' + i g; h = o tanh(c)``.
GRU: ``r, z = s(.); n = tanh(x_n + r (W_hn h' + b_hn)); h = (1 - z) n + z h'``.
RNN: ``h = act(W_i x + b_i + W_h h' + b_h)``.
"""


def gates(mode):
    return {"lstm": 4, "gru": 3}.get(mode, 1)


def _sigmoid(xp, x):
    return 0.5 * (1 + xp.tanh(0.5 * x))     # no overflow warnings for large |x|


def _sigmoid_inplace(xp, x):
    """``_sigmoid`` written over ``x``, the same operations in the same order."""
    x *= 0.5
    xp.tanh(x, out=x)
    x += 1
    x *= 0.5


def unpack(flat, attrs, input_size):
    """[(Wi, Wh, bi, bh)] per (layer, direction), views into ``flat``."""
    h, g = attrs["state_size"], gates(attrs["mode"])
    dirs = 2 if attrs["bidirectional"] else 1
    shapes = []
    for layer in range(attrs["num_layers"]):
        in_l = input_size if layer == 0 else dirs * h
        shapes += [((g * h, in_l), (g * h, h))] * dirs
    weights, pos = [], 0
    for wi, wh in shapes:
        a = flat[pos:pos + wi[0] * wi[1]].reshape(wi)
        pos += wi[0] * wi[1]
        b = flat[pos:pos + wh[0] * wh[1]].reshape(wh)
        pos += wh[0] * wh[1]
        weights.append([a, b])
    for w in weights:
        gh = w[0].shape[0]
        w += [flat[pos:pos + gh], flat[pos + gh:pos + 2 * gh]]
        pos += 2 * gh
    return weights


def _step(xp, mode, xt, h, c, wh, bh, h_size, wh_t=None):
    """One time step: (h, c, cache). ``wh_t``: ``wh.T`` made contiguous, if at hand."""
    wh = wh.T if wh_t is None else wh_t
    if mode == "lstm":
        a = h @ wh
        a += xt                 # the gates are computed over their pre-activations
        i, f, g, o = (a[:, k * h_size:(k + 1) * h_size] for k in range(4))
        _sigmoid_inplace(xp, a[:, :2 * h_size])
        _sigmoid_inplace(xp, o)
        xp.tanh(g, out=g)
        c_new = f * c
        c_new += i * g
        tc = xp.tanh(c_new)
        return o * tc, c_new, (i, f, g, o, tc, c, h)
    if mode == "gru":
        hp = h @ wh
        hp += bh
        r = _sigmoid(xp, xt[:, :h_size] + hp[:, :h_size])
        z = _sigmoid(xp, xt[:, h_size:2 * h_size] + hp[:, h_size:2 * h_size])
        hn = hp[:, 2 * h_size:]
        n = xp.tanh(xt[:, 2 * h_size:] + r * hn)
        return (1 - z) * n + z * h, None, (r, z, n, hn, h)
    a = h @ wh
    a += xt
    h_new = xp.tanh(a) if mode == "rnn_tanh" else xp.maximum(a, 0)
    return h_new, None, (h_new, h)


def _run(xp, mode, x, wi, wh, bi, bh, h, c, reverse, keep):
    t_len, n, _ = x.shape
    h_size = wh.shape[1]
    xproj = (x.reshape(t_len * n, -1) @ wi.T + bi).reshape(t_len, n, -1)
    if mode != "gru":
        xproj += bh
    out = xp.empty((t_len, n, h_size), dtype=x.dtype)
    wh_t = xp.ascontiguousarray(wh.T)     # small per-step GEMMs run faster on it
    steps = []
    for t in (range(t_len - 1, -1, -1) if reverse else range(t_len)):
        h, c, cache = _step(xp, mode, xproj[t], h, c, wh, bh, h_size, wh_t)
        out[t] = h
        if keep:
            steps.append((t, cache))
    return out, h, c, steps


def forward(xp, data, flat, state, cell, attrs, keep, masks=None):
    """(out, hy, cy, cache) of the whole stack; ``masks[l]`` scales layer l's output
    (dropout between layers)."""
    mode = attrs["mode"]
    dirs = 2 if attrs["bidirectional"] else 1
    weights = unpack(flat, attrs, data.shape[2])
    x, hys, cys, cache = data, [], [], []
    for layer in range(attrs["num_layers"]):
        outs, layer_cache = [], []
        for d in range(dirs):
            k = layer * dirs + d
            wi, wh, bi, bh = weights[k]
            out, h, c, steps = _run(xp, mode, x, wi, wh, bi, bh, state[k],
                                    None if cell is None else cell[k], d == 1, keep)
            outs.append(out)
            hys.append(h)
            cys.append(c)
            layer_cache.append(steps)
        cache.append((x, layer_cache))
        x = outs[0] if dirs == 1 else xp.concatenate(outs, axis=2)
        if masks is not None and layer < attrs["num_layers"] - 1:
            x = x * masks[layer]
    hy = xp.stack(hys)
    cy = xp.stack(cys) if mode == "lstm" else None
    return x, hy, cy, cache


def _step_back(xp, mode, cache, dh, dc, wh):
    """Backward of one step: (d pre-activation x-part, d h-part, dh', dc')."""
    if mode == "lstm":
        i, f, g, o, tc, c_prev, h_prev = cache
        dct = dc + dh * o * (1 - tc * tc)
        da = xp.concatenate([dct * g * i * (1 - i), dct * c_prev * f * (1 - f),
                             dct * i * (1 - g * g), dh * tc * o * (1 - o)], axis=1)
        return da, da, da @ wh, dct * f
    if mode == "gru":
        r, z, n, hn, h_prev = cache
        dan = dh * (1 - z) * (1 - n * n)
        dar = dan * hn * r * (1 - r)
        daz = dh * (h_prev - n) * z * (1 - z)
        dx = xp.concatenate([dar, daz, dan], axis=1)
        dhp = xp.concatenate([dar, daz, dan * r], axis=1)
        return dx, dhp, dh * z + dhp @ wh, None
    h_new, h_prev = cache
    da = dh * (1 - h_new * h_new) if mode == "rnn_tanh" else dh * (h_new > 0)
    return da, da, da @ wh, None


def backward(xp, heads, data, flat, cache, attrs, masks=None):
    """(d data, d parameters, d state, d state_cell) by backpropagation through time."""
    mode = attrs["mode"]
    dirs = 2 if attrs["bidirectional"] else 1
    h_size = attrs["state_size"]
    dout, dhy, dcy = heads
    weights = unpack(flat, attrs, data.shape[2])
    dflat = xp.zeros_like(flat)
    dweights = unpack(dflat, attrs, data.shape[2])
    dstate = xp.zeros_like(dhy)
    dcell = xp.zeros_like(dhy) if mode == "lstm" else None
    dtop = dout
    for layer in range(attrs["num_layers"] - 1, -1, -1):
        x, layer_cache = cache[layer]
        dx = xp.zeros_like(x)
        for d in range(dirs):
            k = layer * dirs + d
            wi, wh, bi, bh = weights[k]
            dwi, dwh, dbi, dbh = dweights[k]
            dh = dhy[k].copy()
            dc = dcy[k].copy() if mode == "lstm" else None
            dxproj = xp.empty(x.shape[:2] + (wi.shape[0],), dtype=x.dtype)
            # the h-part of the pre-activation gradients and the previous hidden states
            # of every step: the recurrent weight gradient is then one matmul
            dhps = dxproj if mode != "gru" else xp.empty_like(dxproj)
            hprev = xp.empty(x.shape[:2] + (h_size,), dtype=x.dtype)
            for t, step in reversed(layer_cache[d]):
                dh = dh + dtop[t, :, d * h_size:(d + 1) * h_size]
                dxp, dhp, dh, dc = _step_back(xp, mode, step, dh, dc, wh)
                dxproj[t] = dxp
                if dhps is not dxproj:
                    dhps[t] = dhp
                hprev[t] = step[-1]
            flat_dh = dhps.reshape(-1, dhps.shape[2])
            dwh += flat_dh.T @ hprev.reshape(-1, h_size)
            dbh += flat_dh.sum(axis=0)
            flat_dx = dxproj.reshape(-1, dxproj.shape[2])
            dwi += flat_dx.T @ x.reshape(-1, x.shape[2])
            dbi += flat_dx.sum(axis=0)
            dx += (flat_dx @ wi).reshape(x.shape)
            dstate[k] = dh
            if mode == "lstm":
                dcell[k] = dc
        dtop = dx if masks is None or layer == 0 else dx * masks[layer - 1]
    return dtop, dflat, dstate, dcell
