using System.Globalization;
using System.Text;
using ExclusivityEngine.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExclusivityEngine.Loading;

/// <summary>What the loader read: the model as far as it could be built, where each clause field was written, and the problems met.</summary>
internal sealed class LoadedRules
{
    public Catalogue? Catalogue { get; set; }
    public string CatalogueDisplay { get; set; } = RuleSetLoader.CatalogueFile;
    public List<AgreementVersion> Versions { get; } = [];
    public Dictionary<(Clause Clause, string Field), SourceLocation> FieldLocations { get; } = [];
    public Dictionary<AgreementVersion, SourceLocation> VersionLocations { get; } = [];

    /// <summary>Where each of the catalogue's products and clouds is written, in the catalogue's order.</summary>
    public List<SourceLocation> ProductLocations { get; } = [];

    /// <inheritdoc cref="ProductLocations"/>
    public List<SourceLocation> CloudLocations { get; } = [];
    public List<Diagnostic> Diagnostics { get; } = [];

    /// <summary>Clauses whose effect is missing or unreadable (their <see cref="Clause.Effect"/> is a placeholder, already reported).</summary>
    public HashSet<Clause> EffectUnread { get; } = new(ReferenceEqualityComparer.Instance);

    public SourceLocation Where(Clause clause, string field) =>
        FieldLocations.TryGetValue((clause, field), out var location) ? location : clause.Location;
}

/// <summary>
/// Reads rule files into the model, keeping the file, line and column of every clause and field.
/// Structure only: every problem is collected, nothing is thrown, so one run reports them all.
/// </summary>
internal static class RuleSetLoader
{
    public const string CatalogueFile = "catalogue.json";
    public const string VersionsFile = "versions.json";
    public const string ClausesFolder = "clauses/";

    private static readonly string[] ClauseFields = ["id", "effect", "when", "overrides", "anyOf", "source", "note", "revenueShare"];

