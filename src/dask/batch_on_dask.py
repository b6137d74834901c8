#!/usr/bin/python3
"""Runs `exclusivity batch` over a Dask cluster: JSON Lines files cut into partitions of whole lines, each partition
piped through the published CLI on a worker, which writes its answers to DIR/part-NNNNN.jsonl itself.

usage: batch_on_dask.py --input GLOB [GLOB ...] --output DIR [--scheduler tcp://HOST:PORT] [--cli PATH]
                        [--detail summary|versions|full] [--blocksize BYTES] [--rules DIR] [--local-workers N]

Run it with Debian's Python and its python3-distributed package (/usr/bin/python3). Exit codes: 0 every line
assessed; 1 some line rejected (still answered in place); 2 bad usage, or a partition failed (named on stderr).
"""
import argparse
import glob
import json
import os
import re
import secrets
import sys
import tempfile

PROGRAM = "dask-batch"
# About 900,000 lines: a few seconds of evaluation against the second or so each CLI takes to start.
DEFAULT_BLOCKSIZE = 128 * 1024 * 1024
MANIFEST = "_partitions.jsonl"
MAX_LOCAL_WORKERS = 256
UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000 ** 2, "mb": 1000 ** 2, "mib": 1024 ** 2,
         "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3}


class UsageError(Exception):
    """Bad usage or an unusable file: one sentence on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_arguments(argv):
    p = Parser(prog="batch_on_dask.py", description="exclusivity batch over a Dask cluster")
    p.add_argument("--input", action="extend", nargs="+", required=True, metavar="GLOB",
                   help="JSON Lines files (globs, ** included; several allowed), read in the order given, "
                        "each glob's matches in name order")
    p.add_argument("--output", required=True, metavar="DIR", help="folder for part-NNNNN.jsonl (created if missing)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler (default: a local cluster)")
    p.add_argument("--cli", default="exclusivity", metavar="PATH", help="the published CLI on the workers")
    p.add_argument("--detail", default="summary", choices=["summary", "versions", "full"])
    p.add_argument("--blocksize", default=str(DEFAULT_BLOCKSIZE), metavar="BYTES",
                   help="input bytes per partition, cut at the next line end (default 128MiB; e.g. 67108864 or 64MiB)")
    p.add_argument("--rules", metavar="DIR", help="rule set folder as the workers see it (default: the embedded one)")
    p.add_argument("--local-workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="workers of the local cluster started without --scheduler (default: the number of cores)")
    return p.parse_args(argv)


def parse_blocksize(text):
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in UNITS:
        raise UsageError(f"--blocksize `{text}` is not a number of bytes (e.g. 67108864 or 64MiB)")
    size = int(float(m.group(1)) * UNITS[m.group(2).lower()])
    if size < 1:
        raise UsageError(f"--blocksize `{text}` must be at least 1 byte")
    return size


def input_files(patterns):
    """Every file the globs match, in order, once; a glob that matches nothing is an error."""
    files, seen = [], set()
    for pattern in patterns:
        # A path that exists as written is that file, even if it holds glob characters (`q[1].jsonl`); if the glob also
        # matches other files, which was meant cannot be told.
        matches = sorted(glob.glob(pattern, recursive=True))
        if os.path.lexists(pattern):
            others = [m for m in matches if os.path.abspath(m) != os.path.abspath(pattern)]
            if others:
                raise UsageError(f"--input `{pattern}` is both a file's name and a glob matching other files (`{others[0]}`); "
                                 f"give `{glob.escape(pattern)}` for the file alone")
            matches = [pattern]
        if not matches:
            raise UsageError(f"--input `{pattern}` matches no file")
        for path in matches:
            path = os.path.abspath(path)
            # Once per file, however it is reached (a symbolic or hard link to a file already given is the same file).
            try:
                status = os.stat(path)
                identity = (status.st_dev, status.st_ino)
            except OSError:
                identity = path
            if identity in seen:
                continue
            seen.add(identity)
            if os.path.isdir(path):
                raise UsageError(f"--input `{path}` is a folder, not a JSON Lines file")
            if not os.path.isfile(path):
                raise UsageError(f"--input `{path}` is not a regular file (partitions are cut by byte offset)")
            if path.lower().endswith(".csv"):
                raise UsageError(f"--input `{path}` is CSV: partitions would lose its header row; convert it to "
                                 "JSON Lines")
            try:
                with open(path, "rb"):
                    pass
            except OSError as e:
                raise UsageError(f"cannot read --input `{path}`: {e.strerror}")
            files.append(path)
    return files


def prepare_output(directory):
    """Creates DIR if needed and checks it can be written and holds no earlier run's parts."""
    if not directory.strip():
        raise UsageError("--output is empty (an unset variable?): give the folder for the parts")
    directory = os.path.abspath(directory)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError(f"--output `{directory}` is not a folder")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create --output `{directory}`: {e.strerror}")
    if not os.path.isdir(directory):
        raise UsageError(f"--output `{directory}` is not a folder")
    earlier = sorted(n for n in os.listdir(directory) if re.fullmatch(r"part-\d{5,}\.jsonl", n) or n == MANIFEST)
    if earlier:
        raise UsageError(f"--output `{directory}` already holds an earlier run's `{earlier[0]}`: parts of two runs "
                         "must never mix; choose an empty folder or remove them")
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-"):
            pass
    except OSError as e:
        raise UsageError(f"cannot write to --output `{directory}`: {e.strerror}")
    return directory


