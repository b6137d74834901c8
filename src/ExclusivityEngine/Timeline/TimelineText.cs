using System.Globalization;
using System.Text;
using ExclusivityEngine.Explanation;

namespace ExclusivityEngine.Timeline;

/// <summary>A timeline as text for people: a table of periods with the clouds as columns.</summary>
public static class TimelineText
{
    /// <summary>Renders the table, the versions taking effect, and a key to the marks.</summary>
    public static string Render(ProductTimeline timeline, string ruleSetHash)
    {
        var s = timeline.Facts;
        var text = new StringBuilder();
        var product = AssessmentText.ProductName(s.Product);
        text.Append(CultureInfo.InvariantCulture, $"{product}, {TimelineJson.Day(timeline.From)} to {TimelineJson.Day(timeline.To)} ({AssessmentText.FactsWritten(s)})\n\n");

        var clouds = timeline.Periods[0].Clouds.Select(c => c.Cloud.Id).ToList();
        var widths = clouds.Select(c => Math.Max(c.Length, "Conditional*".Length)).ToList();
        var header = new StringBuilder($"{"from",-10}  {"to",-10}");
        for (var i = 0; i < clouds.Count; i++)
        {
            header.Append("  ").Append(clouds[i].PadRight(widths[i]));
        }
        header.Append("  flags");
        text.Append(header.ToString().TrimEnd()).Append('\n');
        text.Append(new string('-', header.Length)).Append('\n');
        foreach (var p in timeline.Periods)
        {
            var line = new StringBuilder($"{TimelineJson.Day(p.From)}  {TimelineJson.Day(p.To)}");
            for (var i = 0; i < clouds.Count; i++)
            {
                var c = p.Clouds[i];
                var cell = AssessmentJson.Name(c.Permission) + (c.Disputed ? "*" : "");
                line.Append("  ").Append(cell.PadRight(widths[i]));
            }
            var flags = new List<string>();
            if (p.Blocked)
            {
                flags.Add("BLOCKED");
            }
            if (p.Disputed)
            {
                flags.Add("disputed");
            }
            line.Append("  ").Append(string.Join(", ", flags));
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        text.Append("\n* disputed: readings of a version in force disagree (the strictest reading is shown)\n");
        text.Append("BLOCKED: no cloud is Permitted or Conditional (the agreements in force cannot all be kept)\n");
        if (timeline.VersionsTakingEffect.Count > 0)
        {
            text.Append("\nVersions taking effect:\n");
            foreach (var v in timeline.VersionsTakingEffect)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {TimelineJson.Day(v.Effective)}  {v.Id} ({v.Track}): {v.Title}\n");
            }
        }
        text.Append(CultureInfo.InvariantCulture, $"\nRule set: {ruleSetHash}\n");
        return text.ToString();
    }
}
