using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>A change to a scenario's facts (input names and values) and the combined verdict it brings.</summary>
public sealed record FactChange(IReadOnlyList<FactSetting> Set, CombinedVerdict Verdict);

/// <summary>Where the scenario, facts unchanged, reaches the target when no change of facts does.</summary>
/// <param name="Clouds">The clouds on the scenario's date where it does, in catalogue order.</param>
/// <param name="Earlier">The nearest earlier date on the scenario's cloud where it does, if any.</param>
/// <param name="Later">The nearest later date on the scenario's cloud where it does, if any.</param>
public sealed record Elsewhere(IReadOnlyList<string> Clouds, DateOnly? Earlier, DateOnly? Later);

/// <summary>The answer to <c>why-not</c>.</summary>
/// <param name="Assessment">The scenario as it stands.</param>
/// <param name="Want">The target: at least this permission.</param>
/// <param name="Changes">The minimal changes that reach the target (one with an empty set when it is already reached).</param>
/// <param name="Elsewhere">When no change is enough: where it is reached instead; otherwise null.</param>
public sealed record WhyNotAnswer(Assessment Assessment, Permission Want, IReadOnlyList<FactChange> Changes, Elsewhere? Elsewhere);

/// <summary>
/// <c>why-not</c>: every combination of changes to the facts the rule set reads (segment either value, the AGI dates
/// the scenario's date or never, the true/false/unknown facts any of the three) is evaluated; the changes that reach
/// the target and alter no strict superset of another such change's facts are the answer.
/// </summary>
public static class WhyNot
{
    /// <summary>The minimal fact changes that bring <paramref name="scenario"/> to at least <paramref name="want"/>.</summary>
    public static WhyNotAnswer Ask(Engine engine, Scenario scenario, Permission want)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfEqual(want, Permission.Prohibited);
        var current = engine.Evaluate(scenario);
        if (current.Combined.Permission <= want)
        {
            return new WhyNotAnswer(current, want, [new FactChange([], current.Combined)], null);
        }

        var levers = Levers(engine, scenario);
        var reaching = new List<(int Facts, FactSetting[] Set, CombinedVerdict Verdict)>();
        var choice = new int[levers.Count];
        while (Next(choice, levers))
        {
            var set = new List<FactSetting>();
            var changed = 0;
            var s = scenario;
            for (var i = 0; i < levers.Count; i++)
            {
                if (choice[i] > 0)
                {
                    var value = levers[i].Values[choice[i] - 1];
                    set.Add(new FactSetting(levers[i].Fact, value));
                    s = With(s, levers[i].Fact, value);
                    changed |= 1 << i;
                }
            }
            if (!Consistent(s))
            {
                continue;
            }
            var verdict = engine.Evaluate(s).Combined;
            if (verdict.Permission <= want)
            {
                reaching.Add((changed, [.. set], verdict));
            }
        }

