using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Validation;

/// <summary>Checks what a rule set says across clauses and files: ids, overrides, facts, dates.</summary>
internal static class RuleSetValidator
{
    public static void Validate(LoadedRules loaded)
    {
        var problems = loaded.Diagnostics;
        if (loaded.Catalogue is { } catalogue)
        {
            // Each said at its second entry, where the id was written again.
            foreach (var group in catalogue.Products.Select((p, i) => (p.Id, Index: i)).GroupBy(p => p.Id).Where(g => g.Count() > 1))
            {
                problems.Add(new Diagnostic("duplicate-id", $"product `{group.Key}` is listed {group.Count()} times", Place(loaded.ProductLocations, group.ElementAt(1).Index), Field: "id"));
            }
            foreach (var group in catalogue.Clouds.Select((c, i) => (c.Id, Index: i)).GroupBy(c => c.Id).Where(g => g.Count() > 1))
            {
                problems.Add(new Diagnostic("duplicate-id", $"cloud `{group.Key}` is listed {group.Count()} times", Place(loaded.CloudLocations, group.ElementAt(1).Index), Field: "id"));
            }
        }

        var seenVersions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var version in loaded.Versions)
        {
            var where = loaded.VersionLocations[version];
            if (version.Id.Length > 0 && !seenVersions.Add(version.Id))
            {
                problems.Add(new Diagnostic("duplicate-id", $"version `{version.Id}` is listed twice", where, Field: "id"));
            }
            var twin = loaded.Versions.FirstOrDefault(v => v != version && v.Track == version.Track && v.Effective == version.Effective);
            if (twin is not null && loaded.Versions.IndexOf(twin) < loaded.Versions.IndexOf(version))
            {
                problems.Add(new Diagnostic("ambiguous-version", $"versions `{twin.Id}` and `{version.Id}` of track `{version.Track}` take effect on the same date", where, Field: "effective"));
            }

            CheckRow(loaded, version.Clauses, version.Clauses, version.Id);
            var readingIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reading in version.Readings)
            {
                var first = reading.Clauses.FirstOrDefault();
                if (!readingIds.Add(reading.Id))
                {
                    problems.Add(new Diagnostic("duplicate-id", $"version `{version.Id}` has two readings `{reading.Id}`", first?.Location ?? where));
                }
                CheckRow(loaded, reading.Clauses, [.. version.Clauses, .. reading.Clauses], $"{version.Id}@{reading.Id}");
            }
        }

        SourceLocation Place(List<SourceLocation> places, int index) => index < places.Count ? places[index] : new(loaded.CatalogueDisplay, 0, 0);
    }

    /// <summary>
    /// The ids of the clauses from which a chain of overrides (a clause overriding itself aside) leads into a cycle:
    /// what is left after peeling off, again and again, the clauses that override none left. Linear in the row, so
    /// that a valid rule set of tens of thousands of clauses, where nothing is left, pays nothing more.
    /// </summary>
    private static HashSet<string> ReachingACycle(Dictionary<string, Clause> byId)
    {
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        var overriddenBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, clause) in byId)
        {
            var targets = clause.Overrides.Where(t => t != id && byId.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
            left[id] = targets.Count;
            foreach (var target in targets)
            {
                if (!overriddenBy.TryGetValue(target, out var by))
                {
                    overriddenBy[target] = by = [];
                }
                by.Add(id);
            }
        }
        var peel = new Queue<string>(left.Where(kv => kv.Value == 0).Select(kv => kv.Key));
        while (peel.TryDequeue(out var id))
        {
            foreach (var by in overriddenBy.GetValueOrDefault(id) ?? [])
            {
                if (--left[by] == 0)
                {
                    peel.Enqueue(by);
                }
            }
        }
        return left.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The shortest chain of overrides from <paramref name="clause"/> back to itself among the row's clauses
    /// (<paramref name="byId"/>), its first and last entries the clause; null when there is none (a clause overriding
    /// itself is reported apart).
    /// </summary>
    private static List<string>? OverrideCycle(Clause clause, Dictionary<string, Clause> byId)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var target in clause.Overrides.Where(t => t != clause.Id && byId.ContainsKey(t)))
        {
            if (cameFrom.TryAdd(target, clause.Id))
            {
                queue.Enqueue(target);
            }
        }
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in byId[id].Overrides.Where(byId.ContainsKey))
            {
                if (next == clause.Id)
                {
                    var chain = new List<string> { clause.Id, id };
                    for (var at = id; cameFrom[at] != clause.Id; at = cameFrom[at])
                    {
                        chain.Insert(1, cameFrom[at]);
                    }
                    chain.Add(clause.Id);
                    return chain;
                }
                if (next != id && cameFrom.TryAdd(next, id))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return null;
    }

    /// <summary>Checks <paramref name="own"/>, the clauses written in one place, against the whole row they belong to.</summary>
    private static void CheckRow(LoadedRules loaded, IReadOnlyList<Clause> own, IReadOnlyList<Clause> row, string rowId)
    {
        var problems = loaded.Diagnostics;
        var ids = row.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Built once per row: a clause's search for a cycle of overrides reads them, and only a clause that can reach
        // one searches (a clause whose id another clause of the row also has is searched from itself, as written).
        var byId = new Dictionary<string, Clause>(StringComparer.Ordinal);
        foreach (var c in row)
        {
            byId.TryAdd(c.Id, c);
        }
        var reachingACycle = ReachingACycle(byId);
        // By reference: a clause is a record, and List.Contains compared whole clauses, the row's length times per clause
        // (found by an adversarial run: 64,000 clauses alike but for their ids took 94 s to validate).
        var owned = new HashSet<Clause>(own, ReferenceEqualityComparer.Instance);
        foreach (var clause in row)
        {
            var isOwn = owned.Contains(clause);
            if (clause.Id.Length > 0 && !seen.Add(clause.Id) && isOwn)
            {
                problems.Add(new Diagnostic("duplicate-id", $"`{rowId}` already has a clause `{clause.Id}`", loaded.Where(clause, "id"), clause.Id, "id"));
            }
            if (!isOwn)
            {
                continue;
            }
            foreach (var twice in clause.Overrides.Count < 2 ? [] : clause.Overrides.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add(new Diagnostic("invalid-field", $"overrides `{twice.Key}` {twice.Count()} times", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
            }
            if ((reachingACycle.Contains(clause.Id) || !ReferenceEquals(byId[clause.Id], clause)) && OverrideCycle(clause, byId) is { } cycle)
            {
                // Whenever every clause of the cycle applies, each drops the next and none decides: the row's verdict
                // would rest on nothing written (found by an adversarial run: a forbid vanished, validate said valid).
                problems.Add(new Diagnostic("invalid-field", $"overrides form a cycle: {string.Join(" overrides ", cycle.Select(id => $"`{id}`"))}", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
            }
            foreach (var target in clause.Overrides)
            {
                if (!ids.Contains(target))
                {
                    problems.Add(new Diagnostic("unknown-clause", $"overrides `{target}`, which `{rowId}` does not have", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
                }
                else if (target == clause.Id)
                {
                    problems.Add(new Diagnostic("unknown-clause", "a clause cannot override itself", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
                }
            }
            // agreements.md: a note is "an explanation only" and an oblige "never changes the permission"; overriding
            // would let either drop a forbid unseen (found by an adversarial run: a note turned Prohibited to Permitted,
            // with nothing decisive, and validate said valid). An oblige may still take another obligation's place.
            // A clause (or target) whose effect could not be read has it reported already; its placeholder says nothing.
            var effectRead = !loaded.EffectUnread.Contains(clause);
            if (clause.Effect == Effect.Note && clause.Overrides.Count > 0 && effectRead)
            {
                problems.Add(new Diagnostic("invalid-field", "a `note` clause is an explanation only: it cannot override a clause", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
            }
            if (clause.Effect == Effect.Oblige && effectRead)
            {
                foreach (var target in clause.Overrides.Where(t => t != clause.Id && byId.TryGetValue(t, out var overridden)
                    && overridden.Effect != Effect.Oblige && !loaded.EffectUnread.Contains(overridden)))
                {
                    problems.Add(new Diagnostic("invalid-field", $"an `oblige` clause never changes the permission: it can override only `oblige` clauses, and `{target}` is a `{Explanation.AssessmentJson.Name(byId[target].Effect)}` clause", loaded.Where(clause, "overrides"), clause.Id, "overrides"));
                }
            }
            if (clause.Effect == Effect.Require && clause.AnyOf.Count == 0)
            {
                problems.Add(new Diagnostic("missing-field", "a `require` clause needs `anyOf`: the facts of which one must be true", clause.Location, clause.Id, "anyOf"));
            }
            if (clause.Effect != Effect.Require && clause.AnyOf.Count > 0)
            {
                problems.Add(new Diagnostic("invalid-field", "only a `require` clause has `anyOf`", loaded.Where(clause, "anyOf"), clause.Id, "anyOf"));
            }
            foreach (var fact in clause.AnyOf.Where(f => !Facts.TriStates.Contains(f)))
            {
                problems.Add(new Diagnostic("unknown-fact", $"`{fact}` is not a true/false/unknown fact (one of {string.Join(", ", Facts.TriStates)})", loaded.Where(clause, "anyOf"), clause.Id, "anyOf"));
            }
            if (clause.RevenueShare is { } share && share.Payer.Length > 0 && share.Payer == share.Payee)
            {
                problems.Add(new Diagnostic("invalid-field", $"a revenue share paid by `{share.Payer}` to itself obliges nothing", loaded.Where(clause, "revenueShare"), clause.Id, "revenueShare"));
            }
            if (clause.RevenueShare is not null && clause.Effect != Effect.Oblige)
            {
                problems.Add(new Diagnostic("invalid-field", "only an `oblige` clause carries `revenueShare`", loaded.Where(clause, "revenueShare"), clause.Id, "revenueShare"));
            }
        }
    }
}
