using System.CommandLine;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>The fact options of <c>evaluate</c> (and of every command that takes a scenario's facts).</summary>
public sealed class FactOptions
{
    /// <summary><c>--segment</c>.</summary>
    public Option<string?> Segment { get; } = new("--segment") { Description = "general or us-national-security (default general)" };
    /// <summary><c>--agi-declared DATE</c>.</summary>
    public Option<string?> AgiDeclared { get; } = new("--agi-declared") { Description = "date AGI was declared (default: never)", HelpName = "DATE" };
    /// <summary><c>--agi-verified DATE</c>.</summary>
    public Option<string?> AgiVerified { get; } = new("--agi-verified") { Description = "date the declaration was verified (default: never)", HelpName = "DATE" };
    /// <summary><c>--microsoft-declined</c>.</summary>
    public Option<string?> MicrosoftDeclined { get; } = Tri("--microsoft-declined", "Microsoft is unable to, or chose not to, support the product on Azure");
    /// <summary><c>--shipped-on-azure-first</c>.</summary>
    public Option<string?> ShippedOnAzureFirst { get; } = Tri("--shipped-on-azure-first", "the product shipped on Azure first (default: the product's catalogue default)");
    /// <summary><c>--meets-open-weight-criteria</c>.</summary>
    public Option<string?> MeetsOpenWeightCriteria { get; } = Tri("--meets-open-weight-criteria", "an open-weight model meets the capability criteria");
    /// <summary><c>--stateless-calls-on-azure</c>.</summary>
    public Option<string?> StatelessCallsOnAzure { get; } = Tri("--stateless-calls-on-azure", "stateless calls of a collaboration are hosted in Azure");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Segment, AgiDeclared, AgiVerified, MicrosoftDeclined, ShippedOnAzureFirst, MeetsOpenWeightCriteria, StatelessCallsOnAzure })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Fills the facts of <paramref name="input"/> from the options given.</summary>
    public void Fill(ParseResult parsed, ScenarioInput input)
    {
        input.Segment = parsed.GetValue(Segment);
        input.AgiDeclaredOn = parsed.GetValue(AgiDeclared);
        input.AgiVerifiedOn = parsed.GetValue(AgiVerified);
        input.MicrosoftDeclined = ScenarioJson.ParseTri(parsed.GetValue(MicrosoftDeclined));
        input.ShippedOnAzureFirst = ScenarioJson.ParseTri(parsed.GetValue(ShippedOnAzureFirst));
        input.MeetsOpenWeightCriteria = ScenarioJson.ParseTri(parsed.GetValue(MeetsOpenWeightCriteria));
        input.StatelessCallsOnAzure = ScenarioJson.ParseTri(parsed.GetValue(StatelessCallsOnAzure));
    }

    /// <summary>The option that sets a fact, for error messages: <c>agiVerifiedOn</c> → <c>--agi-verified</c>.</summary>
    public static string OptionFor(string? field) => field switch
    {
        "product" or null => "--product",
        "cloud" => "--cloud",
        "date" => "--date",
        "segment" => "--segment",
        "agiDeclaredOn" => "--agi-declared",
        "agiVerifiedOn" => "--agi-verified",
        "microsoftDeclined" => "--microsoft-declined",
        "shippedOnAzureFirst" => "--shipped-on-azure-first",
        "meetsOpenWeightCriteria" => "--meets-open-weight-criteria",
        "statelessCallsOnAzure" => "--stateless-calls-on-azure",
        _ when field.StartsWith("product.", StringComparison.Ordinal) => "--product",
        _ => "--" + field,
    };

    private static Option<string?> Tri(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description + ": true, false or unknown" };
        option.AcceptOnlyFromAmong("true", "false", "unknown");
        return option;
    }
}