    public static LoadedRules Load(RuleFiles files)
    {
        var loaded = new LoadedRules();
        var reader = new Reader(files, loaded.Diagnostics);

        loaded.CatalogueDisplay = reader.Display(CatalogueFile);
        var catalogue = reader.Document(CatalogueFile);
        if (catalogue is not null)
        {
            loaded.Catalogue = ReadCatalogue(reader, catalogue, loaded);
        }

        var table = reader.Document(VersionsFile);
        var clauseFiles = files.Files.Keys.Where(k => k.StartsWith(ClausesFolder, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        if (table is not null)
        {
            reader.OnlyFields(table, ["versions"], null);
            foreach (var entry in reader.Array(table, "versions", null, required: true))
            {
                if (entry is not JObject row)
                {
                    reader.Problem("invalid-field", "a version must be an object", entry, null, "versions");
                    continue;
                }
                reader.OnlyFields(row, ["id", "track", "effective", "title"], null);
                // Ids as the schema has them: an empty or blank track made a version a track of its own, in force beside
                // its successor, and an empty clause id was named as decisive (found by an adversarial run).
                var id = reader.Id(row, "version id") ?? "";
                var track = reader.Id(row, "track", "track") ?? "";
                var effective = reader.Date(row, "effective", null) ?? DateOnly.MinValue;
                var title = reader.String(row, "title", null, required: false) ?? "";
                var path = ClausesFolder + id + ".json";
                clauseFiles.Remove(path);
                var (clauses, readings) = ReadClauseFile(reader, loaded, path, id);
                var version = new AgreementVersion(id, track, effective, title, clauses, readings);
                loaded.Versions.Add(version);
                loaded.VersionLocations[version] = reader.Place(row);
            }
        }
        // Without a readable versions table every clause file would look unnamed: one problem, not one a file.
        foreach (var orphan in table is null ? Enumerable.Empty<string>() : clauseFiles.Order(StringComparer.Ordinal))
        {
            var message = orphan.IndexOf('/', ClausesFolder.Length) >= 0
                ? $"`{orphan}` is in a folder below `{ClausesFolder}`: a version's clause file lies directly in `{ClausesFolder}`, named by its id"
                : $"`{orphan}` is not named in `{VersionsFile}`; add its version to the table or remove the file";
            loaded.Diagnostics.Add(new Diagnostic("unknown-version", message, new SourceLocation(reader.Display(orphan), 0, 0)));
        }
        // A file the rule set does not read would still change its hash (and may be a clause file put in the wrong place).
        foreach (var stray in files.Files.Keys.Where(k => k is not (CatalogueFile or VersionsFile) && !k.StartsWith(ClausesFolder, StringComparison.Ordinal)))
        {
            loaded.Diagnostics.Add(new Diagnostic("unknown-file", $"`{stray}` is not part of a rule set, which holds only `{CatalogueFile}`, `{VersionsFile}` and `{ClausesFolder}VERSION.json`; move it out of the folder", new SourceLocation(reader.Display(stray), 0, 0)));
        }
        return loaded;
    }

    private static Catalogue ReadCatalogue(Reader reader, JObject root, LoadedRules loaded)
    {
        reader.OnlyFields(root, ["attributes", "clouds", "products"], null);
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        // Required: without the allowed values no inline product could be checked, and the catalogue's own products
        // would be refused by every question (as an adversarial run found: validate passed, every evaluation failed).
        if (reader.Object(root, "attributes", required: true) is { } attributeObject)
        {
            reader.OnlyFields(attributeObject, ["interface", "origin", "offeredBy"], null);
            foreach (var name in new[] { "interface", "origin", "offeredBy" })
            {
                attributes[name] = reader.Strings(attributeObject, name, null, required: true);
            }
        }
        var clouds = new List<Cloud>();
        var cloudTokens = reader.Array(root, "clouds", null, required: true).ToList();
        if (cloudTokens.Count == 0 && root["clouds"] is JArray empty)
        {
            reader.Problem("invalid-field", "`clouds` must list at least one cloud: no question could be asked of a catalogue without one", empty, null, "clouds");
        }
        foreach (var token in cloudTokens)
        {
            if (token is JObject cloud)
            {
                reader.OnlyFields(cloud, ["id", "name"], null);
                clouds.Add(new Cloud(reader.Id(cloud, "cloud id") ?? "", reader.String(cloud, "name", null, required: false) ?? ""));
                loaded.CloudLocations.Add(reader.Place(cloud["id"] ?? cloud));
            }
            else
            {
                reader.Problem("invalid-field", "a cloud must be an object", token, null, "clouds");
            }
        }
        var products = new List<Product>();
        foreach (var token in reader.Array(root, "products", null, required: true))
        {
            if (token is not JObject product)
            {
                reader.Problem("invalid-field", "a product must be an object", token, null, "products");
                continue;
            }
            reader.OnlyFields(product, ["id", "interface", "origin", "offeredBy", "partner", "shippedOnAzureFirst"], null);
            var id = reader.Id(product, "product id") ?? "";
            string Attribute(string name)
            {
                var value = reader.String(product, name, null, required: true) ?? "";
                if (attributes.TryGetValue(name, out var allowed) && value.Length > 0 && !allowed.Contains(value))
                {
                    reader.Problem("unknown-value", $"product `{Scenarios.Quote.Short(id)}` has {name} `{Scenarios.Quote.Short(value)}`, which is not one of {string.Join(", ", allowed)}", product[name]!, null, name);
                }
                return value;
            }
            var shipped = product["shippedOnAzureFirst"];
            bool? shippedDefault = shipped?.Type switch
            {
                null or JTokenType.Null => null,
                JTokenType.Boolean => shipped.Value<bool>(),
                _ => null,
            };
            if (shipped is not null && shipped.Type is not (JTokenType.Null or JTokenType.Boolean))
            {
                reader.Problem("invalid-field", "`shippedOnAzureFirst` must be true, false or null", shipped, null, "shippedOnAzureFirst");
            }
            products.Add(new Product(id, Attribute("interface"), Attribute("origin"), Attribute("offeredBy"), shippedDefault, reader.String(product, "partner", null, required: false)));
            loaded.ProductLocations.Add(reader.Place(product["id"] ?? product));
        }
        return new Catalogue(products, clouds, attributes);
    }

    private static (List<Clause> Clauses, List<Reading> Readings) ReadClauseFile(Reader reader, LoadedRules loaded, string path, string versionId)
    {
        var clauses = new List<Clause>();
        var readings = new List<Reading>();
        if (!reader.Exists(path))
        {
            reader.Problem("missing-file", $"version `{versionId}` has no clause file `{path}`{reader.FolderInstead(path)}", null, null, null, reader.Display(VersionsFile));
            return (clauses, readings);
        }
        var root = reader.Document(path);
        if (root is null)
        {
            return (clauses, readings);
        }
        reader.OnlyFields(root, ["version", "clauses", "readings"], null);
        var named = reader.String(root, "version", null, required: true);
        if (named is not null && named != versionId)
        {
            reader.Problem("invalid-field", $"the file is for version `{versionId}` but says `{Scenarios.Quote.Short(named)}`", root["version"]!, null, "version");
        }
        clauses.AddRange(ReadClauses(reader, loaded, root, "clauses"));
        foreach (var token in reader.Array(root, "readings", null, required: false))
        {
            if (token is not JObject reading)
            {
                reader.Problem("invalid-field", "a reading must be an object", token, null, "readings");
                continue;
            }
            reader.OnlyFields(reading, ["id", "title", "source", "clauses"], null);
            readings.Add(new Reading(
                reader.Id(reading, "reading id") ?? "",
                reader.String(reading, "title", null, required: false) ?? "",
                reader.String(reading, "source", null, required: false) ?? "",
                ReadClauses(reader, loaded, reading, "clauses")));
        }
        return (clauses, readings);
    }

    private static List<Clause> ReadClauses(Reader reader, LoadedRules loaded, JObject parent, string field)
    {
        var clauses = new List<Clause>();
        foreach (var token in reader.Array(parent, field, null, required: true))
        {
            if (token is not JObject c)
            {
                reader.Problem("invalid-field", "a clause must be an object", token, null, field);
                continue;
            }
            var id = reader.Id(c, "clause id") ?? "";
            var clauseName = id.Length > 0 ? id : null;
            reader.OnlyFields(c, ClauseFields, clauseName);
            var effectText = reader.String(c, "effect", clauseName, required: true);
            var effect = Effect.Note;
            var effectRead = effectText is not null && TryParseEffect(effectText, out effect);
            if (effectText is not null && !effectRead)
            {
                reader.Problem("unknown-effect", $"effect `{Scenarios.Quote.Short(effectText)}` is not one of forbid, permit, require, oblige, note", c["effect"]!, clauseName, "effect");
            }
            var when = reader.String(c, "when", clauseName, required: true) ?? "";
            var overrides = reader.Strings(c, "overrides", clauseName, required: false);
            var anyOf = reader.Strings(c, "anyOf", clauseName, required: false);
            var source = reader.String(c, "source", clauseName, required: false);
            if (string.IsNullOrWhiteSpace(source))
            {
                reader.Problem("missing-source", "every clause must carry the source text it rests on", (JToken?)c["source"] ?? c, clauseName, "source");
            }
            var note = reader.String(c, "note", clauseName, required: false);
            RevenueShareTerms? revenue = null;
            if (reader.Object(c, "revenueShare") is { } share)
            {
                reader.OnlyFields(share, ["payer", "payee", "capped"], clauseName);
                var capped = share["capped"];
                if (capped is not null && capped.Type != JTokenType.Boolean)
                {
                    reader.Problem("invalid-field", "`capped` must be true or false", capped, clauseName, "revenueShare.capped");
                }
                revenue = new RevenueShareTerms(
                    reader.String(share, "payer", clauseName, required: true) ?? "",
                    reader.String(share, "payee", clauseName, required: true) ?? "",
                    capped?.Type == JTokenType.Boolean && capped.Value<bool>());
            }
            var clause = new Clause(id, effect, when, overrides, anyOf, source ?? "", note, revenue, reader.Place(c));
            foreach (var property in c.Properties())
            {
                loaded.FieldLocations[(clause, property.Name)] = reader.Place(property.Value);
            }
            if (!effectRead)
            {
                loaded.EffectUnread.Add(clause);
            }
            clauses.Add(clause);
        }
        return clauses;
    }

    private static bool TryParseEffect(string text, out Effect effect)
    {
        effect = text switch
        {
            "forbid" => Effect.Forbid,
            "permit" => Effect.Permit,
            "require" => Effect.Require,
            "oblige" => Effect.Oblige,
            "note" => Effect.Note,
            _ => (Effect)(-1),
        };
        return (int)effect >= 0;
    }

    /// <summary>Newtonsoft reads with line information; every accessor reports a problem with its place instead of throwing.</summary>
    private sealed class Reader(RuleFiles files, List<Diagnostic> diagnostics)
    {
        private readonly Dictionary<JToken, string> _fileOf = new(ReferenceEqualityComparer.Instance);
        private string _current = "";

        public string Display(string relative) =>
            files.IsEmbedded ? "rules/" + relative : Path.Combine(files.Origin, relative);

        public bool Exists(string relative) => files.Files.ContainsKey(relative);

        /// <summary>Said after "has no file X" when X is there as a folder: the file the user thinks is there is not one.</summary>
        public string FolderInstead(string relative) =>
            !files.IsEmbedded && Directory.Exists(Path.Combine(files.Origin, relative)) ? $" (`{relative}` is a folder, not a file)" : "";

        public JObject? Document(string relative)
        {
            _current = relative;
            if (!files.Files.TryGetValue(relative, out var bytes))
            {
                diagnostics.Add(new Diagnostic("missing-file", $"the rule set has no `{relative}`{FolderInstead(relative)}", new SourceLocation(Display(relative), 0, 0)));
                return null;
            }
            var utf8 = StrictJson.WithoutByteOrderMark(bytes);
            try
            {
                var text = new UTF8Encoding(false, true).GetString(utf8);
                using var json = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
                var token = JToken.ReadFrom(json, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
                while (json.Read())
                {
                    if (json.TokenType != JsonToken.Comment)
                    {
                        throw new JsonReaderException("additional text after the JSON value", json.Path, json.LineNumber, json.LinePosition, null);
                    }
                }
                // Newtonsoft reads more than JSON; what it read leniently is refused here, with its place. The embedded
                // files are the repository's rules/, checked so when the library is built (the test suite reads them
                // strictly and proves the embedded copy identical), so a start-up spares itself the second reading.
                if (!files.IsEmbedded && StrictJson.Check(utf8) is { } strict)
                {
                    diagnostics.Add(new Diagnostic("invalid-json", $"not strict JSON (RFC 8259): {strict.Message}", new SourceLocation(Display(relative), strict.Line, strict.Column)));
                    return null;
                }
                if (token is not JObject root)
                {
                    diagnostics.Add(new Diagnostic("invalid-json", "the file must hold one JSON object", new SourceLocation(Display(relative), 1, 1)));
                    return null;
                }
                _fileOf[root] = relative;
                if (!files.IsEmbedded)
                {
                    // Reported, and the file still read: its other problems are found too, without a cascade.
                    ReportControlCharacter(root);
                }
                return root;
            }
            catch (JsonReaderException) when (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                diagnostics.Add(new Diagnostic("invalid-json", "the file is empty; a rule file is one JSON object { … }", new SourceLocation(Display(relative), 0, 0)));
                return null;
            }
            catch (JsonReaderException e)
            {
                // Newtonsoft names its own types for a file cut short ("error reading JObject from JsonReader").
                var message = e.Message.StartsWith("Unexpected end", StringComparison.Ordinal) || e.Message.StartsWith("Error reading J", StringComparison.Ordinal)
                    ? "the file ends before its JSON does (an object { or a list [ is not closed)"
                    : FirstSentence(e.Message);
                diagnostics.Add(new Diagnostic("invalid-json", message, new SourceLocation(Display(relative), e.LineNumber, e.LinePosition)));
                return null;
            }
            catch (DecoderFallbackException)
            {
                // Placed where the first byte that is not UTF-8 is, as a test file's is.
                var place = StrictJson.Check(utf8);
                diagnostics.Add(new Diagnostic("invalid-json", "the file is not UTF-8", new SourceLocation(Display(relative), place?.Line ?? 0, place?.Column ?? 0)));
                return null;
            }
        }

        /// <summary>
        /// Reports the first name or string of a rule file that holds a control character (a terminal escape, a line
        /// break, a bidirectional override); whether there was one. Rule text reaches terminals, logs
        /// and reports verbatim: an escape in a clause's note could erase, on the reviewer's screen, the `when` that
        /// `impact` shows changed beside it.
        /// </summary>
        private bool ReportControlCharacter(JToken token)
        {
            switch (token)
            {
                case JObject obj:
                    foreach (var property in obj.Properties())
                    {
                        if (Control(property.Name) is { } inName)
                        {
                            Report(property, inName, "name");
                            return true;
                        }
                        if (ReportControlCharacter(property.Value))
                        {
                            return true;
                        }
                    }
                    return false;
                case JArray array:
                    return array.Any(ReportControlCharacter);
                case JValue { Type: JTokenType.String, Value: string text } when Control(text) is { } inText:
                    Report(token, inText, "text");
                    return true;
                default:
                    return false;
            }

            void Report(JToken at, int character, string what) =>
                diagnostics.Add(new Diagnostic("invalid-field",
                    $"the {what} holds the control character U+{character:X4}; rule text is shown as it is written in terminals, logs and reports, so it may hold none (no line breaks, tabs, escapes or direction overrides)",
                    Place(at), Field: at.Path));

            static int? Control(string text)
            {
                foreach (var c in text)
                {
                    if (Scenarios.Quote.IsHidden(c))
                    {
                        return c;
                    }
                }
                return null;
            }
        }

        public SourceLocation Place(JToken token)
        {
            var info = (IJsonLineInfo)token;
            var file = _fileOf.TryGetValue(token.Root, out var f) ? f : _current;
            return new SourceLocation(Display(file), info.HasLineInfo() ? info.LineNumber : 0, info.HasLineInfo() ? info.LinePosition : 0);
        }

        public void Problem(string code, string message, JToken? at, string? clause, string? field, string? file = null)
        {
            var location = at is not null ? Place(at) : new SourceLocation(file ?? Display(_current), 0, 0);
            diagnostics.Add(new Diagnostic(code, message, location, clause, field));
        }

        public void OnlyFields(JObject obj, IReadOnlyCollection<string> allowed, string? clause)
        {
            foreach (var property in obj.Properties())
            {
                if (!allowed.Contains(property.Name))
                {
                    Problem("unknown-field", $"`{Scenarios.Quote.Short(property.Name)}` is not a known field (known: {string.Join(", ", allowed)})", property, clause, property.Name);
                }
            }
        }

        /// <summary>
        /// An id (of a product, cloud, version, track, reading or clause; field <paramref name="name"/>), as the schema
        /// has it (<c>^[a-z0-9][a-z0-9-]*$</c>): scenarios, outputs and test files name them, so an empty or odd id
        /// (which a scenario could match, or could never match) is refused here.
        /// </summary>
        public string? Id(JObject obj, string what, string name = "id", string? clause = null)
        {
            var id = String(obj, name, clause, required: true);
            if (id is not null && !IsId(id))
            {
                Problem("invalid-field", $"{what} `{Scenarios.Quote.Short(id)}` must be lowercase letters, digits and hyphens, starting with a letter or digit", obj[name], clause, name);
            }
            return id;
        }

        private static bool IsId(string id) =>
            id.Length > 0 && id[0] != '-' && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

        public string? String(JObject obj, string name, string? clause, bool required)
        {
            var token = obj[name];
            if (token is null || token.Type == JTokenType.Null)
            {
                if (required)
                {
                    Problem("missing-field", $"`{name}` is required", obj, clause, name);
                }
                return null;
            }
            if (token.Type != JTokenType.String)
            {
                Problem("invalid-field", $"`{name}` must be a string", token, clause, name);
                return null;
            }
            return token.Value<string>();
        }

        public DateOnly? Date(JObject obj, string name, string? clause)
        {
            var text = String(obj, name, clause, required: true);
            if (text is null)
            {
                return null;
            }
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Problem("invalid-date", $"`{Scenarios.Quote.Short(text)}` is not a calendar date (yyyy-mm-dd)", obj[name]!, clause, name);
                return null;
            }
            return date;
        }

        public JObject? Object(JObject obj, string name, bool required = false)
        {
            var token = obj[name];
            if (token is null || token.Type == JTokenType.Null)
            {
                if (required)
                {
                    Problem("missing-field", $"`{name}` is required", obj, null, name);
                }
                return null;
            }
            if (token is not JObject inner)
            {
                Problem("invalid-field", $"`{name}` must be an object", token, null, name);
                return null;
            }
            return inner;
        }

        public IEnumerable<JToken> Array(JObject obj, string name, string? clause, bool required)
        {
            var token = obj[name];
            if (token is null || token.Type == JTokenType.Null)
            {
                if (required)
                {
                    Problem("missing-field", $"`{name}` is required", obj, clause, name);
                }
                return [];
            }
            if (token is not JArray array)
            {
                Problem("invalid-field", $"`{name}` must be a list", token, clause, name);
                return [];
            }
            return array;
        }

        public IReadOnlyList<string> Strings(JObject obj, string name, string? clause, bool required)
        {
            var result = new List<string>();
            foreach (var item in Array(obj, name, clause, required))
            {
                if (item.Type == JTokenType.String)
                {
                    result.Add(item.Value<string>()!);
                }
                else
                {
                    Problem("invalid-field", $"`{name}` must be a list of strings", item, clause, name);
                }
            }
            return result;
        }

        private static string FirstSentence(string message)
        {
            // Newtonsoft shows the end of the text as the character NUL.
            message = message.Replace("got: \0", "got the end of the file", StringComparison.Ordinal);
            var cut = message.IndexOf(". Path", StringComparison.Ordinal);
            var sentence = cut >= 0 ? message[..cut] : message.TrimEnd('.');
            return sentence.Length > 0 ? char.ToLowerInvariant(sentence[0]) + sentence[1..] : sentence;
        }
    }
}
