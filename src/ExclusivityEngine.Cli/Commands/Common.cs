using System.CommandLine;
using System.Text;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>The interface's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A scenario test failed, or a batch line was rejected.</summary>
    public const int Failed = 1;
    /// <summary>Bad usage, or a file or rule set that cannot be used at all.</summary>
    public const int Usage = 2;
}

/// <summary>Bad usage found after parsing: one sentence for stderr, exit 2, and any lines it lists (a rule set's problems).</summary>
public sealed class UsageException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    /// <summary>Lines written under the sentence, one each.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];
}

/// <summary>Where a command writes: stdout as bytes (JSON is UTF-8), stderr as text.</summary>
public sealed class Io(Stream stdout, TextWriter stderr)
{
    /// <summary>
    /// <c>error: message</c> on <paramref name="stderr"/>, then each of <paramref name="details"/> indented on a line of
    /// its own, all with their control characters escaped: a path, a typed value or a field name holding a line break
    /// or an escape cannot forge a line or rewrite the terminal.
    /// </summary>
    public static void WriteError(TextWriter stderr, string message, IEnumerable<string>? details = null)
    {
        stderr.WriteLine($"error: {Scenarios.Quote.Escaped(message)}");
        foreach (var detail in details ?? [])
        {
            stderr.WriteLine($"  {Scenarios.Quote.Escaped(detail)}");
        }
    }

    /// <summary>Standard output.</summary>
    public Stream Stdout { get; } = stdout;

    /// <summary>Standard error.</summary>
    public TextWriter Stderr { get; } = stderr;

    /// <summary>Standard error is the process's own and a terminal: progress may be shown there.</summary>
    public bool StderrIsTerminal => ReferenceEquals(Stderr, StandardStreams.Error) && !StandardStreams.ErrorClosed && !Console.IsErrorRedirected;

    /// <summary>Standard output is the process's own and a terminal: lines written there are read by a person.</summary>
    public bool StdoutIsTerminal =>
        (Stdout is OutputKeptGoingAfterReaderLeft kept ? kept.Inner : Stdout) is UnixStandardOutput or PortableStandardOutput && !Console.IsOutputRedirected;

    /// <summary>Writes one indented JSON document and a newline to stdout.</summary>
    public void WriteJson(Action<System.Text.Json.Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        ExclusivityEngine.Explanation.JsonOutput.WriteDocument(buffer, write);
        Stdout.Write(buffer.WrittenSpan);
        Stdout.Flush();
    }

    /// <summary>Opens an input file, or stdin for <c>-</c>; a file that cannot be read is bad usage (exit 2).</summary>
    public static Stream OpenInput(string path)
    {
        var descriptor = StandardStreams.DescriptorNamedBy(path);
        if (path == "-" || descriptor == 0)
        {
            // A closed stdin is an empty input (its descriptor may now be the runtime's own pipe, never to be read).
            return StandardStreams.InputClosed ? Stream.Null : new NamedInput(Console.OpenStandardInput(), path == "-" ? "standard input" : $"`{path}`");
        }
        if (descriptor is { } given && !StandardStreams.IsGiven(given))
        {
            throw new UsageException($"cannot read `{path}`: {StandardStreams.NotGiven(given, "<")}");
        }
        if (Directory.Exists(path))
        {
            // The runtime says "access denied" for a folder, which sends the user to the wrong fix.
            throw new UsageException($"cannot read `{path}`: it is a folder, not a file");
        }
        try
        {
            return new NamedInput(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), $"`{path}`");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read `{path}`: {OutputFile.Reason(e)}");
        }
    }

    /// <summary>Writes text to stdout as UTF-8.</summary>
    public void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Stdout.Write(bytes);
        Stdout.Flush();
    }
}

/// <summary>Options every command shares.</summary>
public static class CommonOptions
{
    /// <summary><c>--rules DIR</c>: a rule set directory instead of the embedded one.</summary>
    public static Option<string?> Rules { get; } = new("--rules")
    {
        Description = "the folder of rule files to use [default: the rule set embedded in the library, identical to the repository's rules/]",
        Recursive = true,
        HelpName = "DIR",
    };

    /// <summary>A <c>--format</c> option limited to the given values.</summary>
    public static Option<string> Format(params string[] values)
    {
        var option = new Option<string>("--format") { Description = "how to write the answer" + (values.Contains("json") ? " (json for programs)" : ""), DefaultValueFactory = _ => values[0] };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary>Loads the engine named by <c>--rules</c>, or says why it cannot be used (exit 2).</summary>
    public static Engine LoadEngine(ParseResult parsed)
    {
        var directory = parsed.GetValue(Rules);
        try
        {
            return directory is null ? Engine.LoadEmbedded() : Engine.Load(directory);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnreadableFileException)
        {
            throw new UsageException($"--rules: {e.Message}");
        }
        catch (RuleSetException e)
        {
            throw new UsageException($"the rule set cannot be used ({e.Diagnostics.Count} problem(s)):", [.. e.Diagnostics.Select(d => d.ToString())]);
        }
    }
}

/// <summary>
/// An input whose read failures name it (<c>cannot read standard input: Is a directory</c>, exit 2): otherwise the
/// runtime's bare message reached the user, or a batch reported it as a failure to write its output.
/// </summary>
internal sealed class NamedInput(Stream inner, string name) : ExclusivityEngine.Scenarios.ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private UsageException Failure(Exception e) => new($"cannot read {name}: {OutputFile.Reason(e)}");
}
