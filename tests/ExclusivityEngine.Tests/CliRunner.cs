using System.Text;

namespace ExclusivityEngine.Tests;

/// <summary>Runs the command line in process and captures what it writes.</summary>
internal static class CliRunner
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = ExclusivityEngine.Cli.Cli.Run(args, stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}

/// <summary>A copy of the repository's rule set in a temporary folder, to edit in a test.</summary>
internal sealed class RuleSetCopy : IDisposable
{
    public RuleSetCopy()
    {
        Directory = Path.Combine(Path.GetTempPath(), "exclusivity-rules-" + Guid.NewGuid().ToString("N"));
        foreach (var file in System.IO.Directory.EnumerateFiles(Repository.Rules, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(Repository.Rules, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Directory { get; }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Replaces the first occurrence of <paramref name="old"/> in a rule file.</summary>
    public void Replace(string relative, string old, string replacement)
    {
        var path = PathOf(relative);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"`{old}` not found in {relative}");
        File.WriteAllText(path, text[..at] + replacement + text[(at + old.Length)..]);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
