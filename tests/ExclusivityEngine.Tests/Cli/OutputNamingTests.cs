using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>An output that cannot be written is reported under the name the user gave, never the temporary file beside it.</summary>
public sealed class OutputNamingTests
{
    private static string Input()
    {
        var input = Path.Combine(Path.GetTempPath(), "exclusivity-naming-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(input, "{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n");
        return input;
    }

    [Test]
    public void BatchOutput_InAFolderNothingCanBeCreatedIn_NamesTheFileGiven()
    {
        // /proc refuses new files even to root, so the temporary file beside the target cannot be created.
        var input = Input();
        try
        {
            var run = CliRun.Of("batch", "--input", input, "--output", "/proc/verdicts.jsonl");

            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
            Assert.That(run.Stderr, Does.StartWith("error: cannot write `/proc/verdicts.jsonl`: "));
            Assert.That(run.Stderr, Does.Not.Contain(".partial").And.Not.Contain("/proc/."));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public void JunitOutput_InAFolderThatDoesNotExist_NamesTheFileGiven()
    {
        var target = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "results.xml");

        var run = CliRun.Of("test", Path.Combine(Repository.Root, "tests", "scenarios", "boundaries.json"), "--junit", target);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain($"error: cannot write `{target}`: ").And.Contain("does not exist"));
        Assert.That(run.Stderr, Does.Not.Contain(".partial"));
    }

    [Test]
    public void HtmlOutput_AFolder_SaysSo()
    {
        var folder = Directory.CreateTempSubdirectory("exclusivity-naming-").FullName;
        try
        {
            var run = CliRun.Of("timeline", "--product", "frontier", "--html", folder);

            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain($"error: cannot write `{folder}`: it is a folder"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Reason_NamesNoPath()
    {
        Assert.That(ExclusivityEngine.Cli.Commands.OutputFile.Reason(new IOException("No space left on device : '/data/.out.jsonl.42.partial'")), Is.EqualTo("No space left on device"));
        Assert.That(ExclusivityEngine.Cli.Commands.OutputFile.Reason(new UnauthorizedAccessException("Access to the path '/x/.y.1.partial' is denied.")), Is.EqualTo("permission denied"));
    }
}
