using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExclusivityEngine.Tests.Dask;

/// <summary>One run of <c>src/dask/batch_on_dask.py</c>: its exit code, stderr, and what it left in its output folder.</summary>
internal sealed partial record DaskRun(int ExitCode, string Stderr, string Output)
{
    public static string Script => Path.Combine(Repository.Root, "src", "dask", "batch_on_dask.py");

    /// <summary>Starts the script (in its own process group, so whatever it starts can be stopped with it).</summary>
    public static GroupProcess Start(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        GroupProcess.Start(DaskCluster.Python, [Script, .. arguments], workingDirectory, environment);

    /// <summary>Runs the script to its end (at most a few minutes), the whole group stopped afterwards.</summary>
    public static DaskRun Of(string workingDirectory, string output, params string[] arguments)
    {
        using var process = Start(workingDirectory, [.. arguments, "--output", output]);
        return Finish(process, output);
    }

    public static DaskRun Finish(GroupProcess process, string output)
    {
        var code = process.WaitForExit(TimeSpan.FromMinutes(5), "batch_on_dask.py");
        return new DaskRun(code, process.Stderr, output);
    }

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The closing line's counts, checked against the contract's exact wording.</summary>
    public (long Lines, long Assessed, long Rejected, int Partitions, int Workers) Counts
    {
        get
        {
            var last = StderrLines.LastOrDefault() ?? "";
            var match = ClosingLine().Match(last);
            Assert.That(match.Success, Is.True, $"the last stderr line is not the closing line: `{last}`\n{Stderr}");
            long Number(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
            return (Number(1), Number(2), Number(3), (int)Number(4), (int)Number(5));
        }
    }

    /// <summary>The part files, in name order (which is partition order).</summary>
    public string[] Parts => [.. Directory.GetFiles(Output, "part-*.jsonl").Order(StringComparer.Ordinal)];

    /// <summary>Files the run left in its output folder besides parts and the manifest (e.g. temporary ones).</summary>
    public string[] Strays => [.. Directory.GetFiles(Output).Select(Path.GetFileName).Where(n => !PartName().IsMatch(n!) && n != "_partitions.jsonl").Select(n => n!)];

    /// <summary>The manifest, <c>_partitions.jsonl</c>: one object per partition, in partition order.</summary>
    public JsonObject[] Manifest => [.. File.ReadLines(Path.Combine(Output, "_partitions.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject())];

    /// <summary>
    /// Every answer, in the parts' order, equals the single-process batch's answer at the same place (line numbers
    /// aside, as they restart per partition): so every line is answered once, in order, with the same verdict.
    /// Also checks the join by <c>id</c>: ids are unique and each maps to the single batch's answer.
    /// </summary>
    public void AssertSameAnswersAs(string singleOutput)
    {
        var parts = Parts;
        Assert.That(parts, Is.Not.Empty, "no part was written");
        var expected = File.ReadLines(singleOutput).GetEnumerator();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var part in parts)
        {
            foreach (var line in File.ReadLines(part))
            {
                position++;
                Assert.That(expected.MoveNext(), Is.True, $"answer {position} ({Path.GetFileName(part)}) is one more than the single batch wrote: {line}");
                var (id, answer) = WithoutLine(line);
                var (expectedId, expectedAnswer) = WithoutLine(expected.Current);
                if (answer != expectedAnswer)
                {
                    Assert.Fail($"answer {position} ({Path.GetFileName(part)}) differs from the single batch's:\n{line}\n{expected.Current}");
                }
                Assert.That(id, Is.EqualTo(expectedId));
                if (id != "null")
                {
                    Assert.That(ids.Add(id), Is.True, $"id {id} answered twice");
                }
            }
        }
        Assert.That(expected.MoveNext(), Is.False, $"the parts hold {position} answers, the single batch wrote more");
    }

    /// <summary>Each part's <c>line</c> numbers are those of its partition's non-blank lines, counted from 1.</summary>
    public void AssertLineNumbersPerPartition()
    {
        foreach (var entry in Manifest)
        {
            var part = Path.Combine(Output, (string)entry["part"]!);
            var input = (string)entry["input"]!;
            var start = (long)entry["start"]!;
            var end = (long)entry["end"]!;
            var bytes = new byte[end - start];
            using (var file = File.OpenRead(input))
            {
                file.Position = start;
                file.ReadExactly(bytes);
            }
            if (start > 0)
            {
                using var file = File.OpenRead(input);
                file.Position = start - 1;
                Assert.That(file.ReadByte(), Is.EqualTo('\n'), $"{entry["part"]} does not start at a line's start");
            }
            var expected = new List<int>();
            var number = 0;
            foreach (var line in Encoding.Latin1.GetString(bytes).Split('\n'))
            {
                number++;
                if (line.Trim(' ', '\t', '\r').Length > 0)
                {
                    expected.Add(number);
                }
            }
            var written = File.ReadLines(part).Select(l => (int)JsonNode.Parse(l)!["line"]!).ToList();
            Assert.That(written, Is.EqualTo(expected), $"{entry["part"]}: line numbers of `{input}` bytes {start}-{end}");
            Assert.That((long)entry["lines"]!, Is.EqualTo(bytes.Length == 0 ? 0 : bytes[^1] == '\n' ? number - 1 : number), $"{entry["part"]}: lines counted");
        }
    }

    private static (string Id, string Answer) WithoutLine(string json)
    {
        var answer = JsonNode.Parse(json)!.AsObject();
        answer.Remove("line");
        return (answer["id"]?.ToJsonString() ?? "null", answer.ToJsonString());
    }

    [GeneratedRegex(@"^dask-batch: (\d+) lines, (\d+) assessed, (\d+) rejected, (\d+) partitions on (\d+) workers$")]
    private static partial Regex ClosingLine();

    [GeneratedRegex(@"^part-\d{5}\.jsonl$")]
    private static partial Regex PartName();
}
