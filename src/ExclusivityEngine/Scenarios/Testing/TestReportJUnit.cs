using System.Globalization;
using System.Text;
using System.Xml;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>
/// A run as JUnit XML: a test suite per file, a test case per scenario, an error case for a file that cannot be used.
/// Every string written passes through <see cref="Explanation.MarkupText.Clean"/>: names and messages come from test
/// files, and XML 1.0 cannot carry a control character.
/// </summary>
internal static class TestReportJUnit
{
    /// <summary>
    /// Writes the XML document to <paramref name="output"/> (UTF-8). A run in which no scenario ran (<paramref
    /// name="nothingRan"/> says why) exits 2, so its XML holds one error case: a CI reading only the XML must not see
    /// a green run.
    /// </summary>
    public static void Write(Stream output, TestRun run, string? nothingRan = null)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var w = XmlWriter.Create(output, settings);
        var errors = run.Unusable.Count + (nothingRan is null ? 0 : 1);
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", "exclusivity test");
        w.WriteAttributeString("tests", Number(run.Results.Count + errors));
        w.WriteAttributeString("failures", Number(run.Failed));
        w.WriteAttributeString("errors", Number(errors));
        if (nothingRan is not null)
        {
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", "exclusivity test");
            w.WriteAttributeString("tests", "1");
            w.WriteAttributeString("failures", "0");
            w.WriteAttributeString("errors", "1");
            w.WriteAttributeString("skipped", "0");
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", "exclusivity test");
            w.WriteAttributeString("name", "some scenario ran");
            w.WriteStartElement("error");
            w.WriteAttributeString("message", Explanation.MarkupText.Clean(nothingRan));
            w.WriteAttributeString("type", "no-scenario");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        foreach (var file in run.Files)
        {
            var results = run.Results.Where(r => r.Case.File == file.File).ToList();
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", Explanation.MarkupText.Clean(file.File));
            w.WriteAttributeString("tests", Number(file.Usable ? results.Count : 1));
            w.WriteAttributeString("failures", Number(results.Count(r => !r.Passed)));
            w.WriteAttributeString("errors", Number(file.Usable ? 0 : 1));
            w.WriteAttributeString("skipped", "0");
            if (!file.Usable)
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", Explanation.MarkupText.Clean(file.File));
                w.WriteAttributeString("name", "the file can be used");
                w.WriteStartElement("error");
                w.WriteAttributeString("message", Explanation.MarkupText.Clean(file.Problems[0].ToString()));
                w.WriteAttributeString("type", "unusable-file");
                w.WriteString(Explanation.MarkupText.Clean(string.Join("\n", file.Problems.Select(p => p.ToString()))));
                w.WriteEndElement();
                w.WriteEndElement();
            }
            foreach (var r in results)
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", Explanation.MarkupText.Clean(file.File));
                w.WriteAttributeString("name", Explanation.MarkupText.Clean(r.Case.Name));
                if (!r.Passed)
                {
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", Explanation.MarkupText.Clean(string.Join("; ", r.Mismatches.Select(m => $"{m.Path}: expected {m.Expected}, got {m.Actual}"))));
                    w.WriteAttributeString("type", "expectation");
                    var text = new StringBuilder();
                    TestReportText.Failure(text, r);
                    w.WriteString(Explanation.MarkupText.Clean(text.ToString()));
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
        w.Flush();
        output.Write("\n"u8); // a text file ends with a line end (`--junit -` in a terminal or a pipe)
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
