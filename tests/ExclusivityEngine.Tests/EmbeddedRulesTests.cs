using ExclusivityEngine.Loading;

namespace ExclusivityEngine.Tests;

public sealed class EmbeddedRulesTests
{
    [Test]
    public void EmbeddedRuleSet_IsIdenticalToRepositoryRules()
    {
        var embedded = RuleFiles.Embedded();
        var repository = RuleFiles.FromDirectory(Repository.Rules);

        Assert.That(embedded.Files.Keys, Is.EqualTo(repository.Files.Keys), "the same files");
        foreach (var (path, bytes) in repository.Files)
        {
            Assert.That(embedded.Files[path], Is.EqualTo(bytes), path);
        }
        Assert.That(embedded.Hash(), Is.EqualTo(repository.Hash()));
    }

    /// <summary>Read from a folder, rule files are checked as strict JSON; the embedded copy, proven identical above, is not read twice.</summary>
    [Test]
    public void RepositoryRules_Validate_WithoutProblems()
    {
        Assert.That(Engine.Validate(RuleFiles.FromDirectory(Repository.Rules)), Is.Empty);
    }
}