def plan_partitions(files, blocksize):
    """Byte ranges of whole lines: a partition ends at the first line end at or after `blocksize` bytes."""
    partitions = []
    for path in files:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            start = 0
            while start < size:
                end = size
                if start + blocksize < size:
                    f.seek(start + blocksize - 1)
                    end = next_line_start(f, size)
                    # The CLI takes a byte order mark at the start of its input as no line's: a line starting with one
                    # inside a file (files concatenated) must not start a partition, or it would be answered there and
                    # rejected (invalid-json) by `batch` on the whole file.
                    while end < size and f.seek(end) == end and f.read(3) == b"\xef\xbb\xbf":
                        f.seek(end)
                        end = next_line_start(f, size)
                partitions.append({"input": path, "start": start, "end": end, "size": size})
                start = end
    return partitions


def next_line_start(f, size):
    """The offset just after the next line end from the current position, or the file's size."""
    position = f.tell()
    while True:
        chunk = f.read(65536)
        if not chunk:
            return size
        newline = chunk.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(chunk)


def run_partition(task):
    """On a worker: pipes the partition's bytes through the CLI into a hidden temporary file, checks that every
    non-blank line was answered once, and renames it to its part name. Raises (so Dask retries) on any failure."""
    import json
    import os
    import re
    import socket
    import subprocess
    import tempfile
    import time

    began = time.monotonic()
    try:
        from distributed import get_worker
        worker = get_worker().address
    except ValueError:
        worker = "local"
    where = f"on worker {worker}"
    # As the CLI counts them: a line of spaces, tabs and carriage returns only is blank however long it is; a byte
    # order mark at the very start of the input belongs to no line.
    blank_line = re.compile(rb"^[ \t\r]*\n", re.M)
    white = re.compile(rb"[ \t\r]*")
    final = os.path.join(task["output"], task["part"])
    temporary = os.path.join(task["output"], f".{task['part']}.{task['run']}.{os.getpid()}-{time.monotonic_ns()}.tmp")
    lines = blank = 0
    try:
        with open(task["input"], "rb") as source, open(temporary, "wb") as out, tempfile.TemporaryFile() as err:
            if os.fstat(source.fileno()).st_size != task["size"]:
                raise RuntimeError(f"`{task['input']}` changed size since the run was planned ({where})")
            source.seek(task["start"])
            try:
                process = subprocess.Popen(task["command"], stdin=subprocess.PIPE, stdout=out, stderr=err)
            except OSError as e:
                raise RuntimeError(f"cannot run the CLI `{task['command'][0]}` {where}: {e.strerror}")
            try:
                remaining = task["end"] - task["start"]
                tail_blank, tail_length = True, 0  # the line the last chunk left unfinished: white only? how long?
                skip, at_start = 0, task["start"] == 0
                while remaining > 0:
                    chunk = source.read(min(1 << 20, remaining))
                    if not chunk:
                        raise RuntimeError(f"`{task['input']}` ended before byte {task['end']} ({where})")
                    if at_start and chunk.startswith(b"\xef\xbb\xbf"):
                        skip = 3
                    at_start = False
                    remaining -= len(chunk)
                    try:
                        process.stdin.write(chunk)
                    except BrokenPipeError:
                        break  # the CLI stopped reading; its exit code says why
                    # Count lines and blank lines over whole lines only; of the line left unfinished at the chunk's
                    # end only whether it is white so far is kept, for the next chunk to finish.
                    cut = chunk.rfind(b"\n") + 1
                    if cut == 0:
                        tail_blank = tail_blank and white.fullmatch(chunk, skip) is not None
                        tail_length += len(chunk)  # a byte order mark alone is a line read, as the CLI counts it
                        skip = 0
                        continue
                    first = chunk.find(b"\n") + 1
                    lines += chunk.count(b"\n")
                    if tail_blank and white.fullmatch(chunk, skip, first - 1):
                        blank += 1
                    blank += len(blank_line.findall(chunk, first, cut))
                    tail_blank, tail_length, skip = white.fullmatch(chunk, cut) is not None, len(chunk) - cut, 0
                if tail_length:
                    lines += 1
                    blank += tail_blank
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass
                code = process.wait()
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            err.seek(0)
            said = " ".join(err.read(2000).decode("utf-8", "replace").split())
            if code < 0:
                raise RuntimeError(f"the CLI was killed by signal {-code} {where}")
            if code not in (0, 1):
                raise RuntimeError(f"the CLI exited {code} {where}: {said or 'it wrote nothing on stderr'}")
            out.flush()
            os.fsync(out.fileno())
        answered = rejected = 0
        with open(temporary, "rb") as written:
            for line in written:
                if not line.endswith(b"\n"):
                    raise RuntimeError(f"the CLI's last answer is cut short {where}")
                answered += 1
                if b'"error"' in line and "error" in json.loads(line):
                    rejected += 1
        if answered != lines - blank:
            raise RuntimeError(f"the CLI wrote {answered} answers for {lines - blank} non-blank lines {where}")
        if (code == 1) != (rejected > 0):
            raise RuntimeError(f"the CLI exited {code} with {rejected} rejected lines {where}: {said}")
        os.replace(temporary, final)
    except BaseException as e:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(e, OSError):
            about = f": `{e.filename}`" if e.filename else ""
            raise RuntimeError(f"{e.strerror or e}{about} {where}") from None
        raise
    return {"partition": task["partition"], "part": task["part"], "input": task["input"], "start": task["start"],
            "end": task["end"], "lines": lines, "blank": blank, "assessed": answered - rejected,
            "rejected": rejected, "worker": worker, "host": socket.gethostname(), "pid": os.getpid(),
            "seconds": round(time.monotonic() - began, 3)}


