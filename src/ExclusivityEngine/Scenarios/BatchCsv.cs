using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CsvHelper;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>How batch answers are written.</summary>
public enum BatchOutput
{
    /// <summary>One assessment (or error) as a JSON object per line, at the chosen <see cref="Detail"/>.</summary>
    JsonLines,
    /// <summary>
    /// The summary as CSV for spreadsheets: a header row, then one record per non-blank input line, in order:
    /// <c>id, line, permission, disputed, decisive, inForce</c>, one column per version and reading (its permission),
    /// then <c>error, message</c>, filled only on a rejected line (whose verdict columns are empty).
    /// </summary>
    Csv,
}

/// <summary>Writes batch answers as CSV records (CsvHelper), one per answered line; the verdict columns of a class are built once.</summary>
internal sealed class BatchCsv(RuleSet rules)
{
    // LF like every other output of the tool; a cell that starts like a formula (=, +, -, @) gets a leading ' so that a
    // spreadsheet shows it as text and never runs it (ids and error messages come from the input).
    internal static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape };

    private readonly ConditionalWeakTable<CombinedVerdict, string[]> _verdictFields = [];

    /// <summary>The header row's columns.</summary>
    public IReadOnlyList<string> Header =>
        ["id", "line", "permission", "disputed", "decisive", "inForce", .. rules.Rows.Select(r => r.Id), "error", "message"];

    /// <summary>The header row, as bytes.</summary>
    public byte[] HeaderBytes()
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            foreach (var column in Header)
            {
                csv.WriteField(column);
            }
            csv.EndRecord();
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A writer for one block's records.</summary>
    public static CsvWriter Open(TextWriter text) => CsvWriter.Create(text, Options, leaveOpen: true);

    /// <summary>An assessed line: its id, line, and the verdict's columns (the same for every line of a class).</summary>
    public void WriteAssessment(CsvWriter csv, long line, ReadOnlySpan<byte> id, IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows, bool shared)
    {
        csv.WriteField(IdText(id));
        csv.WriteField(line.ToString(CultureInfo.InvariantCulture));
        var fields = shared ? _verdictFields.GetValue(combined, _ => VerdictFields(inForce, combined, rows)) : VerdictFields(inForce, combined, rows);
        foreach (var field in fields)
        {
            csv.WriteField(field);
        }
        csv.WriteField("");
        csv.WriteField("");
        csv.EndRecord();
    }

    /// <summary>A rejected line: its id and line, empty verdict columns, the error's code and message.</summary>
    public void WriteError(CsvWriter csv, long line, ReadOnlySpan<byte> id, ScenarioError error)
    {
        csv.WriteField(IdText(id));
        csv.WriteField(line.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < 4 + rules.Rows.Count; i++)
        {
            csv.WriteField("");
        }
        csv.WriteField(error.Code);
        csv.WriteField(error.MessageNamingField);
        csv.EndRecord();
    }

    private static string[] VerdictFields(IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows) =>
    [
        AssessmentJson.Name(combined.Permission),
        combined.Disputed ? "true" : "false",
        string.Join(' ', combined.Decisive.Select(d => $"{d.Row.Id}:{d.Clause.Id}")),
        string.Join(' ', inForce.Select(v => v.Id)),
        .. rows.Select(r => AssessmentJson.Name(r.Permission)),
    ];

    /// <summary>The id as a cell: a JSON string's text, any other JSON value as written, nothing when absent.</summary>
    private static string IdText(ReadOnlySpan<byte> id)
    {
        if (id.IsEmpty)
        {
            return "";
        }
        var reader = new Utf8JsonReader(id);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.TokenType == JsonTokenType.Null ? "" : Encoding.UTF8.GetString(id);
    }
}
