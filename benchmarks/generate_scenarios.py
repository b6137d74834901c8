#!/usr/bin/env python3
"""Writes N random scenarios as JSON Lines (or CSV) for timing `exclusivity batch`.

Dates cluster on the rule set's boundary dates; facts are random (unknown included); some products are inline;
a small share of lines are bad on purpose (--bad) so the error path is timed too.
usage: generate_scenarios.py N [--csv] [--bad 0.01] [--seed 1] > file
"""
import argparse, datetime, json, random, sys

PRODUCTS = ["openai-api", "chatgpt", "frontier", "stateful-runtime", "joint-api-product", "open-weight-model",
            "consumer-device", "azure-openai-service", "microsoft-copilot"]
CLOUDS = ["azure", "aws", "google-cloud", "oracle", "openai", "other"]
BOUNDARIES = ["2019-07-22", "2025-10-28", "2025-11-03", "2026-02-27", "2026-04-27", "2030-12-31", "2032-12-31"]
INTERFACES = ["stateless-api", "app", "agent-platform", "stateful-runtime", "open-weights", "device"]


def date(rng):
    if rng.random() < 0.5:
        d = datetime.date.fromisoformat(rng.choice(BOUNDARIES)) + datetime.timedelta(days=rng.choice([-1, 0, 1]))
    else:
        d = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 18))
    return d.isoformat()


def scenario(rng, i):
    s = {"id": f"s-{i}"}
    if rng.random() < 0.05:
        s["product"] = {"id": rng.choice(["frontier", "x-" + str(rng.randrange(50))]), "interface": rng.choice(INTERFACES),
                        "origin": rng.choice(["first-party", "joint"]), "offeredBy": rng.choice(["openai", "microsoft"])}
    else:
        s["product"] = rng.choice(PRODUCTS)
    s["cloud"] = rng.choice(CLOUDS)
    s["date"] = date(rng)
    if rng.random() < 0.3:
        s["segment"] = rng.choice(["general", "us-national-security", None])
    if rng.random() < 0.2:
        s["agiDeclaredOn"] = date(rng)
        if rng.random() < 0.5:
            s["agiVerifiedOn"] = max(s["agiDeclaredOn"], date(rng))
    for fact in ["microsoftDeclined", "shippedOnAzureFirst", "meetsOpenWeightCriteria", "statelessCallsOnAzure"]:
        if rng.random() < 0.4:
            s[fact] = rng.choice([True, False, None])
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("--csv", action="store_true")
    p.add_argument("--bad", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout
    fields = ["id", "product", "cloud", "date", "segment", "agiDeclaredOn", "agiVerifiedOn", "microsoftDeclined",
              "shippedOnAzureFirst", "meetsOpenWeightCriteria", "statelessCallsOnAzure"]
    if a.csv:
        import csv
        w = csv.writer(out, lineterminator="\n")
        w.writerow(fields)
    for i in range(a.n):
        s = scenario(rng, i)
        if rng.random() < a.bad:
            s["cloud"] = "azur"
        if a.csv:
            def cell(v):
                if v is None:
                    return "unknown"
                if isinstance(v, bool):
                    return "true" if v else "false"
                if isinstance(v, dict):
                    return json.dumps(v, separators=(",", ":"))
                return v
            w.writerow(["" if f not in s else cell(s[f]) for f in fields])
        else:
            out.write(json.dumps(s, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
