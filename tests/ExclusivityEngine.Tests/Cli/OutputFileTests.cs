using System.Diagnostics;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// `--output FILE` is written to a hidden `.NAME.PID.partial` and renamed when complete: removed when the process is
/// stopped by a signal, removed by a later run once its process is gone, short enough for any legal name, and written
/// through a symbolic link to its target.
/// </summary>
public sealed class OutputFileTests
{
    private const string Line = "{\"id\":1,\"product\":\"chatgpt\",\"cloud\":\"azure\",\"date\":\"2026-03-15\"}\n";

    private string _folder = "";

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "exclusivity-output-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "in.jsonl"), Line);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string In => Path.Combine(_folder, "in.jsonl");

    [Test]
    public void Output_ThroughASymbolicLink_WritesTheTargetAndKeepsTheLink()
    {
        var target = Path.Combine(_folder, "verdicts.jsonl");
        File.WriteAllText(target, "previous\n");
        var link = Path.Combine(_folder, "latest.jsonl");
        File.CreateSymbolicLink(link, "verdicts.jsonl");

        var (exit, _, stderr) = CliRunner.Run("batch", "--input", In, "--output", link, "--quiet");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo("verdicts.jsonl"), "the link stays a link");
        Assert.That(File.ReadAllText(target), Does.StartWith("{\"id\":1,\"line\":1,"));
        Assert.That(Directory.GetFiles(_folder, "*.partial", new EnumerationOptions { AttributesToSkip = 0 }), Is.Empty);
    }

    [Test]
    public void Output_NameOf255Bytes_IsWritten()
    {
        var name = new string('v', 255 - ".jsonl".Length) + ".jsonl";

        var (exit, _, stderr) = CliRunner.Run("batch", "--input", In, "--output", Path.Combine(_folder, name), "--quiet");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(File.ReadAllText(Path.Combine(_folder, name)), Does.StartWith("{\"id\":1,"));
    }

    [Test]
    public void Output_StalePartialOfAGoneProcess_IsRemovedByTheNextRunIntoTheFolder()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        var stale = Path.Combine(_folder, $".old-run.jsonl.{gone.Id}.partial");
        var fresh = Path.Combine(_folder, $".other-run.jsonl.{gone.Id}.partial");
        var alive = Path.Combine(_folder, $".running.jsonl.{Environment.ProcessId}.partial");
        foreach (var path in new[] { stale, fresh, alive })
        {
            File.WriteAllText(path, "half a batch");
        }
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(alive, DateTime.UtcNow.AddHours(-1));

        var (exit, _, stderr) = CliRunner.Run("batch", "--input", In, "--output", Path.Combine(_folder, "out.jsonl"), "--quiet");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(File.Exists(stale), Is.False, "a partial file of a gone process, untouched for an hour, is removed");
        Assert.That(File.Exists(fresh), Is.True, "one written to a moment ago may belong to a process this one cannot see");
        Assert.That(File.Exists(alive), Is.True, "one of a running process is its own");
    }

    [TestCase("TERM")]
    [TestCase("INT")]
    public void Output_ProcessStoppedBySignal_LeavesNoPartialFile(string signal)
    {
        var fifo = Path.Combine(_folder, "in.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }
        var output = Path.Combine(_folder, "out.jsonl");
        // Through env(1), which resets the signal's handling and then becomes the batch (same process id): a shell
        // that starts a job in the background (`.ci/run &`, nohup) has it ignore SIGINT, and the runtime, as a
        // program should, keeps ignoring a signal it was started ignoring.
        var start = new ProcessStartInfo("env", [$"--default-signal={signal}", "dotnet", Path.Combine(AppContext.BaseDirectory, "exclusivity.dll"), "batch", "--input", fifo, "--output", output, "--quiet"])
        {
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        // The batch is under way: its input is open and never ends, its output is being written.
        using var writer = new StreamWriter(new FileStream(fifo, FileMode.Open, FileAccess.Write));
        writer.Write(Line);
        writer.Flush();
        var partial = new EnumerationOptions { AttributesToSkip = 0 };
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(_folder, "*.partial", partial).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(50);
        }
        Assert.That(Directory.GetFiles(_folder, "*.partial", partial), Has.Length.EqualTo(1), "the partial file is there while the batch runs");

        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            kill.WaitForExit();
        }

        Assert.That(process.WaitForExit(60_000), Is.True, "the signal stops the batch");
        Assert.That(Directory.GetFiles(_folder, "*.partial", partial), Is.Empty);
        Assert.That(File.Exists(output), Is.False, "nothing looks finished");
    }
}
