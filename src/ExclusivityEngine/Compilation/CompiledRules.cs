using System.Linq.Expressions;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Validation;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// A rule set whose every condition was parsed and passed the guard, compiled once into its NRules network; plus the
/// literals that cut the scenario space into classes with one verdict each.
/// </summary>
internal sealed class CompiledRules
{
    private CompiledRules(RuleSet rules, Dictionary<Clause, Expression> conditions, DateOnly[] conditionDates)
    {
        Rules = rules;
        // A date a condition compares with, and the day after, is where what the condition says can change.
        ConditionCuts = [.. conditionDates.Concat(conditionDates.Where(d => d < DateOnly.MaxValue).Select(d => d.AddDays(1))).Distinct().Order()];
        EffectiveDates = [.. rules.Versions.Select(v => v.Effective).Distinct().Order()];
        Boundaries = [.. ConditionCuts.Concat(EffectiveDates).Distinct().Order()];
        ConditionIntervals = new DayIntervals(ConditionCuts);
        EffectiveIntervals = new DayIntervals(EffectiveDates);
        Conditions = conditions;
        Network = new ClauseNetwork(rules, conditions);
    }

    public RuleSet Rules { get; }

    /// <summary>Every clause of every version and reading as an NRules rule, compiled into one session factory.</summary>
    public ClauseNetwork Network { get; }

    /// <summary>
    /// Sorted dates at which some verdict can change: effective dates, and every date a condition compares with
    /// together with the day after it. Between two boundaries every date gives the same verdicts.
    /// </summary>
    public DateOnly[] Boundaries { get; }

    /// <summary>Sorted dates at which some condition's value can change: the dates conditions compare with, and the day after each.</summary>
    public DateOnly[] ConditionCuts { get; }

    /// <summary>Sorted distinct effective dates: where the versions in force can change.</summary>
    public DateOnly[] EffectiveDates { get; }

    /// <summary>The interval between <see cref="ConditionCuts"/> of a date, by table.</summary>
    public DayIntervals ConditionIntervals { get; }

    /// <summary>The interval between <see cref="EffectiveDates"/> of a date, by table.</summary>
    public DayIntervals EffectiveIntervals { get; }

    /// <summary>
    /// The checked expression tree of every clause's condition, over <see cref="ConditionParser.Parameters"/>: a body, not
    /// a lambda, since a delegate type over the ten facts would be a generic type made at run time, which a native
    /// (ahead-of-time compiled) build cannot make.
    /// </summary>
    public Dictionary<Clause, Expression> Conditions { get; }

    /// <summary>Load, validate, compile; every problem of every stage, sorted by place.</summary>
    public static (CompiledRules? Rules, IReadOnlyList<Diagnostic> Problems) Build(RuleFiles files)
    {
        // The parser recurses; a big stack keeps a hostile rule file from killing the process while the bounds are checked.
        (CompiledRules?, IReadOnlyList<Diagnostic>) result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = BuildOnThisThread(files);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 64 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("building the rule set failed", failure);
        }
        return result;
    }

    private static (CompiledRules?, IReadOnlyList<Diagnostic>) BuildOnThisThread(RuleFiles files)
    {
        var loaded = RuleSetLoader.Load(files);
        RuleSetValidator.Validate(loaded);
        // A warm-up that Engine.Prepare started is awaited rather than repeated; none is started here. On two cores,
        // set-up on several threads at once only contended for the runtime's type loader: as much wall time, more CPU.
        WarmUps.Parser.WaitIfStarted();
        var literals = new ConditionLiterals();
        var conditions = new Dictionary<Clause, Expression>(ReferenceEqualityComparer.Instance);
        var values = loaded.Catalogue is { } catalogue ? new ConditionValues(catalogue) : null;
        foreach (var clause in loaded.Versions.SelectMany(v => v.Clauses.Concat(v.Readings.SelectMany(r => r.Clauses))))
        {
            var body = ConditionParser.Parse(clause.When, literals, out var problem, out var code);
            if (body is null)
            {
                loaded.Diagnostics.Add(new Diagnostic(code, problem!, loaded.Where(clause, "when"), clause.Id.Length > 0 ? clause.Id : null, "when"));
                continue;
            }
            conditions[clause] = body;
            if (values is not null)
            {
                foreach (var unknown in values.Unknown(body))
                {
                    loaded.Diagnostics.Add(new Diagnostic("unknown-value", unknown, loaded.Where(clause, "when"), clause.Id.Length > 0 ? clause.Id : null, "when"));
                }
            }
        }

        var problems = loaded.Diagnostics
            .OrderBy(d => d.Location?.File ?? "", StringComparer.Ordinal)
            .ThenBy(d => d.Location?.Line ?? 0)
            .ThenBy(d => d.Location?.Column ?? 0)
            .ToList();
        if (problems.Count > 0 || loaded.Catalogue is null)
        {
            return (null, problems);
        }

        var rules = new RuleSet(loaded.Catalogue, loaded.Versions, files.Hash, files.Origin);
        WarmUps.Network.WaitIfStarted();
        return (new CompiledRules(rules, conditions, [.. literals.Dates]), problems);
    }

    /// <summary>The index of the interval between <paramref name="cuts"/> (sorted) that holds <paramref name="date"/>.</summary>
    public static int IntervalOf(DateOnly[] cuts, DateOnly date)
    {
        // The cuts on or before the date, by halving on day numbers: Array.BinarySearch goes through DateOnly's
        // IComparable for every step, 1% of a batch's CPU (twice a line) in the native build's profile.
        var day = date.DayNumber;
        int low = 0, high = cuts.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (cuts[middle].DayNumber <= day)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}

/// <summary>
/// <see cref="CompiledRules.IntervalOf"/> for one list of cuts, read from a table of the days between the first cut and
/// the last: a batch line asks it twice, and halving was 4% of a batch's CPU in the native build's profile. Cuts more
/// than <see cref="MaxDays"/> days apart (a rule set comparing with dates centuries apart) are halved as before.
/// </summary>
internal sealed class DayIntervals
{
    /// <summary>The widest span tabled: 180 years of days, 128 KB.</summary>
    internal const int MaxDays = 1 << 16;

    private readonly DateOnly[] _cuts;
    private readonly int _first;
    private readonly ushort[]? _table;

    public DayIntervals(DateOnly[] cuts)
    {
        _cuts = cuts;
        if (cuts.Length is 0 or >= ushort.MaxValue)
        {
            return;
        }
        _first = cuts[0].DayNumber;
        var span = cuts[^1].DayNumber - _first + 1;
        if (span > MaxDays)
        {
            return;
        }
        _table = new ushort[span];
        var interval = 0;
        for (var day = 0; day < span; day++)
        {
            while (interval < cuts.Length && cuts[interval].DayNumber <= _first + day)
            {
                interval++;
            }
            _table[day] = (ushort)interval;
        }
    }

    /// <summary>The number of cuts on or before <paramref name="date"/>.</summary>
    public int Of(DateOnly date)
    {
        if (_table is not { } table)
        {
            return CompiledRules.IntervalOf(_cuts, date);
        }
        // Before the first cut the offset wraps to a large unsigned number: both sides of the table are one test.
        var offset = (uint)(date.DayNumber - _first);
        return offset < (uint)table.Length ? table[offset] : date.DayNumber < _first ? 0 : _cuts.Length;
    }
}
