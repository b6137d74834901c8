#!/usr/bin/env python3
"""Writes a rule set of N simple clauses into DIR, for timing how loading grows with the rule set.

The shipped catalogue, versions and clauses are copied, then a version `bulk-N` (track `bulk`, effective 2027-01-01)
is added with N clauses: forbid and permit alternating, each `when` a product attribute, a cloud and a date of its
own (so the boundary set and the literals grow too), every tenth overriding the clause before it.
usage: generate_rules.py N DIR
"""
import datetime, json, os, shutil, sys

INTERFACES = ["stateless-api", "app", "agent-platform", "stateful-runtime", "open-weights", "device"]
CLOUDS = ["azure", "aws", "google-cloud", "oracle", "openai", "other"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(root, out)
    version = f"bulk-{n}"
    with open(os.path.join(out, "versions.json")) as f:
        versions = json.load(f)
    versions["versions"].append({"id": version, "track": "bulk", "effective": "2027-01-01", "title": f"{n} generated clauses"})
    with open(os.path.join(out, "versions.json"), "w") as f:
        json.dump(versions, f, indent=2)
    clauses = []
    start = datetime.date(2027, 1, 1)
    for i in range(n):
        date = (start + datetime.timedelta(days=i % 3000)).isoformat()
        clause = {
            "id": f"c{i}",
            "effect": "forbid" if i % 2 == 0 else "permit",
            "when": f'product.interface == "{INTERFACES[i % 6]}" and cloud == "{CLOUDS[(i // 6) % 6]}" and date >= "{date}"',
            "source": f"generated clause {i}",
        }
        if i % 10 == 9:
            clause["overrides"] = [f"c{i - 1}"]
        clauses.append(clause)
    with open(os.path.join(out, "clauses", f"{version}.json"), "w") as f:
        json.dump({"version": version, "clauses": clauses}, f, indent=2)


if __name__ == "__main__":
    main()
