using System.Text;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// Deterministic scenarios for the benchmarks, drawn as benchmarks/generate_scenarios.py draws them: half the dates on
/// the rule set's boundaries (a day either side included), the rest anywhere in 2018–2035; random facts, unknown
/// included; some inline products.
/// </summary>
internal static class ScenarioData
{
    private static readonly string[] Tri = ["true", "false", "null"];
    private static readonly string[] Interfaces = ["stateless-api", "app", "agent-platform", "stateful-runtime", "open-weights", "device"];

    /// <summary><paramref name="count"/> JSON Lines scenarios as UTF-8, the same for the same seed.</summary>
    public static byte[] JsonLines(Engine engine, int count, int seed = 1)
    {
        var random = new Random(seed);
        var products = engine.Rules.Catalogue.Products.Select(p => p.Id).ToArray();
        var clouds = engine.Rules.Catalogue.Clouds.Select(c => c.Id).ToArray();
        var boundaries = engine.Compiled.Boundaries;
        string Date()
        {
            var d = random.NextDouble() < 0.5
                ? boundaries[random.Next(boundaries.Length)].AddDays(random.Next(-1, 2))
                : new DateOnly(2018, 1, 1).AddDays(random.Next(365 * 18));
            return d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        var text = new StringBuilder(count * 160);
        for (var i = 0; i < count; i++)
        {
            text.Append("{\"id\":\"s-").Append(i).Append("\",\"product\":");
            if (random.NextDouble() < 0.05)
            {
                text.Append("{\"id\":\"").Append(random.NextDouble() < 0.5 ? "frontier" : "x-" + random.Next(50))
                    .Append("\",\"interface\":\"").Append(Interfaces[random.Next(Interfaces.Length)])
                    .Append("\",\"origin\":\"").Append(random.NextDouble() < 0.5 ? "first-party" : "joint")
                    .Append("\",\"offeredBy\":\"").Append(random.NextDouble() < 0.5 ? "openai" : "microsoft").Append("\"}");
            }
            else
            {
                text.Append('"').Append(products[random.Next(products.Length)]).Append('"');
            }
            text.Append(",\"cloud\":\"").Append(clouds[random.Next(clouds.Length)]).Append("\",\"date\":\"").Append(Date()).Append('"');
            if (random.NextDouble() < 0.3)
            {
                text.Append(",\"segment\":").Append(random.Next(3) switch { 0 => "\"general\"", 1 => "\"us-national-security\"", _ => "null" });
            }
            if (random.NextDouble() < 0.2)
            {
                var declared = Date();
                text.Append(",\"agiDeclaredOn\":\"").Append(declared).Append('"');
                if (random.NextDouble() < 0.5)
                {
                    var verified = Date();
                    text.Append(",\"agiVerifiedOn\":\"").Append(string.CompareOrdinal(verified, declared) < 0 ? declared : verified).Append('"');
                }
            }
            foreach (var fact in new[] { Facts.MicrosoftDeclined, Facts.ShippedOnAzureFirst, Facts.MeetsOpenWeightCriteria, Facts.StatelessCallsOnAzure })
            {
                if (random.NextDouble() < 0.4)
                {
                    text.Append(",\"").Append(fact).Append("\":").Append(Tri[random.Next(3)]);
                }
            }
            text.Append("}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
