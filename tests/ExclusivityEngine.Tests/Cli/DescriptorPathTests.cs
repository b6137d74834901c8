namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// The real process, from a shell: a path that names a descriptor (/dev/stdout, /dev/fd/N) is written through it where
/// the shell left it, never reopened; failures name the stream or file in one sentence; a word a command does not know
/// is bad usage even beside --help. Each found by an adversarial run of the CLI.
/// </summary>
public sealed class DescriptorPathTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");

    private const string Scenario = "{\"id\":\"q\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}";

    private string _folder = "";
    private string _input = "";

    [SetUp]
    public void CreateInput()
    {
        _folder = Directory.CreateTempSubdirectory("exclusivity-descriptors-").FullName;
        _input = Path.Combine(_folder, "in.jsonl");
        File.WriteAllText(_input, Scenario + "\n");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private (int Exit, string Stdout, string Stderr) Shell(string script) =>
        ChildProcess.Run("bash", null, TimeSpan.FromMinutes(1), "-c", $"cd \"{_folder}\" && {script.Replace("EXCLUSIVITY", $"dotnet \"{Cli}\"", StringComparison.Ordinal)}");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void Batch_OutputDevStdoutIntoAPipe_IsWrittenToThePipe()
    {
        var (exit, stdout, stderr) = Shell("EXCLUSIVITY batch --input in.jsonl --output /dev/stdout --quiet | cat; exit ${PIPESTATUS[0]}");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(Lines(stdout), Has.Length.EqualTo(1));
        Assert.That(stdout, Does.StartWith("{\"id\":\"q\",\"line\":1,"));
    }

    [Test]
    public void Batch_OutputDevStdoutRedirectedToAFile_IsWrittenWhereTheShellLeftIt()
    {
        var (exit, _, stderr) = Shell(
            "echo earlier > kept.txt; EXCLUSIVITY batch --input in.jsonl --output /dev/stdout --quiet >> kept.txt || exit $?;"
            + "{ echo header; EXCLUSIVITY batch --input in.jsonl --output /proc/self/fd/1 --quiet; echo footer; } > group.txt");

        Assert.That(exit, Is.Zero, stderr);
        var kept = Lines(File.ReadAllText(Path.Combine(_folder, "kept.txt")));
        var group = Lines(File.ReadAllText(Path.Combine(_folder, "group.txt")));
        Assert.That(kept, Has.Length.EqualTo(2));
        Assert.That(kept[0], Is.EqualTo("earlier"));
        Assert.That(kept[1], Does.StartWith("{\"id\":\"q\""));
        Assert.That(group, Has.Length.EqualTo(3));
        Assert.That(group[0], Is.EqualTo("header"));
        Assert.That(group[1], Does.StartWith("{\"id\":\"q\""));
        Assert.That(group[2], Is.EqualTo("footer"));
    }

    [Test]
    public void Batch_OutputADescriptorTheShellOpened_IsWrittenThroughIt()
    {
        var (exit, stdout, stderr) = Shell("EXCLUSIVITY batch --input in.jsonl --output /dev/fd/3 --quiet 3> three.txt");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(_folder, "three.txt")), Does.StartWith("{\"id\":\"q\",\"line\":1,"));
    }

    [Test]
    public void Batch_OutputADescriptorNobodyOpened_IsOneSentenceExit2()
    {
        var (exit, stdout, stderr) = Shell("EXCLUSIVITY batch --input in.jsonl --output /dev/fd/9 --quiet");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.Trim(), Is.EqualTo("error: cannot write `/dev/fd/9`: descriptor 9 was not opened for this command (a shell opens one with 9>FILE)"));
    }

    // Found by the adversarial review of the first fix: links in the folders were not followed to the descriptor.
    [Test]
    public void Batch_OutputThroughALinkToTheDescriptorFolder_IsWrittenWhereTheShellLeftIt()
    {
        var (exit, _, stderr) = Shell("ln -s /dev/fd fds; echo earlier > kept.txt; EXCLUSIVITY batch --input in.jsonl --output fds/1 --quiet >> kept.txt");

        Assert.That(exit, Is.Zero, stderr);
        var kept = Lines(File.ReadAllText(Path.Combine(_folder, "kept.txt")));
        Assert.That(kept, Has.Length.EqualTo(2));
        Assert.That(kept[0], Is.EqualTo("earlier"));
    }

    [Test]
    public void Test_JunitToDevStdout_IsTheXmlAloneThereAsWithADash()
    {
        var suite = Path.Combine(Repository.Root, "tests", "scenarios", "aws-openai.json");

        var (exit, stdout, stderr) = Shell($"EXCLUSIVITY test \"{suite}\" --junit /dev/stdout");
        var (jsonExit, _, jsonStderr) = Shell($"EXCLUSIVITY test \"{suite}\" --junit /dev/stdout --format json");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(System.Xml.Linq.XDocument.Parse(stdout).Root!.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That(stderr, Does.Contain("passed, 0 failed"));
        Assert.That(jsonExit, Is.EqualTo(2));
        Assert.That(jsonStderr, Does.Contain("--junit - and --format json both want stdout"));
    }

    [Test]
    public void Serve_DecisionLogOnADescriptorNobodyOpened_IsOneSentenceExit2()
    {
        var (exit, _, stderr) = Shell("EXCLUSIVITY serve --urls http://127.0.0.1:0 --decision-log /dev/fd/9");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: --decision-log: `/dev/fd/9`: descriptor 9 was not opened for this command (a shell opens one with 9>>FILE)"));
    }

    [Test]
    public void Batch_OutputToAProcessThatStopsReading_EndsQuietly()
    {
        var (exit, _, stderr) = Shell(
            "yes \"$(cat in.jsonl)\" 2> /dev/null | head -n 20000 > many.jsonl; EXCLUSIVITY batch --input many.jsonl --output >(head -c 1 > /dev/null) --quiet");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stderr, Is.Empty);
    }

    // Found by the adversarial review: a stderr open for reading only (a script's own file on 2 under 2>&-) aborted.
    [TestCase("evaluate --product nope --cloud aws --date 2026-01-01", 2)]
    [TestCase("batch --input in.jsonl", 0)]
    public void StderrOpenForReadingOnly_LeavesTheExitCodeAsItWouldBe(string command, int expected)
    {
        var (exit, _, _) = Shell($"EXCLUSIVITY {command} > /dev/null 2< in.jsonl");

        Assert.That(exit, Is.EqualTo(expected));
    }

    [Test]
    public void Batch_InputDevStdin_IsStandardInput()
    {
        var (exit, stdout, stderr) = Shell("cat in.jsonl | EXCLUSIVITY batch --input /dev/stdin --quiet");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.StartWith("{\"id\":\"q\",\"line\":1,"));
    }

    [TestCase("versions > /dev/full")]
    [TestCase("evaluate --product frontier --cloud aws --date 2026-03-15 > /dev/full")]
    [TestCase("batch --input in.jsonl --quiet > /dev/full")]
    public void StandardOutputFull_NamesStandardOutput(string command)
    {
        var (exit, _, stderr) = Shell("EXCLUSIVITY " + command);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: cannot write standard output: No space left on device"));
    }

    [Test]
    public void Batch_InputThatDoesNotExist_SaysSoWithoutTheRuntimesWords()
    {
        var (exit, _, stderr) = Shell("EXCLUSIVITY batch --input missing.jsonl");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: cannot read `missing.jsonl`: there is no such file"));
    }

    [TestCase("evaluate --help --bogus", "error: `exclusivity evaluate` has no option `--bogus`")]
    [TestCase("--version --bogus", "error: `exclusivity` has no option `--bogus`")]
    public void HelpOrVersionBesideAnUnknownOption_IsBadUsage(string command, string error)
    {
        var (exit, _, stderr) = Shell("EXCLUSIVITY " + command);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith(error));
    }

    [TestCase("http://127.0.0.1:65536")]
    [TestCase("http://127.0.0.1:99999")]
    [TestCase("http://[::1]:70000")]
    [TestCase("http://localhost:65536")]
    [TestCase("http://127.0.0.1:99999999999")]
    [TestCase("http://127.0.0.1:abc")]
    [TestCase("http://127.0.0.1:")]
    public void Serve_PortOutOfRange_IsOneSentenceExit2(string url)
    {
        var (exit, _, stderr) = CliRunner.Run("serve", "--urls", url);

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stderr.Trim(), Is.EqualTo($"error: --urls: `{url}`: the port must be a number from 0 to 65535"));
    }
}
