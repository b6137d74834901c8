namespace ExclusivityEngine.Tests.Testing;

/// <summary>
/// Golden files under tests/ExclusivityEngine.Tests/Golden/. Set UPDATE_GOLDEN=1 to rewrite them from the actual
/// output (then review the diff before committing); otherwise the actual output must match byte for byte.
/// </summary>
internal static class GoldenFile
{
    public static string Folder => Path.Combine(Repository.Root, "tests", "ExclusivityEngine.Tests", "Golden");

    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(Folder, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            Assert.Warn($"golden file {name} rewritten: review the diff");
            return;
        }
        Assert.That(File.Exists(path), Is.True, $"golden file {path} is missing: run the test with UPDATE_GOLDEN=1 to write it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"output differs from {name} (UPDATE_GOLDEN=1 rewrites it)");
    }
}
