"""An independent scalar reference of the Yuma epoch, in plain Python ints.

Written from the spec (``shared/spec/yuma-epoch-and-emission.md`` §0 and §3) and the reference's
``epoch_mechanism``, one explicit loop per formula, with no numpy and nothing from ``runtime.yuma``
but the ``EpochInputs`` / ``EpochOutputs`` containers. It is deliberately slow and simple: the
differential test checks that the vectorised core agrees with it bit for bit.

Numbers are raw fixed-point bits: I32F32 ``v / 2**32``, I64F64 ``v / 2**64``, I96F32 ``v / 2**32``.
"""

from __future__ import annotations

from runtime.yuma import EpochInputs, EpochOutputs

F = 32
ONE = 1 << F
I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1
I128_MIN = -(1 << 127)
I128_MAX = (1 << 127) - 1
U64_MAX = (1 << 64) - 1
U16_MAX = 65535


# --------------------------------------------------------------------------------------------
# I32F32 scalar arithmetic
# --------------------------------------------------------------------------------------------


def sat(v: int) -> int:
    """Clamp to the I32F32 raw range."""
    return I64_MIN if v < I64_MIN else I64_MAX if v > I64_MAX else v


def add(a: int, b: int) -> int:
    return sat(a + b)


def sub(a: int, b: int) -> int:
    return sat(a - b)


def mul(a: int, b: int) -> int:
    """saturating_mul: floor of the product, clamped."""
    return sat((a * b) >> F)


def checked_mul(a: int, b: int) -> int | None:
    p = (a * b) >> F
    return p if I64_MIN <= p <= I64_MAX else None


def tdiv(num: int, den: int) -> int:
    """Integer division truncating toward zero."""
    q = abs(num) // abs(den)
    return q if (num >= 0) == (den >= 0) else -q


def div(a: int, b: int) -> int:
    """safe_div: 0 on division by zero or overflow."""
    if b == 0:
        return 0
    q = tdiv(a << F, b)
    return q if I64_MIN <= q <= I64_MAX else 0


def sat_div(a: int, b: int) -> int:
    """saturating_div (b != 0)."""
    return sat(tdiv(a << F, b))


def wrap64(v: int) -> int:
    """Two's-complement wrap to 64 bits (a plain ``sum()`` in a release build)."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def plain_sum(xs: list[int]) -> int:
    acc = 0
    for x in xs:
        acc = wrap64(acc + x)
    return acc


def p2u16(x: int) -> int:
    """floor(x * 65535) (saturating I32F32 product), to u16 saturating."""
    v = mul(x, U16_MAX << F) >> F
    return 0 if v < 0 else U16_MAX if v > U16_MAX else v


def normalize(xs: list[int]) -> list[int]:
    total = plain_sum(xs)
    if total == 0:
        return list(xs)
    return [div(x, total) for x in xs]


def exp_lib(x: int) -> int | None:
    """The fixed-point library's exp for I32F32 (None on its errors)."""
    if x == 0:
        return ONE
    if x == ONE:
        return (0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103) << (F - 23)
    neg = x < 0
    if neg:
        if x == I64_MIN:
            return None
        x = -x
    result = ONE + x
    if result > I64_MAX:
        return None
    term = x
    for i in range(2, 32):
        term = (term * x) >> F
        if term > I64_MAX:
            return None
        term = tdiv(term << F, i << F)
        result += term
        if result > I64_MAX:
            return None
    if neg:
        return tdiv(ONE << F, result)
    return result


def exp_safe(x: int) -> int:
    x = max(min(x, 20 << F), -20 << F)
    r = exp_lib(x)
    if r is None:
        return 0 if x <= 0 else I64_MAX
    return r


