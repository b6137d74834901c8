#!/usr/bin/env python3
"""Writes the shipped rule set plus N clauses that read facts and compare dates into DIR, for timing how `impact`,
`diff` and `analyze` grow with such clauses.

The shipped catalogue, versions and clauses are copied, and N clauses are spread over the shipped versions (seeded,
so the same N and SEED give the same files): each `when` is a conjunction of some of a product interface, a cloud,
a segment, a true/false/unknown fact, an AGI state, and always a date comparison with a date of its own between 2020
and 2033; a third permit, the rest forbid; some override earlier generated clauses of their version.
Unlike generate_rules.py (one new version, attribute and cloud only), these make every fact a condition reads and
every date a boundary: the worst case for the exhaustive questions.
usage: generate_gated_rules.py N DIR [SEED]
"""
import datetime, json, os, random, shutil, sys

INTERFACES = ["stateless-api", "app", "agent-platform", "stateful-runtime", "open-weights", "device"]
CLOUDS = ["azure", "aws", "google-cloud", "oracle", "openai", "other"]
SEGMENTS = ["general", "us-national-security"]
TRI_STATES = ["microsoftDeclined", "shippedOnAzureFirst", "meetsOpenWeightCriteria", "statelessCallsOnAzure"]
AGI = ["agiDeclared", "not agiDeclared", "agiVerified", "not agiVerified"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(root, out)
    with open(os.path.join(out, "versions.json")) as f:
        versions = [v["id"] for v in json.load(f)["versions"]]
    added = {v: [] for v in versions}
    start = datetime.date(2020, 1, 1)
    for i in range(n):
        version = rng.choice(versions)
        parts = []
        if rng.random() < 0.5:
            parts.append(f'product.interface == "{rng.choice(INTERFACES)}"')
        if rng.random() < 0.5:
            parts.append(f'cloud {rng.choice(["==", "!="])} "{rng.choice(CLOUDS)}"')
        if rng.random() < 0.3:
            parts.append(f'segment == "{rng.choice(SEGMENTS)}"')
        if rng.random() < 0.4:
            parts.append(f'{rng.choice(TRI_STATES)} == {rng.choice(["true", "false", "null"])}')
        if rng.random() < 0.3:
            parts.append(rng.choice(AGI))
        date = start + datetime.timedelta(days=rng.randrange(0, 365 * 14))
        parts.append(f'date {rng.choice([">=", "<"])} "{date.isoformat()}"')
        clause = {"id": f"gated-{i}", "effect": rng.choice(["permit", "forbid", "forbid"]), "when": " and ".join(parts),
                  "source": f"generated clause {i}"}
        earlier = [c["id"] for c in added[version]]
        if earlier and rng.random() < 0.3:
            clause["overrides"] = rng.sample(earlier, min(len(earlier), rng.randint(1, 2)))
        added[version].append(clause)
    for version, clauses in added.items():
        path = os.path.join(out, "clauses", f"{version}.json")
        with open(path) as f:
            rules = json.load(f)
        rules["clauses"].extend(clauses)
        with open(path, "w") as f:
            json.dump(rules, f, indent=2)


if __name__ == "__main__":
    main()
