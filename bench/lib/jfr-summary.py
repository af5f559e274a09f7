#!/usr/bin/env python3
"""Summarizes a JFR recording: CPU samples per thread group, top self frames and top inclusive
classes per group, allocation by class, GC pauses. Usage: jfr-summary.py FILE.jfr [TOP, default 25]"""
import collections, json, os, re, subprocess, sys

jfr_file = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")


def events(name):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "96", "--events", name, jfr_file],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def group(thread):
    n = (thread or {}).get("javaName") or (thread or {}).get("osName") or "?"
    rules = [("reactor-http|netty|nioEventLoop|epoll", "edge/netty (reactor-http)"),
             ("kafka-producer|producer-network", "kafka producer"),
             ("usage|spool|recorder", "usage recorder/spool"),
             ("kafka-coordinator|consumer|KafkaListener|ListenerContainer|ntainer#", "kafka consumer/listener"),
             ("broker|controller|kafka|raft|data-plane|ReplicaFetcher|LogCleaner|quorum", "kafka broker (in-process)"),
             ("HikariPool|hikari|pgjdbc", "jdbc pool"),
             ("tomcat|http-nio|exec-", "servlet (tomcat)"),
             ("C1 |C2 |Compiler", "JIT"), ("GC|G1", "GC")]
    for pat, g in rules:
        if re.search(pat, n, re.I):
            return g
    return "other: " + re.sub(r"[-#]?\d+", "", n)[:40]


def frame_name(f):
    m = f["method"]
    return m["type"]["name"] + "." + m["name"]


def cls(f):
    return f["method"]["type"]["name"]


def pkg(c, depth=3):
    return ".".join(c.replace("/", ".").split(".")[:depth])


samples = events("jdk.ExecutionSample")
by_group = collections.Counter()
self_frames = collections.defaultdict(collections.Counter)
incl_cls = collections.defaultdict(collections.Counter)
incl_pkg = collections.defaultdict(collections.Counter)
for e in samples:
    v = e["values"]
    g = group(v.get("sampledThread"))
    by_group[g] += 1
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    self_frames[g][frame_name(frames[0])] += 1
    self_frames["ALL"][frame_name(frames[0])] += 1
    seen_c, seen_p = set(), set()
    for f in frames:
        c = cls(f)
        seen_c.add(c)
        seen_p.add(pkg(c))
    for c in seen_c:
        incl_cls[g][c] += 1
        incl_cls["ALL"][c] += 1
    for p in seen_p:
        incl_pkg[g][p] += 1
        incl_pkg["ALL"][p] += 1

total = sum(by_group.values())
print(f"== jdk.ExecutionSample: {total} samples")
for g, n in by_group.most_common():
    print(f"  {n:7d} {100.0 * n / total:5.1f}%  {g}")
for g in ["ALL"] + [g for g, _ in by_group.most_common() if by_group[g] >= max(20, total // 50)]:
    n = total if g == "ALL" else by_group[g]
    print(f"\n== [{g}] top {top} self frames ({n} samples)")
    for name, c in self_frames[g].most_common(top):
        print(f"  {c:6d} {100.0 * c / n:5.1f}%  {name}")
    print(f"-- [{g}] top {top} inclusive classes")
    for name, c in incl_cls[g].most_common(top):
        print(f"  {c:6d} {100.0 * c / n:5.1f}%  {name}")
    print(f"-- [{g}] top {top} inclusive packages (3 levels)")
    for name, c in incl_pkg[g].most_common(top):
        print(f"  {c:6d} {100.0 * c / n:5.1f}%  {name}")

alloc = collections.Counter()
alloc_group = collections.Counter()
alloc_site = collections.Counter()
for e in events("jdk.ObjectAllocationSample"):
    v = e["values"]
    w = v.get("weight", 0)
    alloc[v["objectClass"]["name"]] += w
    alloc_group[group(v.get("eventThread"))] += w
    frames = (v.get("stackTrace") or {}).get("frames") or []
    site = next((frame_name(f) for f in frames if f["method"]["type"]["name"].startswith("dev.keyledger")), None)
    if site:
        alloc_site[site] += w
atotal = sum(alloc.values()) or 1
print(f"\n== jdk.ObjectAllocationSample: {atotal / 1e6:.0f} MB sampled weight")
for g, w in alloc_group.most_common():
    print(f"  {w / 1e6:9.1f} MB {100.0 * w / atotal:5.1f}%  {g}")
print(f"-- top {top} classes")
for c, w in alloc.most_common(top):
    print(f"  {w / 1e6:9.1f} MB {100.0 * w / atotal:5.1f}%  {c}")
print(f"-- top {top} nearest dev.keyledger frames")
for c, w in alloc_site.most_common(top):
    print(f"  {w / 1e6:9.1f} MB {100.0 * w / atotal:5.1f}%  {c}")

pauses = [e["values"] for e in events("jdk.GarbageCollection")]
def dur_ms(s):
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", s or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0
ps = [dur_ms(p.get("sumOfPauses")) for p in pauses]
print(f"\n== GC: {len(pauses)} collections, pauses total {sum(ps):.1f} ms, max {max(ps or [0]):.1f} ms")
for name, n in collections.Counter(p.get("name") for p in pauses).most_common():
    print(f"  {n:5d} {name}")
