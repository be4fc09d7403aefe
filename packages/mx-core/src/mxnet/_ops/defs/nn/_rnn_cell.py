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
    steps, h0 = [], h
    for t in (range(t_len - 1, -1, -1) if reverse else range(t_len)):
        h, c, cache = _step(xp, mode, xproj[t], h, c, wh, bh, h_size, wh_t)
        out[t] = h
        if keep:
            steps.append((t, cache))
    if keep:        # every step's previous hidden state, for the recurrent weight gradient
        hprev = xp.empty_like(out)
        if reverse:
            hprev[:-1], hprev[-1] = out[1:], h0
        else:
            hprev[1:], hprev[0] = out[:-1], h0
        steps = (steps, hprev)
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


def _lstm_back(xp, cache, dh, dc, wh, da):
    """Backward of one LSTM step into ``da`` (the step's row of pre-activation
    gradients): (dh', dc'). The products run in the composed formulas' order
    (``dct * g * i * (1 - i)`` ...), so the values are the same bits."""
    i, f, g, o, tc, c_prev, _ = cache
    h = i.shape[1]
    di, df, dg, do = (da[:, k * h:(k + 1) * h] for k in range(4))
    tmp = xp.multiply(tc, tc)               # dct = dc + dh * o * (1 - tc * tc)
    xp.subtract(1, tmp, out=tmp)
    xp.multiply(dh, o, out=dg)
    dg *= tmp
    dct = xp.add(dc, dg)
    xp.subtract(1, i, out=tmp)              # di = dct * g * i * (1 - i)
    xp.multiply(dct, g, out=di)
    di *= i
    di *= tmp
    xp.subtract(1, f, out=tmp)              # df = dct * c' * f * (1 - f)
    xp.multiply(dct, c_prev, out=df)
    df *= f
    df *= tmp
    xp.multiply(g, g, out=tmp)              # dg = dct * i * (1 - g * g)
    xp.subtract(1, tmp, out=tmp)
    xp.multiply(dct, i, out=dg)
    dg *= tmp
    xp.subtract(1, o, out=tmp)              # do = dh * tc * o * (1 - o)
    xp.multiply(dh, tc, out=do)
    do *= o
    do *= tmp
    dct *= f
    return da @ wh, dct


def _step_back(xp, mode, cache, dh, dc, wh):
    """Backward of one step: (d pre-activation x-part, d h-part, dh', dc')."""
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


def backward(xp, heads, data, flat, cache, attrs, masks=None, need_data_grad=True):
    """(d data, d parameters, d state, d state_cell) by backpropagation through time;
    without ``need_data_grad`` d data is a zero view (its product is skipped)."""
    mode = attrs["mode"]
    dirs = 2 if attrs["bidirectional"] else 1
    h_size = attrs["state_size"]
    dout, dhy, dcy = heads
    weights = unpack(flat, attrs, data.shape[2])
    # every part of these is written once below (the products straight into place)
    dflat = xp.empty_like(flat)
    dweights = unpack(dflat, attrs, data.shape[2])
    dstate = xp.empty_like(dhy)
    dcell = xp.empty_like(dhy) if mode == "lstm" else None
    dtop = dout
    for layer in range(attrs["num_layers"] - 1, -1, -1):
        x, layer_cache = cache[layer]
        dx = None
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
            steps, hprev = layer_cache[d]
            for t, step in reversed(steps):
                dh = dh + dtop[t, :, d * h_size:(d + 1) * h_size]
                if mode == "lstm":
                    dh, dc = _lstm_back(xp, step, dh, dc, wh, dxproj[t])
                else:
                    dxp, dhp, dh, dc = _step_back(xp, mode, step, dh, dc, wh)
                    dxproj[t] = dxp
                    if dhps is not dxproj:
                        dhps[t] = dhp
            flat_dh = dhps.reshape(-1, dhps.shape[2])
            xp.matmul(flat_dh.T, hprev.reshape(-1, h_size), out=dwh)
            xp.sum(flat_dh, axis=0, out=dbh)
            flat_dx = dxproj.reshape(-1, dxproj.shape[2])
            xp.matmul(flat_dx.T, x.reshape(-1, x.shape[2]), out=dwi)
            xp.sum(flat_dx, axis=0, out=dbi)
            dstate[k] = dh
            if mode == "lstm":
                dcell[k] = dc
            if layer == 0 and not need_data_grad:
                continue
            part = (flat_dx @ wi).reshape(x.shape)
            if dx is None:
                dx = part
            else:
                dx += part
        if dx is None:
            dx = xp.broadcast_to(xp.zeros((), dtype=data.dtype), data.shape)
        dtop = dx if masks is None or layer == 0 else dx * masks[layer - 1]
    return dtop, dflat, dstate, dcell
