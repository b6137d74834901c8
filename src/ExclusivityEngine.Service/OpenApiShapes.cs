using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

// The shapes below exist only to describe the answers in /openapi/v1.json: the answers themselves are written by the
// library's writers (AssessmentJson, TimelineJson, QuestionsJson, VersionsJson, ValidationJson), never from these types.
namespace ExclusivityEngine.Service.Shapes;

[Description("One scenario, as a line of a batch (interface.md, \"Scenario input\"). A field that is none of these is refused with `invalid-fact`.")]
internal sealed class ScenarioShape
{
    [Description("Optional, any JSON value (null included); echoed back by the batch endpoint.")]
    public JsonElement Id { get; init; }
    [Description("A catalogue product id, or an inline product object {id, interface, origin, offeredBy, shippedOnAzureFirst?}.")]
    public JsonElement Product { get; init; }
    [Description("A catalogue cloud id: azure, aws, google-cloud, oracle, openai or other.")]
    public string Cloud { get; init; } = "";
    [Description("The date, yyyy-mm-dd.")]
    public string Date { get; init; } = "";
    [Description("general (the default) or us-national-security.")]
    public string? Segment { get; init; }
    [Description("Date AGI was declared; null: never.")]
    public string? AgiDeclaredOn { get; init; }
    [Description("Date the declaration was verified; null: never.")]
    public string? AgiVerifiedOn { get; init; }
    [Description("true, false, or null for unknown.")]
    public bool? MicrosoftDeclined { get; init; }
    [Description("true, false, or null for unknown; omitted: the product's default.")]
    public bool? ShippedOnAzureFirst { get; init; }
    [Description("true, false, or null for unknown.")]
    public bool? MeetsOpenWeightCriteria { get; init; }
    [Description("true, false, or null for unknown.")]
    public bool? StatelessCallsOnAzure { get; init; }
}

[Description("A clause with the version or reading (row) it comes from.")]
internal sealed class RowClauseShape
{
    public string Version { get; init; } = "";
    public string Clause { get; init; } = "";
    [Description("For conditions only: the facts of which one must be true.")]
    public string[]? AnyOf { get; init; }
}

[Description("The combined verdict over every version in force and every reading of those versions.")]
internal sealed class CombinedShape
{
    [Description("Permitted, Conditional or Prohibited.")]
    public string Permission { get; init; } = "";
    [Description("Readings of a version in force disagree.")]
    public bool Disputed { get; init; }
    public RowClauseShape[] Decisive { get; init; } = [];
    public RowClauseShape[] Conditions { get; init; } = [];
    public RowClauseShape[] Obligations { get; init; } = [];
}

[Description("One applicable clause of a row, overridden ones included, in rule-set order.")]
internal sealed class TraceShape
{
    public string Clause { get; init; } = "";
    [Description("forbid, permit, require, oblige or note.")]
    public string Effect { get; init; } = "";
    [Description("applied, overridden, met, unmet or unknown.")]
    public string Status { get; init; } = "";
    public string? OverriddenBy { get; init; }
    public string Source { get; init; } = "";
}

[Description("A clause of the row itself.")]
internal sealed class ClauseShape
{
    public string Clause { get; init; } = "";
    public string[]? AnyOf { get; init; }
}

[Description("One version's or reading's verdict; how much it carries depends on the detail asked for.")]
internal sealed class RowShape
{
    public bool? InForce { get; init; }
    public string Permission { get; init; } = "";
    public string[]? Decisive { get; init; }
    public ClauseShape[]? Conditions { get; init; }
    public ClauseShape[]? Obligations { get; init; }
    public TraceShape[]? Trace { get; init; }
}

[Description("The assessment of one scenario, exactly as `evaluate --format json` writes it.")]
internal sealed class AssessmentShape
{
    [Description("The normalised scenario: every fact under its input name, defaults applied, unknown as null.")]
    public ScenarioShape Scenario { get; init; } = new();
    [Description("The rule set that answered: sha256 of the rule files.")]
    public string RuleSet { get; init; } = "";
    public string[] InForce { get; init; } = [];
    public CombinedShape Combined { get; init; } = new();
    [Description("Every version and reading, in force or not.")]
    public Dictionary<string, RowShape> Versions { get; init; } = [];
}

[Description("One answer line of a batch, exactly as `batch` writes it: an assessment, or the line's error in its place.")]
internal sealed class BatchLineShape
{
    // Not JsonElement?: that is described as oneOf [null, any], which null matches twice, so no line with "id": null
    // was valid (found by an adversarial run).
    [Description("The input line's id as written, any JSON value; null when it had none or it could not be read.")]
    public JsonElement Id { get; init; }
    [Description("The 1-based line of the input.")]
    public long Line { get; init; }
    public string[]? InForce { get; init; }
    public CombinedShape? Combined { get; init; }
    public Dictionary<string, RowShape>? Versions { get; init; }
    public ErrorDetailShape? Error { get; init; }
}

[Description("A cloud's combined verdict over a period.")]
internal sealed class CloudVerdictShape
{
    public string Permission { get; init; } = "";
    public bool Disputed { get; init; }
    [Description("The combined verdict's decisive clauses on the period's first day.")]
    public RowClauseShape[] Decisive { get; init; } = [];
}

