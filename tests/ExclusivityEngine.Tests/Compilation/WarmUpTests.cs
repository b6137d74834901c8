using ExclusivityEngine.Compilation;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>A one-time set-up that Engine.Prepare may start: run at most once, awaited rather than repeated, never started by waiting.</summary>
public sealed class WarmUpTests
{
    [Test]
    public void WaitIfStarted_NeverStarted_RunsNothing()
    {
        var runs = 0;
        var warmUp = new WarmUp(() => Interlocked.Increment(ref runs));

        warmUp.WaitIfStarted();

        Assert.That(runs, Is.Zero);
    }

    [Test]
    public void Start_Twice_RunsOnceAndWaitIfStartedWaitsForIt()
    {
        var runs = 0;
        using var release = new ManualResetEventSlim();
        var warmUp = new WarmUp(() =>
        {
            release.Wait();
            Interlocked.Increment(ref runs);
        });

        var first = warmUp.Start();
        var second = warmUp.Start();
        Assert.That(second, Is.SameAs(first));
        Assert.That(first.IsCompleted, Is.False, "it runs in the background");
        release.Set();
        warmUp.WaitIfStarted();

        Assert.That(runs, Is.EqualTo(1));
        Assert.That(first.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void Prepare_ThenLoad_EvaluatesAsALoadWithoutIt()
    {
        Engine.Prepare();
        var prepared = Engine.Load(Repository.Rules);
        var scenario = new Model.Scenario(prepared.Rules.Catalogue.Products.Single(p => p.Id == "frontier"), "aws", new DateOnly(2026, 3, 15));

        var combined = prepared.Evaluate(scenario).Combined;
        var reference = Engine.LoadEmbedded().EvaluateInSession(scenario).Combined;

        Assert.That((combined.Permission, combined.Disputed), Is.EqualTo((reference.Permission, reference.Disputed)));
        Assert.That(combined.Decisive.Select(d => d.Clause.Id), Is.EqualTo(reference.Decisive.Select(d => d.Clause.Id)));
    }
}