        // Minimal: no other reaching change alters a strict subset of its facts.
        var minimal = reaching
            .Where(r => !reaching.Exists(o => o.Facts != r.Facts && (o.Facts & r.Facts) == o.Facts))
            .OrderBy(r => System.Numerics.BitOperations.PopCount((uint)r.Facts))
            .ThenBy(r => Reverse(r.Facts, levers.Count))
            .Select(r => new FactChange(r.Set, r.Verdict))
            .ToList();
        return new WhyNotAnswer(current, want, minimal, minimal.Count == 0 ? Search(engine, scenario, want) : null);
    }

    /// <summary>A fact that can be changed and the values it can be changed to (its current value left out).</summary>
    private sealed record Lever(string Fact, IReadOnlyList<object?> Values);

    /// <summary>The facts the rule set reads, as inputs; a fact no clause reads cannot change a verdict.</summary>
    private static List<Lever> Levers(Engine engine, Scenario s)
    {
        var reads = FactReads.Of(engine.Compiled, engine.Rules.Rows);
        var levers = new List<Lever>();
        if (reads.Contains(Facts.Segment))
        {
            levers.Add(new Lever(Facts.Segment, Segments.All.Where(v => v != s.Segment).Cast<object?>().ToList()));
        }
        if (reads.Contains(Facts.AgiDeclared) || reads.Contains(Facts.AgiVerified))
        {
            // A verification needs a declaration, so both dates are levers when either is read.
            object?[] dates = [s.Date, null];
            levers.Add(new Lever(Facts.AgiDeclaredOn, dates.Where(d => !Equals(d, s.AgiDeclaredOn)).ToList()));
            levers.Add(new Lever(Facts.AgiVerifiedOn, dates.Where(d => !Equals(d, s.AgiVerifiedOn)).ToList()));
        }
        foreach (var fact in Facts.TriStates.Where(reads.Contains))
        {
            object?[] values = [true, false, null];
            levers.Add(new Lever(fact, values.Where(v => !Equals(v, s.TriState(fact))).ToList()));
        }
        return levers;
    }

    /// <summary>The next combination (0 = keep, k = the lever's k-th value); false after the last.</summary>
    private static bool Next(int[] choice, List<Lever> levers)
    {
        for (var i = levers.Count - 1; i >= 0; i--)
        {
            if (++choice[i] <= levers[i].Values.Count)
            {
                return true;
            }
            choice[i] = 0;
        }
        return false;
    }

    /// <summary>Orders changes of the same size by the facts they alter, in the scenario's order.</summary>
    private static int Reverse(int facts, int count)
    {
        var reversed = 0;
        for (var i = 0; i < count; i++)
        {
            if ((facts & (1 << i)) != 0)
            {
                reversed |= 1 << (count - 1 - i);
            }
        }
        return -reversed;
    }

    private static Scenario With(Scenario s, string fact, object? value) => fact switch
    {
        Facts.Segment => s with { Segment = (string)value! },
        Facts.AgiDeclaredOn => s with { AgiDeclaredOn = (DateOnly?)value },
        Facts.AgiVerifiedOn => s with { AgiVerifiedOn = (DateOnly?)value },
        Facts.MicrosoftDeclined => s with { MicrosoftDeclined = (bool?)value },
        Facts.ShippedOnAzureFirst => s with { ShippedOnAzureFirst = (bool?)value },
        Facts.MeetsOpenWeightCriteria => s with { MeetsOpenWeightCriteria = (bool?)value },
        Facts.StatelessCallsOnAzure => s with { StatelessCallsOnAzure = (bool?)value },
        _ => throw new ArgumentOutOfRangeException(nameof(fact), fact, "not a fact why-not can change"),
    };

    private static bool Consistent(Scenario s) => s.AgiVerifiedOn is not { } v || (s.AgiDeclaredOn is { } d && d <= v);

    /// <summary>The clouds on the date, and the nearest dates on the cloud, where the unchanged scenario reaches the target.</summary>
    private static Elsewhere Search(Engine engine, Scenario scenario, Permission want)
    {
        bool Reaches(Scenario s) => engine.Evaluate(s).Combined.Permission <= want;

        var clouds = engine.Rules.Catalogue.Clouds.Select(c => c.Id).Where(c => Reaches(scenario with { Cloud = c })).ToList();

        // The verdict can change only at a boundary of the rule set or on one of the scenario's AGI dates.
        var cuts = new SortedSet<DateOnly>(engine.Compiled.Boundaries);
        foreach (var d in new[] { scenario.AgiDeclaredOn, scenario.AgiVerifiedOn })
        {
            if (d is { } date)
            {
                cuts.Add(date);
            }
        }
        DateOnly? earlier = null;
        foreach (var cut in cuts.Reverse().Where(c => c <= scenario.Date && c > DateOnly.MinValue))
        {
            if (Reaches(scenario with { Date = cut.AddDays(-1) }))
            {
                earlier = cut.AddDays(-1);
                break;
            }
        }
        DateOnly? later = null;
        foreach (var cut in cuts.Where(c => c > scenario.Date))
        {
            if (Reaches(scenario with { Date = cut }))
            {
                later = cut;
                break;
            }
        }
        return new Elsewhere(clouds, earlier, later);
    }
}
