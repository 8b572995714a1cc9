"""Pictures of bench.py's results (PNG, matplotlib), one per comparison,
written beside results.json into bench/plots/ and linked from the README:

  takeover.png   the takeover gap past its bound, per case, vipd and
                 keepalived (every VRID of every repetition)
  cpu.png        CPU per advert: the floor (bench/floor.c), vipd, keepalived
  bfd.png        crash of the master to its VIP on the backup, with and
                 without BFD, and pings lost
  starve.png     false takeovers under CPU starvation
  scale.png      takeover p99 past the bound at scale, beside the takeover floor

A comparison whose figures are not in the results is left out.
Usage alone: /usr/bin/python3 bench/plots.py [results.json] [outdir]
"""
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"vipd": "#2a7ab0", "keepalived": "#d0603a", "floor": "#7a7a7a"}


def color(name):
    if name.startswith("vipd") and "without" in name:
        return "#8cc0e0"
    if name.startswith("vipd") and ("rt_priority" in name or "BFD" in name):
        return "#174a70"
    for k, c in COLORS.items():
        if name.startswith(k):
            return c
    return "#5a9a5a"


def save(fig, outdir, name):
    path = os.path.join(outdir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def takeover(res, outdir):
    cases = [c for c in res.get("takeover", []) if "raw" in c.get("vipd", {})]
    if not cases:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.9 * len(cases)))
    data, labels, cols = [], [], []
    for c in reversed(cases):
        for kind in ("keepalived", "vipd"):
            raw = c.get(kind, {}).get("raw") or []
            if raw:
                data.append([(g - c["bound"]) * 1000 for g in raw])
                labels.append(f"{c['case']}: {kind}")
                cols.append(COLORS[kind])
    box = ax.boxplot(data, vert=False, patch_artist=True, whis=(1, 99), showfliers=True,
                     flierprops={"markersize": 2})
    for patch, col in zip(box["boxes"], cols):
        patch.set_facecolor(col)
    ax.set_yticks(range(1, len(labels) + 1), labels, fontsize=8)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlim(left=min(-0.5, min(min(d) for d in data) * 1.5))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("takeover gap past the protocol's bound, ms (symlog; whiskers 1-99 %)")
    ax.set_title("Takeover gap per VRID: vipd and keepalived, same lab, same run")
    return save(fig, outdir, "takeover.png")


def counts(r):
    """A sender's CPU per advert, or None when the figure does not count."""
    if not r or "error" in r or not r.get("clean") or r.get("backup_held"):
        return None
    return r.get("us_per_advert")


def cpu(res, outdir):
    rows = res.get("floor") or []
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.6))
    senders = [s for s in ("floor", "vipd", "keepalived") if any(s in r for r in rows)]
    w = 0.8 / len(senders)
    for i, s in enumerate(senders):
        xs = [j + i * w for j in range(len(rows))]
        ys = [counts(r.get(s)) or 0 for r in rows]
        bars = ax.bar(xs, ys, w, label=s, color=color(s))
        for b, r in zip(bars, rows):
            fl, v = counts(r.get("floor")), counts(r.get(s))
            at = (b.get_x() + b.get_width() / 2, b.get_height())
            if v is None:  # the pair did not hold, or the run failed: no figure
                ax.annotate("no figure:\nthe backup\ntook over" if r.get(s) and
                            "error" not in r[s] else "failed", at, ha="center", va="bottom",
                            fontsize=7)
            elif fl and s != "floor":
                text = f"{v / fl:.2f}x"
                rate, want = r[s].get("rate", 0), r[s].get("expected_rate", 0)
                if want and rate < 0.9 * want:  # a sender that cannot keep up
                    text += f"\nsent {rate:.0f}\nof {want:.0f}/s"
                ax.annotate(text, at, ha="center", va="bottom", fontsize=8)
    ax.set_xticks([j + w * (len(senders) - 1) / 2 for j in range(len(rows))],
                  [r["case"] for r in rows])
    ax.set_yscale("log")
    ax.margins(y=0.3)
    ax.set_ylabel("master's CPU per advert, us (log)")
    ax.set_title("CPU per advert against the floor (a bare sendmmsg sender)")
    ax.legend()
    return save(fig, outdir, "cpu.png")


