#!/usr/bin/env python3
"""The baseline the batch is measured against: json.loads / json.dumps of every line, nothing else."""
import json, sys

with open(sys.argv[1], "r", encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        if line.strip():
            dst.write(json.dumps(json.loads(line)) + "\n")
