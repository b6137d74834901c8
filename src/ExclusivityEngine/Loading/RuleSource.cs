using System.Security.Cryptography;

namespace ExclusivityEngine.Loading;

/// <summary>The rule files of a rule set: relative path (with '/') and bytes, sorted by path.</summary>
public sealed class RuleFiles
{
    private RuleFiles(string origin, SortedDictionary<string, byte[]> files)
    {
        Origin = origin;
        Files = files;
    }

    /// <summary>A directory, or <c>embedded</c>.</summary>
    public string Origin { get; }

    /// <summary>The files by relative path, in ordinal order.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The resource prefix under which the library embeds <c>rules/</c>.</summary>
    internal const string ResourcePrefix = "rules/";

    /// <summary>Every <c>*.json</c> below <paramref name="directory"/>.</summary>
    public static RuleFiles FromDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (File.Exists(full))
        {
            throw new DirectoryNotFoundException($"rule directory `{directory}` is a file, not a folder: give the folder that holds catalogue.json, versions.json and clauses/");
        }
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"rule directory `{directory}` does not exist");
        }
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(full, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(full, path).Replace('\\', '/');
            files[relative] = File.ReadAllBytes(path);
        }
        return new RuleFiles(directory, files);
    }

    /// <summary>The rule set embedded in the library (identical to the repository's <c>rules/</c>).</summary>
    public static RuleFiles Embedded()
    {
        var assembly = typeof(RuleFiles).Assembly;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            files[name[ResourcePrefix.Length..]] = memory.ToArray();
        }
        return new RuleFiles("embedded", files);
    }

    /// <summary><c>sha256:</c> over every file's path and contents, in path order.</summary>
    public string Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, bytes) in Files)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(path));
            sha.AppendData([0]);
            sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
            sha.AppendData(bytes);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
