namespace ExclusivityEngine.Tests.Dask;

/// <summary>Bad usage of <c>batch_on_dask.py</c>: one sentence on stderr naming what is wrong, exit 2, before any cluster is reached.</summary>
[Category("Dask")]
public sealed class DaskBatchUsageTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "exclusivity-dask-usage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "in.jsonl"), "{\"id\":1,\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [TestCase("--input|missing/*.jsonl|--output|out", "--input `missing/*.jsonl` matches no file")]
    [TestCase("--input|in.jsonl|--output|in.jsonl", "is not a folder")]
    [TestCase("--input|in.jsonl|--output|/proc/version/out", "cannot create --output `/proc/version/out`")]
    [TestCase("--input|in.jsonl|--output|out|--blocksize|0", "--blocksize `0` must be at least 1 byte")]
    [TestCase("--input|in.jsonl|--output|out|--blocksize|lots", "--blocksize `lots` is not a number of bytes")]
    [TestCase("--input|in.jsonl|--output|out|--blocksize|-5", "--blocksize `-5` is not a number of bytes")]
    [TestCase("--input|.|--output|out", "is a folder, not a JSON Lines file")]
    [TestCase("--input|in.jsonl", "the following arguments are required: --output")]
    [TestCase("--input|in.jsonl|--output|out|--detail|everything", "argument --detail: invalid choice")]
    [TestCase("--input|in.csv|--output|out", "is CSV: partitions would lose its header row")]
    [TestCase("--input|/dev/null|--output|out", "`/dev/null` is not a regular file")]
    [TestCase("--input|in.jsonl|--output|", "--output is empty")]
    [TestCase("--input|in.jsonl|--output|out|--scheduler|nonsense", "--scheduler `nonsense` is not an address like tcp://HOST:PORT")]
    [TestCase("--input|in.jsonl|--output|out|--local-workers|100000", "--local-workers 100000 is more than 256")]
    public void BadUsage_OneSentenceExit2(string arguments, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "in.csv"), "id,product,cloud,date\n1,chatgpt,aws,2026-03-15\n");

        var run = Run(arguments.Split('|'));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.StderrLines[0], Does.StartWith("dask-batch: ").And.Contain(expected));
        Assert.That(Directory.Exists(Path.Combine(_dir, "out")) ? Directory.GetFileSystemEntries(Path.Combine(_dir, "out")) : [], Is.Empty, "nothing written");
    }

    [Test]
    public void OutputHoldingAnEarlierRun_RefusedSoPartsNeverMix()
    {
        var output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "part-00003.jsonl"), "{}\n");

        var run = Run("--input", "in.jsonl", "--output", output);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.StderrLines, Is.EqualTo(new[] { $"dask-batch: --output `{output}` already holds an earlier run's `part-00003.jsonl`: parts of two runs must never mix; choose an empty folder or remove them" }));
    }

    [Test]
    public void InputNamedLikeAGlobThatMatchesOtherFilesToo_IsRefusedAsAmbiguous()
    {
        File.WriteAllText(Path.Combine(_dir, "a[1].jsonl"), "{}\n");
        File.WriteAllText(Path.Combine(_dir, "a1.jsonl"), "{}\n");

        var run = Run("--input", "a[1].jsonl", "--output", "out");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.StderrLines, Is.EqualTo(new[] { "dask-batch: --input `a[1].jsonl` is both a file's name and a glob matching other files (`a1.jsonl`); give `a[[]1].jsonl` for the file alone" }));
    }

    [Test]
    public void UnreachableScheduler_OneSentenceExit2()
    {
        var run = RunWith(["--input", "in.jsonl", "--output", "out", "--scheduler", "tcp://127.0.0.1:9"],
            new Dictionary<string, string> { ["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"] = "2s" });

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.StderrLines[0], Does.StartWith("dask-batch: cannot reach the scheduler at `tcp://127.0.0.1:9`"));
    }

    private DaskRun RunWith(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        using var process = DaskRun.Start(_dir, arguments, environment);
        return DaskRun.Finish(process, Path.Combine(_dir, "out"));
    }

    private DaskRun Run(params string[] arguments) => RunWith(arguments, null);
}