def probe_cli(command):
    """On each worker before the run: the CLI starts and names its rule set (so all workers answer alike)."""
    import subprocess
    try:
        done = subprocess.run(command, capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"error": f"cannot run the CLI `{command[0]}`: {getattr(e, 'strerror', None) or e}"}
    if done.returncode != 0:
        said = " ".join(done.stderr.decode("utf-8", "replace").split())[:500]
        return {"error": f"`{' '.join(command)}` exited {done.returncode}: {said}"}
    try:
        return {"ruleSet": json.loads(done.stdout)["ruleSet"]}
    except (ValueError, KeyError, TypeError):
        return {"error": f"`{' '.join(command)}` did not print a rule set hash"}


class DropTornadoTimeouts:
    """Distributed 2022.12 with tornado 6.2 leaves a timeout future unread in its batched sends; asyncio logs it as
    "Future exception was never retrieved ... TimeoutError" when it is collected. It means nothing; drop it."""

    def filter(self, record):
        exc = record.exc_info[0] if record.exc_info else None
        return not (str(record.msg).startswith("Future exception was never retrieved")
                    and exc is not None and issubclass(exc, TimeoutError))


def connect(args):
    """A client of the given scheduler, or of a local cluster (then also returned, to close)."""
    # The scheduler's and workers' INFO logging would bury the closing line; errors still show.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    import logging
    logging.getLogger("asyncio").addFilter(DropTornadoTimeouts())
    import dask
    from distributed import Client, LocalCluster

    if args.scheduler:
        try:
            return Client(args.scheduler, set_as_default=False), None
        except (OSError, TimeoutError) as e:
            raise UsageError(f"cannot reach the scheduler at `{args.scheduler}`: {e}")
        except ValueError:
            raise UsageError(f"--scheduler `{args.scheduler}` is not an address like tcp://HOST:PORT")
    if args.local_workers < 1:
        raise UsageError("--local-workers must be at least 1")
    # A partition whose worker dies is retried once, like one whose CLI fails (retries=1 below).
    dask.config.set({"distributed.scheduler.allowed-failures": 1})
    if args.local_workers > MAX_LOCAL_WORKERS:
        raise UsageError(f"--local-workers {args.local_workers} is more than {MAX_LOCAL_WORKERS}: each runs a CLI "
                         "process that uses every core; a few per machine are enough (default: the number of cores)")
    # Threads in this process are enough: each runs a CLI process, which does the work on every core. The dashboards
    # Dask starts anyway (dashboard_address=None does not stop them in 2022.12) listen on loopback only, on a free
    # port: not on every interface, and no clash with another run on 8787.
    cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=False,
                           dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0")
    return Client(cluster, set_as_default=False), cluster


