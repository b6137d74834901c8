using ExclusivityEngine.Model;

namespace ExclusivityEngine.Revenue;

/// <summary>The revenue-share clause that obliges a payer to pay a payee on a date, and the version it belongs to.</summary>
/// <param name="Version">The version in force on the payee's track on that date.</param>
/// <param name="Clause">The applicable <c>oblige</c> clause from payer to payee.</param>
public sealed record RevenueObligation(AgreementVersion Version, Clause Clause)
{
    /// <summary>Whether the 2030 cap binds this obligation (the clause's <c>revenueShare.capped</c>).</summary>
    public bool Capped => Clause.RevenueShare?.Capped == true;
}

/// <summary>
/// What the rule set says about one direction of revenue share (agreements.md, "Revenue share"): the track whose
/// <c>oblige</c> clauses carry <c>revenueShare</c> from payer to payee, and, for a date, which of its clauses obliges.
/// Nothing here is a constant of the agreements: the clauses are evaluated by the engine, so their dates, AGI triggers
/// and overrides all come from the rule files.
/// </summary>
public sealed class RevenueShareRules
{
    private readonly Engine _engine;
    private readonly Product _product;
    private readonly string _cloud;

    private RevenueShareRules(Engine engine, string payer, string payee, string track, Product product, string cloud, DateOnly? capFrom)
    {
        _engine = engine;
        Payer = payer;
        Payee = payee;
        Track = track;
        _product = product;
        _cloud = cloud;
        CapFrom = capFrom;
    }

    /// <summary>Who pays (a product's <c>offeredBy</c>, e.g. <c>openai</c>).</summary>
    public string Payer { get; }

    /// <summary>Who is paid (e.g. <c>microsoft</c>).</summary>
    public string Payee { get; }

    /// <summary>The track whose versions carry the revenue-share clauses from payer to payee.</summary>
    public string Track { get; }

    /// <summary>
    /// The first day that counts toward the cap: the earliest effective date of a version on the track with a capped
    /// clause from payer to payee; null when no clause is capped.
    /// </summary>
    public DateOnly? CapFrom { get; }

    /// <summary>OpenAI pays Microsoft: the direction the <c>revenue</c> command schedules.</summary>
    public static RevenueShareRules? OpenAiToMicrosoft(Engine engine, out RevenueError? error) => For(engine, "openai", "microsoft", out error);

    /// <summary>Finds, in <paramref name="engine"/>'s rule set, the track and clauses of revenue share from payer to payee.</summary>
    public static RevenueShareRules? For(Engine engine, string payer, string payee, out RevenueError? error)
    {
        error = null;
        var rules = engine.Rules;
        bool Matches(Clause c) => c.Effect == Effect.Oblige && c.RevenueShare is { } share && share.Payer == payer && share.Payee == payee;
        var versions = rules.Versions.Where(v => v.Clauses.Any(Matches)).ToList();
        var tracks = versions.Select(v => v.Track).Distinct(StringComparer.Ordinal).ToList();
        if (tracks.Count != 1)
        {
            error = new RevenueError(tracks.Count == 0
                ? $"the rule set has no revenue-share clause from `{payer}` to `{payee}`"
                : $"the revenue-share clauses from `{payer}` to `{payee}` are on several tracks ({string.Join(", ", tracks)})");
            return null;
        }
        // Revenue share attaches to products the payer offers; any of them will do, since the clauses match on offeredBy.
        var product = rules.Catalogue.Products.FirstOrDefault(p => p.OfferedBy == payer && !p.IsInline);
        if (product is null || rules.Catalogue.Clouds.Count == 0)
        {
            error = new RevenueError($"the rule set's catalogue has no product offered by `{payer}`");
            return null;
        }
        var capFrom = versions.Where(v => v.Clauses.Any(c => Matches(c) && c.RevenueShare!.Capped))
            .Select(v => (DateOnly?)v.Effective).Min();
        return new RevenueShareRules(engine, payer, payee, tracks[0], product, rules.Catalogue.Clouds[0].Id, capFrom);
    }

    /// <summary>
    /// The clause that obliges the payer on <paramref name="date"/>, given the AGI dates: the first applicable (not
    /// overridden) revenue-share clause of the version in force on the track; null before the track's first version,
    /// once an AGI trigger has overridden it, or when the version's clause does not apply (after 2030 under the cap).
    /// </summary>
    public RevenueObligation? On(DateOnly date, DateOnly? agiDeclaredOn = null, DateOnly? agiVerifiedOn = null)
    {
        var version = _engine.Rules.InForce(Track, date);
        if (version is null)
        {
            return null;
        }
        var scenario = new Scenario(_product, _cloud, date, AgiDeclaredOn: agiDeclaredOn, AgiVerifiedOn: agiVerifiedOn, ShippedOnAzureFirst: _product.ShippedOnAzureFirst);
        var assessment = _engine.Evaluate(scenario);
        var row = assessment.Rows.First(r => r.Row.Reading is null && ReferenceEquals(r.Row.Version, version));
        foreach (var clause in row.Obligations)
        {
            if (clause.RevenueShare is { } share && share.Payer == Payer && share.Payee == Payee)
            {
                return new RevenueObligation(version, clause);
            }
        }
        return null;
    }
}