[Description("A maximal period over which no cloud's verdict changes.")]
internal sealed class PeriodShape
{
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    [Description("No cloud is Permitted or Conditional.")]
    public bool Blocked { get; init; }
    public bool Disputed { get; init; }
    public Dictionary<string, CloudVerdictShape> Clouds { get; init; } = [];
}

[Description("A version taking effect in the range.")]
internal sealed class VersionEffectShape
{
    public string Version { get; init; } = "";
    public string Track { get; init; } = "";
    public string Effective { get; init; } = "";
}

[Description("A product's timeline, exactly as `timeline --format json` writes it.")]
internal sealed class TimelineShape
{
    public string Product { get; init; } = "";
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    [Description("The normalised facts (as evaluate echoes them, without cloud and date).")]
    public Dictionary<string, JsonElement> Facts { get; init; } = [];
    public string RuleSet { get; init; } = "";
    public VersionEffectShape[] Versions { get; init; } = [];
    public PeriodShape[] Periods { get; init; } = [];
}

[Description("A minimal change of facts and the verdict it gives.")]
internal sealed class ChangeShape
{
    [Description("The facts changed, under their scenario names; empty when the verdict already reaches the target.")]
    public Dictionary<string, JsonElement> Set { get; init; } = [];
    public string Verdict { get; init; } = "";
    [Description("Decisive clause ids by version or reading.")]
    public Dictionary<string, string[]> Decisive { get; init; } = [];
}

[Description("Where the verdict reaches the target when no change of facts does.")]
internal sealed class ElsewhereShape
{
    public string[] Clouds { get; init; } = [];
    public string? Earlier { get; init; }
    public string? Later { get; init; }
}

[Description("The minimal changes of facts that reach the target, exactly as `why-not --format json` writes them.")]
internal sealed class WhyNotShape
{
    public ScenarioShape Scenario { get; init; } = new();
    public string RuleSet { get; init; } = "";
    public string Verdict { get; init; } = "";
    public string Want { get; init; } = "";
    public ChangeShape[] Changes { get; init; } = [];
    public ElsewhereShape? Elsewhere { get; init; }
}

[Description("A reading of a version.")]
internal sealed class ReadingShape
{
    [Description("version@reading")]
    public string Id { get; init; } = "";
    public string Reading { get; init; } = "";
    public string Title { get; init; } = "";
    public string Source { get; init; } = "";
    public int Clauses { get; init; }
}

[Description("An agreement version.")]
internal sealed class VersionShape
{
    public string Id { get; init; } = "";
    public string Track { get; init; } = "";
    public string Effective { get; init; } = "";
    public string Title { get; init; } = "";
    public int Clauses { get; init; }
    public ReadingShape[] Readings { get; init; } = [];
}

[Description("The versions table, exactly as `versions --format json` writes it.")]
internal sealed class VersionsShape
{
    public string RuleSet { get; init; } = "";
    public VersionShape[] Versions { get; init; } = [];
}

[Description("What went wrong: a stable code, one sentence, and the field where there is one.")]
internal sealed class ErrorDetailShape
{
    [Description("invalid-json, missing-field, unknown-product, unknown-cloud, invalid-date, invalid-fact, invalid-product, inconsistent-facts, invalid-query, payload-too-large, unsupported-media-type, not-found, method-not-allowed, unauthorized, invalid-rule-set, not-ready, timeout, busy, bad-request, internal-error.")]
    public string Code { get; init; } = "";
    public string Message { get; init; } = "";
    public string? Field { get; init; }
}

[Description("An error answer.")]
internal sealed class ErrorShape
{
    public ErrorDetailShape Error { get; init; } = new();
}

[Description("A problem of a rule set, as `validate --format json` reports it.")]
internal sealed class ProblemShape
{
    public string Code { get; init; } = "";
    public string Message { get; init; } = "";
    public string? File { get; init; }
    [Description("1-based; null for a problem with no place inside a file (a missing file, an unreadable folder).")]
    public int? Line { get; init; }
    [Description("1-based; null where the line is.")]
    public int? Column { get; init; }
    public string? Clause { get; init; }
    public string? Field { get; init; }
}

[Description("A reload refused: the new rule set's problems; the old rule set keeps answering.")]
internal sealed class ReloadRefusedShape
{
    public ErrorDetailShape Error { get; init; } = new();
    public ProblemShape[] Problems { get; init; } = [];
}

[Description("The rule set answering after a reload.")]
internal sealed class ReloadedShape
{
    public string RuleSet { get; init; } = "";
}

[Description("Liveness or readiness.")]
internal sealed class HealthShape
{
    [Description("alive, ready")]
    public string Status { get; init; } = "";
    public string? RuleSet { get; init; }
}

/// <summary>
/// The shapes' serializer metadata, generated when the service is compiled: /openapi/v1.json describes them from it
/// rather than by reflection, which a native build cannot do for their optional values (generic types over value types
/// made at run time).
/// </summary>
[JsonSerializable(typeof(ScenarioShape))]
[JsonSerializable(typeof(AssessmentShape))]
[JsonSerializable(typeof(BatchLineShape))]
[JsonSerializable(typeof(TimelineShape))]
[JsonSerializable(typeof(WhyNotShape))]
[JsonSerializable(typeof(VersionsShape))]
[JsonSerializable(typeof(ErrorShape))]
[JsonSerializable(typeof(ReloadRefusedShape))]
[JsonSerializable(typeof(ReloadedShape))]
[JsonSerializable(typeof(HealthShape))]
internal sealed partial class ShapesJson : JsonSerializerContext;
