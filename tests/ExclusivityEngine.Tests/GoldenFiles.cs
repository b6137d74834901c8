namespace ExclusivityEngine.Tests;

/// <summary>
/// Golden files for CLI output: compared byte for byte; with EXCLUSIVITY_UPDATE_GOLDEN=1 they are rewritten in the
/// source tree instead, to be reviewed in the diff.
/// </summary>
internal static class GoldenFiles
{
    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(Repository.Root, "tests", "ExclusivityEngine.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("EXCLUSIVITY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            Assert.Pass($"rewrote {path}");
        }
        Assert.That(File.Exists(path), Is.True, $"no golden file {path}; run the tests with EXCLUSIVITY_UPDATE_GOLDEN=1 to write it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"output differs from {name}; if the change is intended, rerun with EXCLUSIVITY_UPDATE_GOLDEN=1 and review the diff");
    }
}
