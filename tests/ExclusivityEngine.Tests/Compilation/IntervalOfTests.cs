using CsCheck;
using ExclusivityEngine.Compilation;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>
/// The interval between sorted dates that holds a date: the count of dates on or before it, by halving
/// (<see cref="CompiledRules.IntervalOf"/>) and from a table of days (<see cref="DayIntervals"/>).
/// </summary>
public sealed class IntervalOfTests
{
    private static readonly DateOnly[] Cuts = [new(2025, 10, 28), new(2026, 2, 27), new(2026, 4, 27)];

    [TestCase(1, 1, 1, 0)]
    [TestCase(2019, 1, 1, 0)]
    [TestCase(2025, 10, 27, 0)]
    [TestCase(2025, 10, 28, 1)]
    [TestCase(2026, 1, 15, 1)]
    [TestCase(2026, 2, 27, 2)]
    [TestCase(2026, 4, 26, 2)]
    [TestCase(2026, 4, 27, 3)]
    [TestCase(2040, 12, 31, 3)]
    [TestCase(9999, 12, 31, 3)]
    public void IntervalOfAndDayIntervals_ADate_CountTheCutsOnOrBeforeIt(int year, int month, int day, int expected)
    {
        var date = new DateOnly(year, month, day);
        Assert.Multiple(() =>
        {
            Assert.That(CompiledRules.IntervalOf(Cuts, date), Is.EqualTo(expected), "halved");
            Assert.That(new DayIntervals(Cuts).Of(date), Is.EqualTo(expected), "tabled");
        });
    }

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

    [Test]
    public void DayIntervals_GeneratedCutsAndDates_AgreeWithIntervalOf()
    {
        // Cuts days apart (tabled) and centuries apart (halved), dates on both sides of them and at the calendar's ends.
        var near = Gen.Int[0, 3000].Select(n => new DateOnly(2020, 1, 1).AddDays(n));
        var far = Gen.Int[0, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber);
        var cuts = Gen.OneOf(near.Array[0, 12], far.Array[0, 6], Gen.Select(near.Array[1, 6], far.Array[1, 3], (a, b) => a.Concat(b).ToArray()));
        var date = Gen.OneOf(near, far, Gen.Const(DateOnly.MinValue), Gen.Const(DateOnly.MaxValue));
        Gen.Select(cuts, date).Sample((cuts, date) =>
        {
            var sorted = cuts.Distinct().Order().ToArray();
            Assert.That(new DayIntervals(sorted).Of(date), Is.EqualTo(CompiledRules.IntervalOf(sorted, date)));
        }, iter: 5000);
    }
}
