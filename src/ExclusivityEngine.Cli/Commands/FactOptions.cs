using System.CommandLine;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// The fact options of <c>evaluate</c> (and of every command that takes a scenario's facts): one option per optional
/// fact of <see cref="Facts.All"/>, named, described and restricted as the declaration says.
/// </summary>
public sealed class FactOptions
{
    private readonly List<(Fact Fact, Option<string?> Option)> _options = [.. Facts.Optional.Select(f => (f, Create(f)))];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Fills the facts of <paramref name="input"/> from the options given.</summary>
    public void Fill(ParseResult parsed, ScenarioInput input)
    {
        foreach (var (fact, option) in _options)
        {
            var value = parsed.GetValue(option);
            if (fact.Kind == FactKind.TriState)
            {
                input.Set(fact, ScenarioJson.ParseTri(value));
            }
            else
            {
                input.Set(fact, value);
            }
        }
    }

    /// <summary>The option that sets a fact, for error messages: <c>agiVerifiedOn</c> → <c>--agi-verified</c>.</summary>
    public static string OptionFor(string? field) =>
        field is null ? "--product"
        : Facts.TryGet(field, out var fact) ? fact.Option
        : field.StartsWith("product.", StringComparison.Ordinal) ? "--product"
        : "--" + field;

    private static Option<string?> Create(Fact fact)
    {
        // One default each, written as System.CommandLine writes its own ([default: X]): these have no default value
        // of their own, since an omitted fact must stay omitted (the product's default, "never", unknown).
        var option = new Option<string?>(fact.Option) { Description = $"{fact.Description} [default: {fact.DefaultText}]" };
        switch (fact.Kind)
        {
            case FactKind.Choice:
                // Checked with the scenario, so the error names the option and lists the values.
                option.HelpName = string.Join('|', fact.Choices);
                option.CompletionSources.Add([.. fact.Choices]);
                break;
            case FactKind.Occurrence:
                option.HelpName = "DATE";
                break;
            default:
                option.AcceptOnlyFromAmong("true", "false", "unknown");
                break;
        }
        return option;
    }
}