def bfd(res, outdir):
    r = res.get("bfd") or {}
    names = [n for n in r if r[n].get("to_vip")]
    if not names:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.2))
    med = [statistics.median(r[n]["to_vip"]) for n in names]
    top = [max(r[n]["to_vip"]) for n in names]
    ys = range(len(names))
    ax.barh(ys, med, color=[color(n) for n in names],
            xerr=[[0] * len(names), [t - m for t, m in zip(top, med)]], capsize=3)
    for y, n, m, t in zip(ys, names, med, top):
        lost = r[n].get("pings_lost") or []
        txt = f"{m:.3f} s" + (f", {statistics.median(lost):.0f} pings lost" if lost else "")
        ax.annotate(txt, (t, y), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.set_xlim(0, max(top) * 1.45)  # room for the labels past the longest bar
    ax.set_yticks(list(ys), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("kill -9 of the master to the VIP on the backup, s (median; bar to max)")
    ax.set_title("Crash failover at advert_int 1, with and without BFD")
    return save(fig, outdir, "bfd.png")


def starve(res, outdir):
    r = (res.get("starve") or {}).get("takeovers") or {}
    if not r:
        return None
    loads = list(r)
    setups = list(next(iter(r.values())))
    fig, ax = plt.subplots(figsize=(8, 3.4))
    w = 0.8 / len(setups)
    for i, s in enumerate(setups):
        xs = [j + i * w for j in range(len(loads))]
        ys = [r[ld].get(s, 0) for ld in loads]
        bars = ax.bar(xs, ys, w, label=s, color=color(s))
        for b, y in zip(bars, ys):
            ax.annotate(str(y), (b.get_x() + b.get_width() / 2, b.get_height()), ha="center",
                        va="bottom", fontsize=8)
    ax.set_xticks([j + w * (len(setups) - 1) / 2 for j in range(len(loads))], loads)
    ax.set_ylim(0, max([1] + [v for row in r.values() for v in row.values()]) * 1.2)
    ax.set_ylabel(f"false takeovers in {res['starve'].get('seconds', '?')} s")
    ax.set_title("Backups taking over from a live master under CPU load")
    ax.legend(fontsize=8)
    return save(fig, outdir, "starve.png")


def scale(res, outdir):
    rows = [r for r in res.get("scale") or [] if r.get("bound")]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.2))
    kinds = [k for k in ("takefloor", "vipd", "keepalived") if any(k in r for r in rows)]
    w = 0.8 / len(kinds)
    for i, kind in enumerate(kinds):
        xs = [j + i * w for j in range(len(rows))]
        gaps = [((r.get(kind) or {}).get("gap") or {}).get("p99") for r in rows]
        ys = [(g - r["bound"]) * 1000 if g is not None else 0 for g, r in zip(gaps, rows)]
        name = "takeover floor" if kind == "takefloor" else kind
        bars = ax.bar(xs, ys, w, label=name, color=COLORS["floor" if kind == "takefloor" else kind])
        for b, y, g in zip(bars, ys, gaps):
            ax.annotate(f"+{y:.1f}" if g is not None else "fails", (b.get_x() + b.get_width() / 2,
                        max(y, 0)), ha="center", va="bottom", fontsize=8)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_xticks([j + w * (len(kinds) - 1) / 2 for j in range(len(rows))],
                  [r["case"] for r in rows], fontsize=8)
    ax.set_ylabel("takeover p99 past the bound, ms (symlog)")
    ax.set_title("Crash takeover at scale")
    ax.legend()
    return save(fig, outdir, "scale.png")


def write(res, outdir):
    os.makedirs(outdir, exist_ok=True)
    out = []
    for fn in (takeover, cpu, bfd, starve, scale):
        try:
            p = fn(res, outdir)
        except (KeyError, TypeError, ValueError) as e:  # figures of another shape: say so
            print(f"plots: {fn.__name__}: {e}", file=sys.stderr)
            p = None
        if p:
            out.append(p)
    return out


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results.json")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "plots")
    with open(src) as f:
        for p in write(json.load(f), dst):
            print(p)
