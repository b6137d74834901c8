namespace ExclusivityEngine.Revenue;

/// <summary>One period of a schedule: what is owed for it, and under which version and clause.</summary>
/// <param name="Period">The period as read.</param>
/// <param name="Obligation">The version and clause that oblige, or null when nothing obliges.</param>
/// <param name="Owed">The amount owed for the period (the remainder only, for the period that reaches the cap).</param>
/// <param name="CappedTotal">The cumulative amount owed for periods dated on or after the cap's first day, this one included.</param>
/// <param name="CapReached">True from the period whose amount reaches the cap on.</param>
public sealed record ScheduledPeriod(RevenuePeriod Period, RevenueObligation? Obligation, decimal Owed, decimal CappedTotal, bool CapReached);

/// <summary>What OpenAI owes Microsoft, period by period (agreements.md and interface.md, "Revenue share").</summary>
public sealed class RevenueSchedule
{
    private RevenueSchedule(RevenueTerms terms, RevenueShareRules rules, IReadOnlyList<ScheduledPeriod> periods, decimal total)
    {
        Terms = terms;
        Rules = rules;
        Periods = periods;
        Total = total;
    }

    /// <summary>The rate, cap and AGI dates.</summary>
    public RevenueTerms Terms { get; }

    /// <summary>The rule set's revenue-share track and clauses the schedule followed.</summary>
    public RevenueShareRules Rules { get; }

    /// <summary>The periods, in input order.</summary>
    public IReadOnlyList<ScheduledPeriod> Periods { get; }

    /// <summary>The sum of the amounts owed.</summary>
    public decimal Total { get; }

    /// <summary>
    /// The schedule of <paramref name="periods"/> under <paramref name="rules"/>: rate × revenue for each period a clause
    /// obliges; under a capped clause, never more than the cap for periods counted toward it (the period that reaches it
    /// owes the remainder, later ones nothing). Null with the first problem: bad terms, periods not in strictly increasing
    /// date order, or an amount a decimal cannot hold exactly.
    /// </summary>
    public static RevenueSchedule? Compute(RevenueShareRules rules, RevenueTerms terms, IEnumerable<RevenuePeriod> periods, out RevenueError? error)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(periods);
        error = terms.Check();
        if (error is not null)
        {
            return null;
        }
        var scheduled = new List<ScheduledPeriod>();
        var total = 0m;
        var cappedTotal = 0m;
        var capReached = false;
        RevenuePeriod? previous = null;
        foreach (var period in periods)
        {
            ArgumentNullException.ThrowIfNull(period, nameof(periods));
            if (period.Revenue < 0)
            {
                // The readers refuse it with the amount as written; a caller building periods itself is held to the same.
                error = period.Error($"the revenue {MoneyText.Format(period.Revenue)} is negative", RevenueFields.Revenue);
                return null;
            }
            if (previous is not null && period.Date <= previous.Date)
            {
                error = period.Error(period.Date == previous.Date
                    ? $"the period {period.Date:yyyy-MM-dd} repeats that of line {previous.Line}"
                    : $"the period {period.Date:yyyy-MM-dd} comes after line {previous.Line}'s {previous.Date:yyyy-MM-dd} (periods must be in strictly increasing date order)",
                    RevenueFields.Date);
                return null;
            }
            previous = period;

            var obligation = rules.On(period.Date, terms.AgiDeclaredOn, terms.AgiVerifiedOn);
            var counts = rules.CapFrom is { } from && period.Date >= from;
            var owed = 0m;
            if (obligation is not null)
            {
                if (!MoneyText.TryMultiply(terms.Rate, period.Revenue, out var amount))
                {
                    error = period.Error($"rate × revenue ({MoneyText.Format(terms.Rate)} × {MoneyText.Format(period.Revenue)}) cannot be held exactly as a decimal", RevenueFields.Revenue);
                    return null;
                }
                owed = amount;
                if (obligation.Capped && counts && terms.Cap is { } cap)
                {
                    if (capReached)
                    {
                        owed = 0m;
                    }
                    else if (!MoneyText.TrySubtract(cap, cappedTotal, out var remainder))
                    {
                        error = period.Error("the remainder of the cap cannot be held exactly as a decimal", RevenueFields.Revenue);
                        return null;
                    }
                    else if (amount > remainder)
                    {
                        // The period that reaches the cap owes only what is left of it.
                        owed = remainder > 0m ? remainder : 0m;
                    }
                }
            }
            if (counts && !MoneyText.TryAdd(cappedTotal, owed, out cappedTotal))
            {
                error = period.Error("the cumulative amount owed cannot be held exactly as a decimal", RevenueFields.Revenue);
                return null;
            }
            if (!MoneyText.TryAdd(total, owed, out total))
            {
                error = period.Error("the total owed cannot be held exactly as a decimal", RevenueFields.Revenue);
                return null;
            }
            capReached |= counts && terms.Cap is { } c && cappedTotal >= c;
            scheduled.Add(new ScheduledPeriod(period, obligation, owed, cappedTotal, capReached));
        }
        return new RevenueSchedule(terms, rules, scheduled, total);
    }

    /// <summary>The schedule under the rule set of <paramref name="engine"/>, for OpenAI paying Microsoft.</summary>
    public static RevenueSchedule? Compute(Engine engine, RevenueTerms terms, IEnumerable<RevenuePeriod> periods, out RevenueError? error)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var rules = RevenueShareRules.OpenAiToMicrosoft(engine, out error);
        return rules is null ? null : Compute(rules, terms, periods, out error);
    }
}
