using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExclusivityEngine.Tests.Dask;

/// <summary>
/// The batch across machines, on a real Dask cluster on this machine: a scheduler and two workers (Debian's
/// python3-distributed), the CLI published as in production, and over 200,000 generated lines in several files,
/// some of them bad, blank, CRLF-ended or without a final line end. Every answer must equal the single-process
/// batch's; a worker killed mid-partition must cost nothing; a failing CLI must leave no complete-looking part.
/// </summary>
[Category("Dask")]
[NonParallelizable]
[UnsupportedOSPlatform("windows")]
public sealed partial class DaskBatchTests
{
    private const int GeneratedLines = 200_000;

    private string _work = "";
    private string _cli = "";
    private string _inputs = "";
    private string _singleOutput = "";
    private long _inputLines;
    private (long Lines, long Assessed, long Rejected) _single;
    private DaskCluster? _cluster;
    private DaskCluster.Worker[] _workers = [];

    [OneTimeSetUp]
    public void PublishGenerateAndStartTheCluster()
    {
        Assert.That(File.Exists(DaskCluster.Python), Is.True, $"{DaskCluster.Python} is missing (Debian's python3)");
        _work = Path.Combine(Path.GetTempPath(), "exclusivity-dask-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
        try
        {
            _cluster = new DaskCluster(Path.Combine(_work, "cluster"));
            _cli = Publish();
            _workers = [_cluster.StartWorker("worker-a"), _cluster.StartWorker("worker-b")];
            _inputs = Path.Combine(_work, "in");
            _inputLines = WriteInputs(_inputs);
            (_singleOutput, _single) = SingleBatch();
        }
        catch
        {
            // Whatever was started stops even when the set-up fails half way.
            StopTheCluster();
            throw;
        }
    }

    [OneTimeTearDown]
    public void StopTheCluster()
    {
        _cluster?.Dispose();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Test]
    public void Run_TwoWorkers_EveryLineAnsweredOnceAsBySingleBatch()
    {
        var output = Path.Combine(_work, "out-two-workers");

        var run = DaskRun.Of(_work, output, "--input", Path.Combine(_inputs, "*.jsonl"), "--scheduler", _cluster!.Address, "--cli", _cli, "--blocksize", "2MB");

        Assert.That(run.ExitCode, Is.EqualTo(1), $"some lines are bad, so exit 1\n{run.Stderr}");
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), $"the closing line only\n{run.Stderr}");
        var counts = run.Counts;
        Assert.That((counts.Lines, counts.Assessed, counts.Rejected), Is.EqualTo(_single), "the counts of the single-process batch");
        Assert.That(counts.Lines, Is.EqualTo(_inputLines), "every input line counted, blank ones included");
        run.AssertSameAnswersAs(_singleOutput);
        run.AssertLineNumbersPerPartition();
        var manifest = run.Manifest;
        Assert.That(counts.Partitions, Is.EqualTo(manifest.Length).And.EqualTo(run.Parts.Length).And.GreaterThan(10));
        Assert.That(manifest.Select(p => (string)p["status"]!), Is.All.EqualTo("done"));
        var ranOn = manifest.Select(p => (string)p["worker"]!).Distinct().Order().ToArray();
        Assert.That(ranOn, Is.EqualTo(_workers.Select(w => w.Address).Order().ToArray()), "partitions ran on both workers");
        Assert.That(counts.Workers, Is.EqualTo(2));
        Assert.That(run.Strays, Is.Empty, "no temporary file is left");
    }

    [Test]
    public void Run_WorkerKilledMidPartition_EveryLineStillAnsweredOnce()
    {
        var doomed = _cluster!.StartWorker("worker-doomed");
        var output = Path.Combine(_work, "out-killed");
        using var process = DaskRun.Start(_work, ["--input", Path.Combine(_inputs, "scenarios-1.jsonl"), Path.Combine(_inputs, "scenarios-[2-9]*.jsonl"),
            "--output", output, "--scheduler", _cluster.Address, "--cli", _cli, "--blocksize", "4MB"]);

        // Killed (with the CLI it runs) while its CLI answers a partition, after some parts are complete. The worker's
        // temporary part (named with its process id) says which partition that is.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? interrupted = null;
        while (interrupted is null)
        {
            Assert.That(process.HasExited, Is.False, $"the run ended before the worker could be killed\n{process.Stderr}");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(3)), "the doomed worker never ran a partition");
            Thread.Sleep(20);
            var temporary = Directory.Exists(output) ? Directory.GetFiles(output, $".part-*.{doomed.Process.Id}-*.tmp").FirstOrDefault() : null;
            if (temporary is not null && Directory.GetFiles(output, "part-*.jsonl").Length > 0 && doomed.Process.Children(" batch ").Count > 0)
            {
                interrupted = Path.GetFileName(temporary)[1..].Split(".jsonl.")[0] + ".jsonl";
            }
        }
        doomed.Process.KillGroup();
        Assert.That(File.Exists(Path.Combine(output, interrupted)), Is.False, $"{interrupted} was still being answered when its worker was killed");
        var run = DaskRun.Finish(process, output);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
        var counts = run.Counts;
        Assert.That((counts.Lines, counts.Assessed, counts.Rejected), Is.EqualTo(_single));
        run.AssertSameAnswersAs(_singleOutput);
        run.AssertLineNumbersPerPartition();
        var manifest = run.Manifest;
        Assert.That(manifest.Select(p => (string)p["status"]!), Is.All.EqualTo("done"));
        var rerun = manifest.Single(p => (string)p["part"]! == interrupted);
        Assert.That((string)rerun["worker"]!, Is.Not.EqualTo(doomed.Address), $"{interrupted} was answered again by another worker");
        Assert.That(counts.Partitions, Is.EqualTo(run.Parts.Length));
        Assert.That(run.Strays, Is.Empty, "the killed CLI's temporary part is removed");
    }

    [Test]
    public void Run_CliFailsOnOnePartition_PartitionNamedRetriedOnceNoPartLeft()
    {
        var input = Path.Combine(_work, "poison");
        Directory.CreateDirectory(input);
        var lines = File.ReadLines(Path.Combine(_inputs, "scenarios-1.jsonl")).Take(6000).ToArray();
        var poisonedFile = Path.Combine(input, "b.jsonl");
        File.WriteAllLines(Path.Combine(input, "a.jsonl"), lines[..3000]);
        // The poisoned line sits in the middle of b.jsonl, so in one of its partitions of about 100 kB.
        File.WriteAllLines(poisonedFile, [.. lines[3000..4500], "{\"id\":\"POISON\",\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", .. lines[4500..]]);
        long poisonAt = File.ReadAllText(poisonedFile).IndexOf("POISON", StringComparison.Ordinal);
        var calls = Path.Combine(_work, "poison-calls.txt");
        var cli = Path.Combine(_work, "poisoned-cli.sh");
        // Runs the real CLI, except on a partition holding the POISON line: there it writes half an answer and exits 2.
        File.WriteAllText(cli, $$"""
            #!/bin/sh
            echo "$*" >> '{{calls}}'
            [ "$1" = batch ] || exec '{{_cli}}' "$@"
            input=$(mktemp)
            cat > "$input"
            if grep -q POISON "$input"; then
              rm -f "$input"
              printf '{"id":"half an ans'
              echo "the rule set cannot be used (poisoned for a test)" >&2
              exit 2
            fi
            '{{_cli}}' "$@" < "$input"
            code=$?
            rm -f "$input"
            exit $code
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var output = Path.Combine(_work, "out-poison");

        var run = DaskRun.Of(_work, output, "--input", Path.Combine(input, "*.jsonl"), "--scheduler", _cluster!.Address, "--cli", cli, "--blocksize", "100kB", "--detail", "versions");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        var manifest = run.Manifest;
        var poisoned = manifest.Single(p => (string)p["input"]! == poisonedFile && (long)p["start"]! <= poisonAt && poisonAt < (long)p["end"]!);
        var name = (string)poisoned["part"]!;
        var index = (int)poisoned["partition"]!;
        Assert.That((string)poisoned["status"]!, Is.EqualTo("failed"));
        Assert.That(run.StderrLines, Has.Length.EqualTo(2), $"the failed partition, then the closing line\n{run.Stderr}");
        Assert.That(run.StderrLines[0], Does.StartWith($"dask-batch: partition {index} ({name}: `{poisonedFile}` bytes {poisoned["start"]}-{poisoned["end"]}) failed")
            .And.Contain("the CLI exited 2").And.Contain("poisoned for a test"));
        Assert.That(File.Exists(Path.Combine(output, name)), Is.False, "no part for the failed partition");
        Assert.That(run.Strays, Is.Empty, "the half-written answer is not left behind");
        Assert.That(run.Parts, Has.Length.EqualTo(manifest.Length - 1), "every other partition is complete");
        var counts = run.Counts;
        Assert.That(counts.Partitions, Is.EqualTo(manifest.Length));
        Assert.That(counts.Lines, Is.EqualTo(manifest.Where(p => (string)p["status"]! == "done").Sum(p => (long)p["lines"]!)), "lines of the partitions done");

        var invocations = File.ReadAllLines(calls);
        Assert.That(invocations.Where(c => c.StartsWith("batch", StringComparison.Ordinal)).Distinct(), Is.EqualTo(new[] { "batch --input - --output - --quiet --detail versions" }));
        Assert.That(invocations.Count(c => c.StartsWith("batch", StringComparison.Ordinal)), Is.EqualTo(manifest.Length + 1), "the failed partition ran twice (one retry), every other once");
        var answer = JsonNode.Parse(File.ReadLines(run.Parts[0]).First())!;
        Assert.That(answer["versions"]!["msft-openai-2019"]!["decisive"], Is.Not.Null, "--detail versions reached the CLI");
    }

    [Test]
    public void Run_RelativeRulesFolder_IsTheOneTheScriptSeesAlsoOnWorkersStartedElsewhere()
    {
        // The workers run in the cluster's folder, the script in _work: a relative --rules used to name a folder the
        // workers could not find, and the run stopped at their probe.
        using var rules = new RuleSetCopy();
        var relative = Path.GetRelativePath(_work, rules.Directory);
        Assert.That(Path.IsPathRooted(relative), Is.False);
        var input = Path.Combine(_work, "relative-rules.jsonl");
        File.WriteAllLines(input, File.ReadLines(Path.Combine(_inputs, "scenarios-2.jsonl")).Take(2000));
        var single = Path.Combine(_work, "relative-rules-single.jsonl");
        using (var batch = GroupProcess.Start(_cli, ["batch", "--input", input, "--output", single, "--quiet", "--rules", rules.Directory]))
        {
            Assert.That(batch.WaitForExit(TimeSpan.FromMinutes(2), "the single batch"), Is.LessThanOrEqualTo(1), batch.Stderr);
        }
        var output = Path.Combine(_work, "out-relative-rules");

        var run = DaskRun.Of(_work, output, "--input", input, "--scheduler", _cluster!.Address, "--cli", _cli, "--rules", relative, "--blocksize", "100kB");

        Assert.That(run.ExitCode, Is.LessThanOrEqualTo(1), run.Stderr);
        Assert.That(run.Counts.Lines, Is.EqualTo(2000));
        run.AssertSameAnswersAs(single);
    }

    [Test]
    public void Run_WithoutScheduler_StartsALocalClusterWithTheSameAnswers()
    {
        var input = Path.Combine(_work, "local");
        Directory.CreateDirectory(input);
        var lines = File.ReadLines(Path.Combine(_inputs, "scenarios-2.jsonl")).Take(8000).ToArray();
        File.WriteAllLines(Path.Combine(input, "a.jsonl"), lines[..5000]);
        File.WriteAllLines(Path.Combine(input, "b.jsonl"), lines[5000..]);
        var single = Path.Combine(_work, "local-single.jsonl");
        File.WriteAllLines(Path.Combine(_work, "local-all.jsonl"), lines);
        using (var batch = GroupProcess.Start(_cli, ["batch", "--input", Path.Combine(_work, "local-all.jsonl"), "--output", single, "--quiet"]))
        {
            Assert.That(batch.WaitForExit(TimeSpan.FromMinutes(2), "the single batch"), Is.LessThanOrEqualTo(1), batch.Stderr);
        }
        var output = Path.Combine(_work, "out-local");

        var run = DaskRun.Of(_work, output, "--input", Path.Combine(input, "*.jsonl"), "--cli", _cli, "--blocksize", "300kB", "--local-workers", "2");

        Assert.That(run.ExitCode, Is.LessThanOrEqualTo(1), run.Stderr);
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), $"the closing line only\n{run.Stderr}");
        Assert.That(run.Counts.Lines, Is.EqualTo(8000));
        Assert.That(run.Counts.Partitions, Is.GreaterThan(2));
        run.AssertSameAnswersAs(single);
        run.AssertLineNumbersPerPartition();
    }

    [Test]
    public void Run_WhiteLineOverAMebibyteAndByteOrderMarksInsideAFile_AnsweredAsBySingleBatch()
    {
        var input = Path.Combine(_work, "odd.jsonl");
        const string Scenario = """{"product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}""";
        using (var file = File.Create(input))
        {
            file.Write(Encoding.UTF8.GetBytes(Scenario + "\n"));
            // Blank however long (the CLI skips it): counted so, a partition that holds it is complete.
            file.Write(Encoding.ASCII.GetBytes(new string(' ', (1 << 20) + 10) + "\t\r\n"));
            file.Write(Encoding.UTF8.GetBytes(Scenario + "\n"));
            // Files concatenated: a byte order mark starting a line inside the file is that line's, which is invalid
            // JSON, wherever the partitions are cut.
            for (var i = 0; i < 3; i++)
            {
                file.Write([0xEF, 0xBB, 0xBF]);
                file.Write(Encoding.UTF8.GetBytes(Scenario + "\n"));
            }
            file.Write(Encoding.UTF8.GetBytes(Scenario + "\n"));
        }
        var single = Path.Combine(_work, "odd-single.jsonl");
        using (var batch = GroupProcess.Start(_cli, ["batch", "--input", input, "--output", single, "--quiet"]))
        {
            Assert.That(batch.WaitForExit(TimeSpan.FromMinutes(2), "the single batch"), Is.EqualTo(1), batch.Stderr);
        }

        foreach (var blocksize in new[] { "1", "70", "1MiB" })
        {
            var run = DaskRun.Of(_work, Path.Combine(_work, "out-odd-" + blocksize), "--input", input, "--scheduler", _cluster!.Address, "--cli", _cli, "--blocksize", blocksize);

            Assert.That(run.ExitCode, Is.EqualTo(1), $"--blocksize {blocksize}\n{run.Stderr}");
            Assert.That(run.Counts.Rejected, Is.EqualTo(3), $"--blocksize {blocksize}: the three lines that start with a byte order mark");
            run.AssertSameAnswersAs(single);
        }
    }

    private string Publish()
    {
        var directory = Path.Combine(_work, "cli");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        // No build server or node is left running: every process the test starts ends with it.
        using var publish = GroupProcess.Start(dotnet,
            ["publish", Path.Combine(Repository.Root, "src", "ExclusivityEngine.Cli"), "-c", "Release", "-o", directory, "--nologo", "-v", "quiet",
             "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            Repository.Root,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });
        var code = publish.WaitForExit(TimeSpan.FromMinutes(10), "dotnet publish");
        Assert.That(code, Is.Zero, $"dotnet publish failed:\n{publish.Stdout}\n{publish.Stderr}");
        var cli = Path.Combine(directory, "exclusivity");
        Assert.That(File.Exists(cli), Is.True, $"{cli} was not published");
        return cli;
    }

    /// <summary>
    /// Writes the generator's lines, with a few bad ones, into several files, with the shapes a real input has:
    /// blank and whitespace-only lines, CRLF line ends, invalid JSON and UTF-8, an empty file, no final line end.
    /// Returns the number of input lines, blank ones included.
    /// </summary>
    private long WriteInputs(string directory)
    {
        Directory.CreateDirectory(directory);
        var generated = Path.Combine(_work, "generated.jsonl");
        using (var generator = GroupProcess.Start("sh", ["-c", $"exec '{DaskCluster.Python}' \"$0\" {GeneratedLines} --bad 0.002 --seed 17 > '{generated}'",
            Path.Combine(Repository.Root, "benchmarks", "generate_scenarios.py")]))
        {
            Assert.That(generator.WaitForExit(TimeSpan.FromMinutes(2), "the generator"), Is.Zero, generator.Stderr);
        }
        var lines = File.ReadAllLines(generated);
        Assert.That(lines, Has.Length.EqualTo(GeneratedLines));
        long count = 0;
        void Write(string name, IEnumerable<string> content, string end, bool finalEnd = true)
        {
            using var file = File.Create(Path.Combine(directory, name));
            var first = true;
            foreach (var line in content)
            {
                if (!first)
                {
                    file.Write(Encoding.UTF8.GetBytes(end));
                }
                file.Write(line == InvalidUtf8 ? [.. "{\"id\":\"utf8-1\",\"product\":\"chat"u8, 0xff, .. "gpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}"u8] : Encoding.UTF8.GetBytes(line));
                first = false;
                count++;
            }
            if (finalEnd && !first)
            {
                file.Write(Encoding.UTF8.GetBytes(end));
            }
        }
        Write("scenarios-1.jsonl", [.. lines[..100], "", .. lines[100..200], " \t ", .. lines[200..60_000]], "\n");
        Write("scenarios-2.jsonl", [.. lines[60_000..60_500], "{\"id\":\"broken-1\",\"product\":", .. lines[60_500..61_000], InvalidUtf8, "[1,2]", .. lines[61_000..105_000]], "\n");
        Write("scenarios-3.jsonl", [.. lines[105_000..130_000], "", .. lines[130_000..160_000]], "\r\n");
        Write("scenarios-3a-empty.jsonl", [], "\n");
        Write("scenarios-4.jsonl", [.. lines[160_000..180_000], "   ", .. lines[180_000..]], "\n", finalEnd: false);
        return count;
    }

    private const string InvalidUtf8 = "(invalid UTF-8)";

    /// <summary>The same files, concatenated in the order the script reads them, through one <c>batch</c> process.</summary>
    private (string Output, (long, long, long) Counts) SingleBatch()
    {
        var all = Path.Combine(_work, "all.jsonl");
        using (var joined = File.Create(all))
        {
            foreach (var file in Directory.GetFiles(_inputs, "*.jsonl").Order(StringComparer.Ordinal))
            {
                using var part = File.OpenRead(file);
                part.CopyTo(joined);
            }
        }
        var output = Path.Combine(_work, "single.jsonl");
        using var batch = GroupProcess.Start(_cli, ["batch", "--input", all, "--output", output]);
        Assert.That(batch.WaitForExit(TimeSpan.FromMinutes(3), "the single batch"), Is.EqualTo(1), batch.Stderr);
        var match = BatchClosingLine().Match(batch.Stderr);
        Assert.That(match.Success, Is.True, batch.Stderr);
        long Number(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return (output, (Number(1), Number(2), Number(3)));
    }

    [GeneratedRegex(@"batch: (\d+) lines read, (\d+) assessed, (\d+) rejected;")]
    private static partial Regex BatchClosingLine();
}
