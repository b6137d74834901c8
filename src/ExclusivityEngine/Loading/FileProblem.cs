namespace ExclusivityEngine.Loading;

/// <summary>
/// Why a file could not be opened, read or written, in a few words and naming no path: the caller names the file the
/// user gave (.NET puts the path it tried into its messages, which may be a temporary file beside it, and says "access
/// denied" where the path is a folder).
/// </summary>
internal static class FileProblem
{
    /// <summary>The reason for <paramref name="e"/>, to follow <c>cannot read `FILE`: </c> or <c>cannot write `FILE`: </c>.</summary>
    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException => "there is no such file",
        DirectoryNotFoundException => "its folder does not exist",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        // The runtime's message without the path it names at its end, and without the word left before it ("… in").
        _ => System.Text.RegularExpressions.Regex.Replace(e.Message, @"(\s+(in|at|for|of|to))?\s*:?\s*'[^']*'\.?\s*$", ""),
    };

    /// <summary>
    /// <see cref="Reason(Exception)"/>, but "it is a folder" when <paramref name="path"/> is one (opening a folder as a file fails
    /// with "access denied" on Unix, which sends the user to the wrong fix).
    /// </summary>
    public static string Reason(Exception e, string path) => Directory.Exists(path) ? "it is a folder, not a file" : Reason(e);
}
