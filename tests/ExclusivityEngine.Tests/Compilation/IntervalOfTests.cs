using CsCheck;
using ExclusivityEngine.Compilation;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>The interval between sorted dates that holds a date: the count of dates on or before it.</summary>
public sealed class IntervalOfTests
{
    private static readonly DateOnly[] Cuts = [new(2025, 10, 28), new(2026, 2, 27), new(2026, 4, 27)];

    [TestCase(2019, 1, 1, 0)]
    [TestCase(2025, 10, 27, 0)]
    [TestCase(2025, 10, 28, 1)]
    [TestCase(2026, 1, 15, 1)]
    [TestCase(2026, 2, 27, 2)]
    [TestCase(2026, 4, 26, 2)]
    [TestCase(2026, 4, 27, 3)]
    [TestCase(2040, 12, 31, 3)]
    public void IntervalOf_ADate_CountsTheCutsOnOrBeforeIt(int year, int month, int day, int expected) =>
        Assert.That(CompiledRules.IntervalOf(Cuts, new DateOnly(year, month, day)), Is.EqualTo(expected));

    [Test]
    public void IntervalOf_GeneratedCutsAndDates_CountsTheCutsOnOrBeforeTheDate()
    {
        var day = Gen.Int[0, 3000].Select(n => new DateOnly(2020, 1, 1).AddDays(n));
        Gen.Select(day.Array[0, 12], day).Sample((cuts, date) =>
        {
            var sorted = cuts.Distinct().Order().ToArray();
            Assert.That(CompiledRules.IntervalOf(sorted, date), Is.EqualTo(sorted.Count(c => c <= date)));
        }, iter: 2000);
    }
}
