using System.Globalization;
using System.Text;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// The dates of a scenario are read by the engine's own parser (the batch's fast path reads one or two a line); it must
/// take exactly the calendar dates written <c>yyyy-mm-dd</c>, as .NET's own exact parser does, and give the same day.
/// </summary>
public sealed class IsoDateTests
{
    [Test]
    public void TryParseIsoDate_EveryDayOfTheCalendar_GivesThatDay()
    {
        var wrong = new List<string>();
        for (var day = DateOnly.MinValue; ; day = day.AddDays(1))
        {
            var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!ScenarioInput.TryParseIsoDate(Encoding.ASCII.GetBytes(text), out var read) || read != day)
            {
                wrong.Add(text);
            }
            if (day == DateOnly.MaxValue)
            {
                break;
            }
        }
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void TryParseIsoDate_MonthEndsOfEveryYearAndMalformedDates_AgreeWithTheExactParser()
    {
        var texts = new List<string>();
        for (var year = 0; year <= 9999; year++)
        {
            for (var month = 0; month <= 13; month++)
            {
                foreach (var day in new[] { 0, 1, 28, 29, 30, 31, 32 })
                {
                    texts.Add($"{year:0000}-{month:00}-{day:00}");
                }
            }
        }
        texts.AddRange(["2026-3-15", "2026-03-5", "26-03-15", "2026/03/15", "2026-03-15 ", " 2026-03-15", "2026-03-1a", "+026-03-15", "2026-0 -15", "", "2026-03-150"]);
        var disagreements = texts.Where(text =>
        {
            var exact = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expected);
            var read = ScenarioInput.TryParseIsoDate(Encoding.ASCII.GetBytes(text), out var day);
            return read != exact || (read && day != expected);
        }).ToList();
        Assert.That(disagreements, Is.Empty);
    }
}
