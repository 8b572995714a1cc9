#!/usr/bin/env python3
"""What starting scripts costs vipd's loop: fork() against clone(CLONE_VM),
the default, in the same run.

One host runs vipd with N instances (advert_int 1, VRRPv3; the host masters
all of them) and M tracked vrrp_scripts at interval 1 (each /bin/true: a shell script
costs this machine about 3 ms of CPU a run, so 1000 of them a second would
need more than its 2 cores).
After a settling time the daemon's counters are cleared (`vipctl stats
--clear`); after the measuring window its status gives the mean and the
largest time one script start kept the loop (the parent's side of fork or
clone; vipd does not wait for the child's exec), and the loop's worst
timer lateness over the window. fork() copies the page tables of the whole
daemon, so its cost grows with the daemon's memory: more instances, and
the ASan build's shadow memory. VIPD_SPAWN=fork selects fork() for
comparison only.

Usage (root): /usr/bin/python3 bench/spawn.py [--quick] [--builds build,build-asan]
Prints a table and writes bench/spawn.json.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
import lab as labmod  # noqa: E402
from lab import Lab, wait_until  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def conf(n_inst, scripts):
    out = ["global_defs {\n    router_id lb01\n}\n"]
    for i in range(scripts):
        out.append(f"vrrp_script s{i} {{\n    script \"{{ok}}\"\n    interval 1\n}}\n")
    for v in range(1, n_inst + 1):
        track = "".join(f"        s{i}\n" for i in range(scripts)) if v == 1 else ""
        out.append(f"vrrp_instance VI_{v} {{\n    state BACKUP\n    interface eth{(v - 1) // 255}\n"
                   f"    virtual_router_id {(v - 1) % 255 + 1}\n    priority 255\n"
                   f"    advert_int 1\n    version 3\n"
                   f"    virtual_ipaddress {{\n        10.{64 + (v - 1) // 255}.0.{(v - 1) % 255 + 1}/32\n"
                   f"    }}\n" + (f"    track_script {{\n{track}    }}\n" if track else "") + "}\n")
    return "".join(out)


def run(build, method, n_inst, scripts, settle, window):
    labmod.BUILD = os.path.join(ROOT, build)
    if method == "fork":
        os.environ["VIPD_SPAWN"] = "fork"
    else:
        os.environ.pop("VIPD_SPAWN", None)
    lab = Lab(names=("lb01",), nics=-(-n_inst // 255))
    try:
        text = conf(n_inst, scripts).replace("{ok}", "/bin/true")
        d = lab["lb01"].vipd(text)
        wait_until(lambda: (d.status() or {}).get("instances"), 60, what="vipd up")
        time.sleep(settle)
        vipctl = os.path.join(labmod.BUILD, "vipctl")
        # a loop starved by 1000 scripts a second may answer after vipctl's 5 s
        wait_until(lambda: lab["lb01"].exec(vipctl, "-s", d.sock, "stats", "--clear",
                                            check=False).returncode == 0, 60, 0.1,
                   what="stats cleared")
        time.sleep(window)
        st = wait_until(d.status, 60, 0.1, what="status")
        sp, lp = st["spawn"], st["loop"]
        assert (sp["method"] == "fork") == (method == "fork"), sp
        return {"build": build, "method": method, "instances": n_inst, "scripts": scripts,
                "spawns": sp["count"],
                "spawn_us_mean": sp["us_total"] / sp["count"] if sp["count"] else None,
                "spawn_us_max": sp["us_max"], "late_max_ms": lp["late_max_us"] / 1000,
                "timer_turns": lp["timer_turns"]}
    finally:
        os.environ.pop("VIPD_SPAWN", None)
        lab.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a shorter window")
    ap.add_argument("--builds", default="build,build-asan")
    ap.add_argument("--instances", default="1,1000")
    ap.add_argument("--scripts", default="100,1000")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "spawn.json"))
    a = ap.parse_args()
    window = 5 if a.quick else 15
    cases = [(int(n), int(m)) for m in a.scripts.split(",") for n in a.instances.split(",")]
    rows = []
    for build in a.builds.split(","):
        if not os.path.exists(os.path.join(ROOT, build, "vipd")):
            print(f"# {build}/vipd not built: skipped")
            continue
        for n_inst, scripts in cases:
            for method in ("fork", "clone"):
                try:
                    r = run(build, method, n_inst, scripts, settle=4, window=window)
                except Exception as e:  # a daemon too starved to answer is a result too
                    print(f"  {build} {method} {n_inst} instances {scripts} scripts: {e}")
                    continue
                rows.append(r)
                print(f"  {build} {method:5} {n_inst:4} instances {scripts:4} scripts: "
                      f"{r['spawns']} starts, mean {r['spawn_us_mean']:.0f} us, "
                      f"max {r['spawn_us_max']} us, loop late max {r['late_max_ms']:.1f} ms",
                      flush=True)
    print("\n| build | instances | scripts (interval 1) | one script start, mean us: fork / "
          "clone | max us: fork / clone | loop's worst lateness, ms: fork / clone |")
    print("| --- | --- | --- | --- | --- | --- |")
    for build in a.builds.split(","):
        for n_inst, scripts in cases:
            f = [r for r in rows if r["build"] == build and r["instances"] == n_inst and
                 r["scripts"] == scripts]
            if len(f) != 2:
                continue
            fk, cl = f
            print(f"| {build} | {n_inst} | {scripts} | {fk['spawn_us_mean']:.0f} / "
                  f"{cl['spawn_us_mean']:.0f} | {fk['spawn_us_max']} / {cl['spawn_us_max']} | "
                  f"{fk['late_max_ms']:.1f} / {cl['late_max_ms']:.1f} |")
    with open(a.json, "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d"), "window_s": window, "rows": rows}, f,
                  indent=1)


if __name__ == "__main__":
    main()
