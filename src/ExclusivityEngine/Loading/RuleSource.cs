using System.Security.Cryptography;

namespace ExclusivityEngine.Loading;

/// <summary>The rule files of a rule set: relative path (with '/') and bytes, sorted by path.</summary>
public sealed class RuleFiles
{
    private RuleFiles(string origin, SortedDictionary<string, byte[]> files, bool embedded = false)
    {
        Origin = origin;
        Files = files;
        IsEmbedded = embedded;
    }

    /// <summary>A directory, or <c>embedded</c>.</summary>
    public string Origin { get; }

    /// <summary>The files by relative path, in ordinal order.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The <see cref="Origin"/> of the rule set embedded in the library.</summary>
    internal const string EmbeddedOrigin = "embedded";

    /// <summary>
    /// The library's own rule set (<see cref="Embedded"/>), which its build checked: told apart by how it was made, not
    /// by its origin, which a folder can share (<c>--rules embedded</c> is a folder named so, checked like any other).
    /// </summary>
    internal bool IsEmbedded { get; }

    /// <summary>The resource prefix under which the library embeds <c>rules/</c>.</summary>
    internal const string ResourcePrefix = "rules/";

    /// <summary>The most bytes a rule set's files may hold together (each file: <see cref="RegularFiles.MaxFileBytes"/>).</summary>
    public const long MaxRuleSetBytes = 64L << 20;

    /// <summary>
    /// Every <c>*.json</c> below <paramref name="directory"/>. Only regular files of a bounded size are read, and links
    /// to folders are not followed.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    /// <exception cref="UnreadableFileException">The folder or a file below it cannot be used: one sentence naming it.</exception>
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
        if (!File.Exists(Path.Combine(full, RuleSetLoader.CatalogueFile)) && !File.Exists(Path.Combine(full, RuleSetLoader.VersionsFile))
            && !Directory.Exists(Path.Combine(full, RuleSetLoader.ClausesFolder)))
        {
            // Checked before walking: a folder such as /proc/self is no rule set, and walking it would say so less clearly.
            throw new UnreadableFileException(directory, $"`{directory}` is not a rule set folder: it holds no {RuleSetLoader.CatalogueFile}, {RuleSetLoader.VersionsFile} or {RuleSetLoader.ClausesFolder}");
        }
        var (paths, problems) = RegularFiles.JsonFilesBelow(full, directory);
        if (problems.Count > 0)
        {
            throw problems[0];
        }
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(full, path).Replace('\\', '/');
            var bytes = RegularFiles.Read(path, Path.Combine(directory, relative));
            total += bytes.Length;
            if (total > MaxRuleSetBytes)
            {
                throw new UnreadableFileException(directory, $"the rule files below `{directory}` hold more than {MaxRuleSetBytes >> 20} MiB together");
            }
            files[relative] = bytes;
        }
        return new RuleFiles(directory, files);
    }

    /// <summary>
    /// A rule set from files already in memory (relative path with '/', bytes); <paramref name="origin"/> names it in
    /// messages. The bytes are copied: the rule set's hash is computed when first read, and must be of what was loaded
    /// even if the caller reuses its buffers.
    /// </summary>
    public static RuleFiles FromMemory(string origin, IEnumerable<KeyValuePair<string, byte[]>> files) =>
        new(origin, new SortedDictionary<string, byte[]>(files.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal), StringComparer.Ordinal));

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
        return new RuleFiles(EmbeddedOrigin, files, embedded: true);
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
