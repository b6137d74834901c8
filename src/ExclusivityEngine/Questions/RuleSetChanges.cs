using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>
/// One field that differs between two rule sets, with its value on each side: a string, a date, a list of ids,
/// <see cref="RevenueShareTerms"/>, a bool, or null where the field is absent.
/// </summary>
public sealed record FieldDifference(string Field, object? Before, object? After);

/// <summary>A product, version or reading present in both rule sets whose own fields differ.</summary>
/// <param name="Id">The product id, or the version or <c>version@reading</c> id.</param>
/// <param name="Fields">The fields that differ, in the order the rule files write them.</param>
public sealed record EntryChange(string Id, IReadOnlyList<FieldDifference> Fields);

/// <summary>A clause present in both rule sets (same id, same version or reading) whose fields differ.</summary>
/// <param name="Version">The version, or <c>version@reading</c> for a reading's clause.</param>
/// <param name="Clause">The clause id.</param>
/// <param name="Fields">The fields that differ, in the order the rule files write them.</param>
public sealed record ClauseChange(string Version, string Clause, IReadOnlyList<FieldDifference> Fields);

/// <summary>
/// What an edit changed in the rule files themselves, entry by entry: catalogue products and clouds, versions and
/// readings, clauses. Lists follow the after set's order for what it has, the before set's for what it lost.
/// </summary>
/// <param name="ProductsAdded">Catalogue products only the after set has.</param>
/// <param name="ProductsRemoved">Catalogue products only the before set has.</param>
/// <param name="ProductsChanged">Products in both whose attributes or <c>shippedOnAzureFirst</c> default differ.</param>
/// <param name="CloudsAdded">Clouds only the after set has.</param>
/// <param name="CloudsRemoved">Clouds only the before set has.</param>
/// <param name="VersionsAdded">Versions and readings (<c>version@reading</c>) only the after set has.</param>
/// <param name="VersionsRemoved">Versions and readings only the before set has.</param>
/// <param name="VersionsChanged">Versions (track, effective date, title) and readings (title, source) in both that differ.</param>
/// <param name="ClausesAdded">Clauses only the after set has (those of added versions and readings included).</param>
/// <param name="ClausesRemoved">Clauses only the before set has (those of removed versions and readings included).</param>
/// <param name="ClausesChanged">Clauses in both whose fields differ.</param>
public sealed record RuleSetChanges(
    IReadOnlyList<string> ProductsAdded,
    IReadOnlyList<string> ProductsRemoved,
    IReadOnlyList<EntryChange> ProductsChanged,
    IReadOnlyList<string> CloudsAdded,
    IReadOnlyList<string> CloudsRemoved,
    IReadOnlyList<string> VersionsAdded,
    IReadOnlyList<string> VersionsRemoved,
    IReadOnlyList<EntryChange> VersionsChanged,
    IReadOnlyList<ClauseRef> ClausesAdded,
    IReadOnlyList<ClauseRef> ClausesRemoved,
    IReadOnlyList<ClauseChange> ClausesChanged)
{
    /// <summary>True when no entry of the rule files differs (a change of layout or whitespace only).</summary>
    public bool IsEmpty =>
        ProductsAdded.Count + ProductsRemoved.Count + ProductsChanged.Count + CloudsAdded.Count + CloudsRemoved.Count
        + VersionsAdded.Count + VersionsRemoved.Count + VersionsChanged.Count
        + ClausesAdded.Count + ClausesRemoved.Count + ClausesChanged.Count == 0;

    /// <summary>Compares two rule sets entry by entry (ids match entries; a renamed clause is one removed and one added).</summary>
    public static RuleSetChanges Between(RuleSet before, RuleSet after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var (productsAdded, productsRemoved, productsChanged) = Compare(before.Catalogue.Products, after.Catalogue.Products, p => p.Id, ProductFields);
        var (cloudsAdded, cloudsRemoved, _) = Compare(before.Catalogue.Clouds, after.Catalogue.Clouds, c => c.Id, (_, _) => []);
        var (versionsAdded, versionsRemoved, versionsChanged) = Compare(before.Rows, after.Rows, r => r.Id, RowFields);

        var clausesAdded = new List<ClauseRef>();
        var clausesRemoved = new List<ClauseRef>();
        var clausesChanged = new List<ClauseChange>();
        var beforeOwn = OwnClauses(before).ToDictionary(x => (x.Owner, x.Clause.Id));
        var afterOwn = OwnClauses(after).ToList();
        var afterKeys = afterOwn.Select(x => (x.Owner, x.Clause.Id)).ToHashSet();
        foreach (var (owner, clause) in afterOwn)
        {
            if (!beforeOwn.TryGetValue((owner, clause.Id), out var old))
            {
                clausesAdded.Add(new ClauseRef(owner, clause.Id));
            }
            else if (ClauseFields(old.Clause, clause) is { Count: > 0 } fields)
            {
                clausesChanged.Add(new ClauseChange(owner, clause.Id, fields));
            }
        }
        clausesRemoved.AddRange(OwnClauses(before).Where(x => !afterKeys.Contains((x.Owner, x.Clause.Id))).Select(x => new ClauseRef(x.Owner, x.Clause.Id)));

        return new RuleSetChanges(productsAdded, productsRemoved, productsChanged, cloudsAdded, cloudsRemoved,
            versionsAdded, versionsRemoved, versionsChanged, clausesAdded, clausesRemoved, clausesChanged);
    }

    /// <summary>The entries only in <paramref name="after"/>, only in <paramref name="before"/>, and in both with differing fields.</summary>
    private static (List<string> Added, List<string> Removed, List<EntryChange> Changed) Compare<T>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> id, Func<T, T, List<FieldDifference>> fields)
    {
        var old = before.ToDictionary(id, StringComparer.Ordinal);
        var now = after.Select(id).ToHashSet(StringComparer.Ordinal);
        var added = new List<string>();
        var changed = new List<EntryChange>();
        foreach (var entry in after)
        {
            if (!old.TryGetValue(id(entry), out var was))
            {
                added.Add(id(entry));
            }
            else if (fields(was, entry) is { Count: > 0 } differences)
            {
                changed.Add(new EntryChange(id(entry), differences));
            }
        }
        return (added, before.Select(id).Where(x => !now.Contains(x)).ToList(), changed);
    }

    /// <summary>Every clause once, named by the row that declares it: a version's own clauses, then each reading's overlay.</summary>
    private static IEnumerable<(string Owner, Clause Clause)> OwnClauses(RuleSet rules)
    {
        foreach (var row in rules.Rows)
        {
            var own = row.Reading is { } reading ? reading.Clauses : row.Version.Clauses;
            foreach (var clause in own)
            {
                yield return (row.Id, clause);
            }
        }
    }

    private static List<FieldDifference> ProductFields(Product a, Product b)
    {
        var fields = new List<FieldDifference>();
        Text(fields, "interface", a.Interface, b.Interface);
        Text(fields, "origin", a.Origin, b.Origin);
        Text(fields, "partner", a.Partner, b.Partner);
        Text(fields, "offeredBy", a.OfferedBy, b.OfferedBy);
        if (a.ShippedOnAzureFirst != b.ShippedOnAzureFirst)
        {
            fields.Add(new FieldDifference("shippedOnAzureFirst", a.ShippedOnAzureFirst, b.ShippedOnAzureFirst));
        }
        return fields;
    }

    private static List<FieldDifference> RowFields(Row a, Row b)
    {
        var fields = new List<FieldDifference>();
        if (a.Reading is { } ra && b.Reading is { } rb)
        {
            Text(fields, "title", ra.Title, rb.Title);
            Text(fields, "source", ra.Source, rb.Source);
            return fields;
        }
        Text(fields, "track", a.Version.Track, b.Version.Track);
        if (a.Version.Effective != b.Version.Effective)
        {
            fields.Add(new FieldDifference("effective", a.Version.Effective, b.Version.Effective));
        }
        Text(fields, "title", a.Version.Title, b.Version.Title);
        return fields;
    }

    /// <summary>The interface's field names, in the order a rule file writes them.</summary>
    private static List<FieldDifference> ClauseFields(Clause a, Clause b)
    {
        var fields = new List<FieldDifference>();
        if (a.Effect != b.Effect)
        {
            fields.Add(new FieldDifference("effect", AssessmentJson.Name(a.Effect), AssessmentJson.Name(b.Effect)));
        }
        Text(fields, "when", a.When, b.When);
        Ids(fields, "anyOf", a.AnyOf, b.AnyOf);
        Ids(fields, "overrides", a.Overrides, b.Overrides);
        Text(fields, "source", a.Source, b.Source);
        Text(fields, "note", a.Note, b.Note);
        if (a.RevenueShare != b.RevenueShare)
        {
            fields.Add(new FieldDifference("revenueShare", a.RevenueShare, b.RevenueShare));
        }
        return fields;
    }

    private static void Text(List<FieldDifference> fields, string name, string? a, string? b)
    {
        if (!string.Equals(a, b, StringComparison.Ordinal))
        {
            fields.Add(new FieldDifference(name, a, b));
        }
    }

    private static void Ids(List<FieldDifference> fields, string name, IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (!a.SequenceEqual(b, StringComparer.Ordinal))
        {
            fields.Add(new FieldDifference(name, a, b));
        }
    }
}
