namespace ExclusivityEngine.Model;

/// <summary>A loaded, validated rule set: catalogue, versions table, clauses and readings.</summary>
public sealed class RuleSet
{
    internal RuleSet(Catalogue catalogue, IReadOnlyList<AgreementVersion> versions, Func<string> hash, string origin)
    {
        Catalogue = catalogue;
        Versions = versions;
        _hash = new Lazy<string>(hash, LazyThreadSafetyMode.ExecutionAndPublication);
        Origin = origin;
        var rows = new List<Row>();
        foreach (var version in versions)
        {
            rows.Add(new Row(rows.Count, version, null));
            foreach (var reading in version.Readings)
            {
                rows.Add(new Row(rows.Count, version, reading));
            }
        }
        Rows = rows;
        RowsById = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        Tracks = versions.Select(v => v.Track).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Products, clouds, attribute values.</summary>
    public Catalogue Catalogue { get; }

    /// <summary>The versions table, in its order.</summary>
    public IReadOnlyList<AgreementVersion> Versions { get; }

    /// <summary>Every version and reading as an evaluation row, in versions-table order.</summary>
    public IReadOnlyList<Row> Rows { get; }

    /// <summary>Rows by id (<c>version</c> or <c>version@reading</c>).</summary>
    public IReadOnlyDictionary<string, Row> RowsById { get; }

    /// <summary>The tracks, in order of first appearance.</summary>
    public IReadOnlyList<string> Tracks { get; }

    /// <summary>
    /// <c>sha256:…</c> of the rule files' contents, so an answer can be traced to its rules. Computed when first read:
    /// hashing loads and sets up OpenSSL, about a fifth of a native build's loading work, which a batch run with
    /// <c>--quiet</c> never needs.
    /// </summary>
    public string Hash => _hash.Value;

    private readonly Lazy<string> _hash;

    /// <summary>Where the rules came from: a directory, or <c>embedded</c>.</summary>
    public string Origin { get; }

    /// <summary>The version in force on <paramref name="track"/> on <paramref name="date"/>: the latest effective on or before it.</summary>
    public AgreementVersion? InForce(string track, DateOnly date)
    {
        AgreementVersion? best = null;
        foreach (var v in Versions)
        {
            if (v.Track == track && v.Effective <= date && (best is null || v.Effective >= best.Effective))
            {
                best = v;
            }
        }
        return best;
    }

    /// <summary>Whether <paramref name="version"/> is the version in force on its track on <paramref name="date"/>.</summary>
    public bool IsInForce(AgreementVersion version, DateOnly date) =>
        ReferenceEquals(InForce((version ?? throw new ArgumentNullException(nameof(version))).Track, date), version);
}