def run(args):
    blocksize = parse_blocksize(args.blocksize)
    files = input_files(args.input)
    output = prepare_output(args.output)
    cli = args.cli
    if os.sep in cli and os.path.exists(cli):
        cli = os.path.abspath(cli)
    rules_dir = args.rules
    # As with --cli: a folder that exists here is named absolutely, so a worker started elsewhere finds the same one.
    if rules_dir and os.path.isdir(rules_dir):
        rules_dir = os.path.abspath(rules_dir)
    rules = ["--rules", rules_dir] if rules_dir else []
    command = [cli, "batch", "--input", "-", "--output", "-", "--quiet", "--detail", args.detail] + rules
    partitions = plan_partitions(files, blocksize)
    run_id = secrets.token_hex(4)

    client, cluster = connect(args)
    try:
        from distributed import as_completed

        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise UsageError(f"no worker joined the scheduler at `{args.scheduler}` within 60 seconds")
        probes = client.run(probe_cli, [cli, "versions", "--format", "json"] + rules)
        for worker, probe in sorted(probes.items()):
            if "error" in probe:
                raise UsageError(f"worker {worker}: {probe['error']}")
        rule_sets = {probe["ruleSet"] for probe in probes.values()}
        if len(rule_sets) > 1:
            listed = "; ".join(f"{w}: {p['ruleSet']}" for w, p in sorted(probes.items()))
            raise UsageError(f"the workers' CLIs answer with different rule sets ({listed}); publish one CLI to all")

        tasks = [dict(p, partition=i, part=f"part-{i:05d}.jsonl", output=output, command=command, run=run_id)
                 for i, p in enumerate(partitions)]
        futures = client.map(run_partition, tasks, key=[f"exclusivity-{run_id}-partition-{i:05d}" for i in
                                                        range(len(tasks))], retries=1, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        done, failed = {}, {}
        for future in as_completed(futures, loop=client.loop):
            i = index[future.key]
            if future.status == "finished":
                done[i] = future.result()
            elif future.status == "cancelled":
                failed[i] = "the scheduler cancelled it (was the scheduler restarted?)"
            else:
                failed[i] = " ".join(str(future.exception()).split()) or type(future.exception()).__name__
            # Released at once: a worker that dies later must not make Dask run a finished partition again.
            future.release()
        del futures
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        remove_leftovers(output, run_id)

    for i in failed:
        # A retry may fail after an earlier attempt renamed its part; the partition is reported failed, so no part.
        try:
            os.unlink(os.path.join(output, tasks[i]["part"]))
        except OSError:
            pass
    write_manifest(output, tasks, done, failed, rule_sets.pop())
    for i in sorted(failed):
        t = tasks[i]
        print(f"{PROGRAM}: partition {i} ({t['part']}: `{t['input']}` bytes {t['start']}-{t['end']}) failed after a "
              f"retry: {failed[i]}", file=sys.stderr)
    total = {key: sum(r[key] for r in done.values()) for key in ("lines", "assessed", "rejected")}
    workers = len({r["worker"] for r in done.values()})
    print(f"{PROGRAM}: {total['lines']} lines, {total['assessed']} assessed, {total['rejected']} rejected, "
          f"{len(tasks)} partitions on {workers} workers", file=sys.stderr)
    return 2 if failed else 1 if total["rejected"] else 0


def remove_leftovers(output, run_id):
    """Temporary files of this run left by a worker that died mid-partition (its CLI may still be writing)."""
    for name in os.listdir(output):
        if name.startswith(".part-") and f".{run_id}." in name and name.endswith(".tmp"):
            try:
                os.unlink(os.path.join(output, name))
            except OSError:
                pass


def write_manifest(output, tasks, done, failed, rule_set):
    """DIR/_partitions.jsonl: per partition its input span, counts, the worker that ran it, or why it failed."""
    temporary = os.path.join(output, f".{MANIFEST}.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        for i, t in enumerate(tasks):
            entry = {"partition": i, "part": t["part"], "input": t["input"], "start": t["start"], "end": t["end"]}
            if i in done:
                r = done[i]
                entry.update(status="done", lines=r["lines"], blank=r["blank"], assessed=r["assessed"],
                             rejected=r["rejected"], worker=r["worker"], host=r["host"], pid=r["pid"],
                             seconds=r["seconds"])
            else:
                entry.update(status="failed", error=failed.get(i, "not run"))
            entry["ruleSet"] = rule_set
            f.write(json.dumps(entry) + "\n")
    os.replace(temporary, os.path.join(output, MANIFEST))


def main(argv):
    try:
        return run(parse_arguments(argv))
    except UsageError as e:
        print(f"{PROGRAM}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROGRAM}: interrupted: the run is incomplete (the parts present are complete, others are missing)",
              file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - one sentence, never a stack trace
        said = " ".join(str(e).split())
        print(f"{PROGRAM}: stopped by an unexpected error: {type(e).__name__}: {said}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything was closed and written; skipping the interpreter's teardown keeps the closing line the last one
    # (distributed's threads can still log while they are collected).
    os._exit(code)