def alpha_sigmoid(c: int, w: int, b: int, lo: int, hi: int, steepness: int) -> int:
    """Liquid alpha of one (validator, miner) pair; ``steepness`` as I32F32."""
    if w >= b:
        d = min(max(sub(w, c), 0), ONE)
    else:
        d = min(max(sub(b, w), 0), ONE)
    x = mul(sat_div(steepness, -100 << F), sub(d, ONE // 2))
    sig = sat_div(ONE, add(ONE, exp_safe(x)))
    return min(max(add(lo, mul(sig, sub(hi, lo))), lo), hi)


# --------------------------------------------------------------------------------------------
# The epoch
# --------------------------------------------------------------------------------------------


def weighted_median(stake, score, idx, minority, lo, hi) -> int:
    guard = len(idx)
    rounds = 0
    while True:
        if len(idx) == 0:
            return 0
        if len(idx) == 1:
            return score[idx[0]]
        pivot = score[idx[len(idx) // 2]]
        lower, upper = [], []
        lo_s = hi_s = 0
        for i in idx:
            if score[i] < pivot:
                lower.append(i)
                lo_s = sat(lo_s + stake[i])
            elif score[i] > pivot:
                upper.append(i)
                hi_s = sat(hi_s + stake[i])
        if lower and minority < sat(lo + lo_s):
            idx, hi = lower, sat(lo + lo_s)
        elif upper and sat(hi - hi_s) <= minority:
            idx, lo = upper, sat(hi - hi_s)
        else:
            return pivot
        rounds += 1
        if rounds > guard:
            return 0


def col_normalize(rows: list[list[list[int]]], n: int) -> None:
    """In place: divide entries by their column's saturating sum where it is non-zero."""
    sums = [0] * n
    for row in rows:
        for j, v in row:
            if j < n:
                sums[j] = sat(sums[j] + v)
    for row in rows:
        for e in row:
            if e[0] < n and sums[e[0]] != 0:
                e[1] = div(e[1], sums[e[0]])


def scalar_epoch(inp: EpochInputs) -> EpochOutputs:
    n = inp.n

    def pad(v, fill=0):
        out = [int(x) for x in list(v)[:n]]
        return out + [fill] * (n - len(out))

    lu = pad(inp.last_update)
    reg = pad(inp.block_at_registration)

    # activity
    active = [min(lu[i] + inp.activity_cutoff, U64_MAX) >= inp.block for i in range(n)]

    # stake: I64F64 total = alpha + tao * (tw / u64max), tw computed in U96F32
    tw_u96 = ((inp.tao_weight << F) << F) // (U64_MAX << F)
    tw = tw_u96 << 32  # to I64F64
    alpha = pad(inp.alpha_stake)
    tao = pad(inp.tao_stake)
    total = []
    for i in range(n):
        prod = min(max(((tao[i] << 64) * tw) >> 64, I128_MIN), I128_MAX)
        total.append(min(max((alpha[i] << 64) + prod, I128_MIN), I128_MAX))
    whole = [min(max(t >> 64, 0), U64_MAX) for t in total]
    filtered = []
    for i in range(n):
        exempt = inp.owner_uid is not None and inp.owner_uid == i
        filtered.append(0 if (not exempt and whole[i] < inp.stake_threshold) else total[i])
    s64 = 0
    for v in filtered:
        s64 += v
    s64 &= (1 << 128) - 1
    if s64 >= 1 << 127:
        s64 -= 1 << 128
    if s64 != 0:
        norm = []
        for v in filtered:
            q = tdiv(v << 64, s64)
            norm.append(q if I128_MIN <= q <= I128_MAX else 0)
        filtered = norm
    stake = [sat(v >> 32) for v in filtered]

    # permits
    permits = [bool(p) for p in inp.validator_permit]
    if inp.owner_uid is not None and inp.owner_uid < len(permits):
        permits[inp.owner_uid] = True
    forbid = [not p for p in permits]
    new_permit = [s != 0 for s in stake]
    k = inp.max_allowed_validators
    if n >= k:
        order = sorted(range(n), key=lambda i: stake[i])  # stable
        for i in order[: n - k]:
            new_permit[i] = False
    if inp.owner_uid is not None and inp.owner_uid < n:
        new_permit[inp.owner_uid] = True

    # active stake
    a_stake = list(stake)
    for i in range(n):
        if not active[i]:
            a_stake[i] = 0
    if forbid:
        for i in range(n):
            if i >= len(forbid) or forbid[i]:
                a_stake[i] = 0
    a_stake = normalize(a_stake)

    # weights
    commits = pad(inp.commit_blocks, U64_MAX)
    W: list[list[list[int]]] = []
    for i in range(n):
        row = []
        allowed = i < len(forbid) and not forbid[i]
        raw = inp.weights[i] if i < len(inp.weights) else ()
        for j, v in raw:
            if j >= n or not allowed:
                continue
            if j == i and inp.owner_uid != i:
                continue
            if lu[i] <= reg[j]:
                continue
            if inp.commit_reveal_enabled and commits[i] < reg[j]:
                continue
            row.append([j, v << F])
        W.append(row)
    for row in W:
        total_w = plain_sum([v for _, v in row])
        if total_w > 0:
            for e in row:
                e[1] = div(e[1], total_w)

    # consensus
    kappa = div(inp.kappa << F, U16_MAX << F)
    pos = [i for i in range(n) if a_stake[i] > 0]
    u = normalize([a_stake[i] for i in pos])
    s_u = plain_sum(u)
    minority = sat(s_u - kappa)
    consensus = [0] * n
    if pos:
        dense_rows = {}
        for slot, i in enumerate(pos):
            d = {}
            for j, v in W[i]:
                d[j] = v
            dense_rows[slot] = d
        for j in range(n):
            score = [dense_rows[s].get(j, 0) for s in range(len(pos))]
            consensus[j] = weighted_median(u, score, list(range(len(pos))), minority, 0, s_u)

    # clip, validator trust, incentive
    Wc: list[list[list[int]]] = []
    for row in W:
        out = []
        for j, v in row:
            c = consensus[j]
            if c < v:
                if c > 0:
                    out.append([j, c])
            else:
                out.append([j, v])
        Wc.append(out)
    vtrust = [plain_sum([v for _, v in row]) for row in Wc]
    ranks = [0] * n
    for i, row in enumerate(Wc):
        for j, v in row:
            ranks[j] = sat(ranks[j] + mul(a_stake[i], v))
    incentive = normalize(ranks)

    # bonds penalty interpolation
    beta = div(inp.bonds_penalty << F, U16_MAX << F)
    if beta == 0:
        Wb = [[list(e) for e in row] for row in W]
    elif beta == ONE:
        Wb = [[list(e) for e in row] for row in Wc]
    else:
        Wb = []
        for i in range(n):
            d1 = [0] * n
            d2 = [0] * n
            for j, v in W[i]:
                d1[j] = v
            for j, v in Wc[i]:
                d2[j] = v
            row = []
            for j in range(n):
                x = add(d1[j], mul(beta, sub(d2[j], d1[j])))
                if x > 0:
                    row.append([j, x])
            Wb.append(row)

    # bonds
    lms = inp.last_mechanism_step_block
    last_tempo = max(inp.block - inp.tempo, 0) if lms == 0 else min(lms + 1, U64_MAX)
    B: list[list[list[int]]] = []
    for i in range(n):
        raw = inp.bonds[i] if i < len(inp.bonds) else ()
        row = []
        for j, v in raw:
            r = reg[j] if j < len(reg) else 0
            if last_tempo <= r:
                continue
            val = v << F
            if inp.yuma3_enabled:
                val = div(val, U16_MAX << F)
            row.append([j, val])
        B.append(row)
    bma = tdiv((inp.bonds_moving_average << 64) << 64, 1_000_000 << 64)
    a_fixed = sub(ONE, bma >> 32)

    def ema_union(new, old, a):
        out = []
        for i in range(n):
            acc = [0] * n
            for j, v in new[i]:
                if j < n:
                    acc[j] = sat(acc[j] + mul(a, v))
            for j, v in old[i]:
                if j < n:
                    acc[j] = sat(acc[j] + mul(sub(ONE, a), v))
            out.append([[j, acc[j]] for j in range(n) if acc[j] > 0])
        return out

    if inp.yuma3_enabled:
        if inp.liquid_alpha_enabled and any(c != 0 for c in consensus):
            lo = div(inp.alpha_low << F, U16_MAX << F)
            hi = div(inp.alpha_high << F, U16_MAX << F)
            steep = inp.alpha_sigmoid_steepness << F
            E = []
            for i in range(n):
                # forward-only cursors over the row's entries, as the reference walks them
                alphas = []
                wi = bi = 0
                for j in range(n):
                    w = 0
                    while wi < len(Wb[i]) and Wb[i][wi][0] < j:
                        wi += 1
                    if wi < len(Wb[i]) and Wb[i][wi][0] == j:
                        w = Wb[i][wi][1]
                    b = 0
                    while bi < len(B[i]) and B[i][bi][0] < j:
                        bi += 1
                    if bi < len(B[i]) and B[i][bi][0] == j:
                        b = B[i][bi][1]
                    alphas.append(alpha_sigmoid(consensus[j], w, b, lo, hi, steep))
                decayed = [0] * n
                for j, v in B[i]:
                    if j < n:
                        decayed[j] = mul(sub(ONE, alphas[j]), v)
                row = []
                for j, v in Wb[i]:
                    if j < n:
                        val = min(add(decayed[j], max(mul(alphas[j], v), 0)), ONE)
                        if val > 0:
                            row.append([j, val])
                E.append(row)
        else:
            E = ema_union(Wb, B, a_fixed)
        En = [[list(e) for e in row] for row in E]
        col_normalize(En, n)
        per_val = []
        for i in range(n):
            terms = []
            for j, v in En[i]:
                if j < n:
                    p = mul(v, incentive[j])
                    if p != 0:
                        terms.append(p)
            per_val.append(plain_sum(terms))
        divs = []
        for i in range(n):
            p = checked_mul(per_val[i], a_stake[i])
            divs.append(0 if p is None else p)
        dividends = normalize(divs)
        stored = E
    else:
        col_normalize(B, n)
        delta = []
        for i in range(n):
            delta.append([[j, mul(v, a_stake[i])] for j, v in Wb[i]])
        col_normalize(delta, n)
        E = ema_union(delta, B, a_fixed)
        col_normalize(E, n)
        divs = []
        for i in range(n):
            acc = 0
            for j, v in E[i]:
                acc = sat(acc + mul(incentive[j] if j < n else 0, v))
            divs.append(acc)
        dividends = normalize(divs)
        col_max = [0] * n
        for row in E:
            for j, v in row:
                if j < n and v > col_max[j]:
                    col_max[j] = v
        for row in E:
            for e in row:
                if e[0] < n and col_max[e[0]] != 0:
                    e[1] = div(e[1], col_max[e[0]])
        stored = E

    # emission split
    combined = [add(incentive[i], dividends[i]) for i in range(n)]
    total_e = plain_sum(combined)
    if total_e != 0:
        n_se = [div(x, total_e) for x in incentive]
        n_ve = [div(x, total_e) for x in dividends]
        n_ce = normalize(combined)
    else:
        n_se = list(incentive)
        fallback = stake if plain_sum(a_stake) == 0 else a_stake
        n_ve = list(fallback)
        n_ce = list(fallback)

    def rao(p: int) -> int:
        v = (p * (inp.rao_emission << F)) >> F  # I96F32 product, floored
        return min(max(v >> F, 0), U64_MAX)

    bonds_out = []
    for i in range(n):
        if new_permit[i]:
            bonds_out.append(tuple((j, p2u16(v)) for j, v in stored[i]))
        else:
            bonds_out.append(())

    return EpochOutputs(
        active=tuple(active),
        validator_permit=tuple(new_permit),
        incentive=tuple(p2u16(x) for x in incentive),
        consensus=tuple(p2u16(x) for x in consensus),
        dividends=tuple(p2u16(x) for x in dividends),
        validator_trust=tuple(p2u16(x) for x in vtrust),
        stake_weight=tuple(p2u16(x) for x in stake),
        emission=tuple(rao(x) for x in n_ce),
        server_emission=tuple(rao(x) for x in n_se),
        validator_emission=tuple(rao(x) for x in n_ve),
        bonds=tuple(bonds_out),
        stake=tuple(whole),
    )
