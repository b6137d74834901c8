using System.Globalization;
using System.Net;
using System.Text;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Timeline;

/// <summary>
/// A timeline as one self-contained HTML page (no external scripts, styles or fonts): an inline SVG with a row per
/// cloud and a span per period, coloured by permission, disputed spans hatched, blocked periods framed, versions
/// taking effect drawn and labelled, a legend; then the same periods as a table.
/// </summary>
public static class TimelineHtml
{
    /// <summary>The SVG's width in CSS pixels.</summary>
    public const double Width = 1200;

    /// <summary>Where the time axis starts, in SVG units from the left (room for the clouds' names).</summary>
    public const double PlotLeft = 150;

    /// <summary>The time axis' length: the range's first day starts at <see cref="PlotLeft"/>, its last day ends here.</summary>
    public const double PlotWidth = 1010;

    private const double RowHeight = 26;
    private const double RowGap = 8;
    private const double LaneHeight = 16;
    private const double CharWidth = 6.4;

    private static readonly Dictionary<Permission, (string Fill, string Ink, string Css)> Colours = new()
    {
        [Permission.Permitted] = ("#3a9d5d", "#ffffff", "permitted"),
        [Permission.Conditional] = ("#e3a72f", "#222222", "conditional"),
        [Permission.Prohibited] = ("#c8423b", "#ffffff", "prohibited"),
    };

    /// <summary>Renders the page.</summary>
    public static string Render(ProductTimeline timeline, string ruleSetHash)
    {
        var s = timeline.Facts;
        var product = s.Product.IsInline ? $"{s.Product.Id} (inline: {s.Product.Interface}, {s.Product.Origin}, offered by {s.Product.OfferedBy})" : s.Product.Id;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{E(s.Product.Id)}: timeline {TimelineJson.Day(timeline.From)} to {TimelineJson.Day(timeline.To)}</title>\n");
        html.Append("""
            <style>
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px; }
            h1 { font-size: 20px; margin: 0 0 4px; }
            h2 { font-size: 16px; margin: 24px 0 8px; }
            p.facts { color: #555; margin: 0 0 12px; }
            p.rules { color: #555; margin: 12px 0 0; }
            svg { display: block; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
            svg text { font-size: 11px; fill: #333; }
            svg .cloud-label { font-size: 13px; font-weight: 600; fill: #222; }
            svg .span-label { font-size: 11px; pointer-events: none; }
            svg .marker-label { font-size: 11px; }
            svg .axis-label { fill: #666; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; }
            th { background: #f2f2f2; }
            td.permitted { background: #d5eedd; }
            td.conditional { background: #fbeccb; }
            td.prohibited { background: #f6d3d0; }
            td.disputed { background-image: repeating-linear-gradient(45deg, transparent 0 5px, rgba(255,255,255,.75) 5px 8px); font-style: italic; }
            </style>

            """);
        html.Append("</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(product)} on every cloud, {TimelineJson.Day(timeline.From)} to {TimelineJson.Day(timeline.To)}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"facts\">Facts: {E(AssessmentText.FactsWritten(s))}</p>\n");
        WriteSvg(html, timeline);
        WriteTable(html, timeline);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"rules\">Rule set: {E(ruleSetHash)}</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteSvg(StringBuilder svg, ProductTimeline t)
    {
        var clouds = t.Periods[0].Clouds.Select(c => c.Cloud).ToList();
        var totalDays = t.To.DayNumber - t.From.DayNumber + 1;
        double X(DateOnly day) => PlotLeft + (double)(day.DayNumber - t.From.DayNumber) * PlotWidth / totalDays;
        double XEnd(DateOnly lastDay) => PlotLeft + (double)(lastDay.DayNumber - t.From.DayNumber + 1) * PlotWidth / totalDays;

        var labels = PlaceMarkers(t, X);
        var lanes = labels.Count == 0 ? 0 : labels.Max(l => l.Lane) + 1;
        var axisTop = 10 + lanes * LaneHeight;
        var rowsTop = axisTop + 22;
        var rowsBottom = rowsTop + clouds.Count * (RowHeight + RowGap) - RowGap;
        var blockedTop = rowsBottom + 12;
        var legendTop = blockedTop + 18 + 26;
        var height = legendTop + 24;

        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(Width)} {F(height)}\" role=\"img\" aria-label=\"{E(t.Facts.Product.Id)} by cloud and date\" data-from=\"{TimelineJson.Day(t.From)}\" data-to=\"{TimelineJson.Day(t.To)}\">\n");
        svg.Append("<defs>\n");
        foreach (var (permission, (fill, _, css)) in Colours)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<pattern id=\"disputed-{css}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"{fill}\"/><rect width=\"3\" height=\"8\" fill=\"#ffffff\" fill-opacity=\"0.6\"/></pattern>\n");
        }
        svg.Append("</defs>\n");

        // The plot area: the range's first day starts at its left edge, its last day ends at its right edge.
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"plot-frame\" x=\"{F(PlotLeft)}\" y=\"{F(rowsTop)}\" width=\"{F(PlotWidth)}\" height=\"{F(rowsBottom - rowsTop)}\" fill=\"#f4f4f4\"/>\n");

        WriteAxis(svg, t, X, axisTop, rowsBottom);

        for (var i = 0; i < clouds.Count; i++)
        {
            var y = rowsTop + i * (RowHeight + RowGap);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"cloud-label\" x=\"{F(PlotLeft - 10)}\" y=\"{F(y + RowHeight / 2 + 4)}\" text-anchor=\"end\">{E(clouds[i].Id)}<title>{E(clouds[i].Name)}</title></text>\n");
            foreach (var p in t.Periods)
            {
                var c = p.Clouds[i];
                var (fill, ink, css) = Colours[c.Permission];
                var x = X(p.From);
                var w = XEnd(p.To) - x;
                var paint = c.Disputed ? $"url(#disputed-{css})" : fill;
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"span {css}{(c.Disputed ? " disputed" : "")}\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(RowHeight)}\" fill=\"{paint}\" data-cloud=\"{E(c.Cloud.Id)}\" data-from=\"{TimelineJson.Day(p.From)}\" data-to=\"{TimelineJson.Day(p.To)}\" data-permission=\"{AssessmentJson.Name(c.Permission)}\" data-disputed=\"{(c.Disputed ? "true" : "false")}\"><title>{E(Title(c, p))}</title></rect>\n");
                var label = AssessmentJson.Name(c.Permission) + (c.Disputed ? ", disputed" : "");
                if (label.Length * CharWidth + 8 > w)
                {
                    label = AssessmentJson.Name(c.Permission);
                }
                if (label.Length * CharWidth + 8 <= w)
                {
                    // On hatching, a dark halo keeps the words readable.
                    var style = c.Disputed ? $"fill:#ffffff;stroke:{Halo(c.Permission)};stroke-width:3px;paint-order:stroke;font-weight:600" : $"fill:{ink}";
                    svg.Append(CultureInfo.InvariantCulture, $"<text class=\"span-label\" x=\"{F(x + w / 2)}\" y=\"{F(y + RowHeight / 2 + 4)}\" text-anchor=\"middle\" style=\"{style}\">{E(label)}</text>\n");
                }
            }
        }

        // Where one period ends and the next starts, across every row, so that periods read as columns.
        foreach (var p in t.Periods.Skip(1))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"period-edge\" x1=\"{F(X(p.From))}\" x2=\"{F(X(p.From))}\" y1=\"{F(rowsTop)}\" y2=\"{F(rowsBottom)}\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"cloud-label\" x=\"{F(PlotLeft - 10)}\" y=\"{F(blockedTop + 13)}\" text-anchor=\"end\">blocked</text>\n");
        if (!t.Periods.Any(p => p.Blocked))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(PlotLeft + 4)}\" y=\"{F(blockedTop + 13)}\" style=\"fill:#777777\" font-style=\"italic\">never: on every day some cloud is Permitted or Conditional</text>\n");
        }
        foreach (var p in t.Periods.Where(p => p.Blocked))
        {
            var x = X(p.From);
            var w = XEnd(p.To) - x;
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"blocked-frame\" x=\"{F(x)}\" y=\"{F(rowsTop - 3)}\" width=\"{F(w)}\" height=\"{F(rowsBottom - rowsTop + 6)}\" fill=\"none\" stroke=\"#111111\" stroke-width=\"2\" pointer-events=\"none\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"blocked\" x=\"{F(x)}\" y=\"{F(blockedTop)}\" width=\"{F(w)}\" height=\"18\" fill=\"#111111\" data-from=\"{TimelineJson.Day(p.From)}\" data-to=\"{TimelineJson.Day(p.To)}\"><title>{TimelineJson.Day(p.From)} to {TimelineJson.Day(p.To)}: blocked, no cloud is Permitted or Conditional (the agreements in force cannot all be kept)</title></rect>\n");
            const string text = "BLOCKED: no cloud allowed";
            var shown = text.Length * CharWidth + 8 <= w ? text : "BLOCKED".Length * CharWidth + 8 <= w ? "BLOCKED" : null;
            if (shown is not null)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"span-label\" x=\"{F(x + w / 2)}\" y=\"{F(blockedTop + 13)}\" text-anchor=\"middle\" style=\"fill:#ffffff\" font-weight=\"600\">{shown}</text>\n");
            }
        }

        foreach (var l in labels)
        {
            var x = X(l.Date);
            var labelY = 10 + l.Lane * LaneHeight + 11;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{l.Css}\" {l.Data}>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(labelY - 10)}\" y2=\"{F(rowsBottom + 4)}\" stroke=\"{l.Colour}\" stroke-width=\"1.5\" stroke-dasharray=\"{(l.Css == "version" ? "4 3" : "1 2")}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"marker-label\" x=\"{F(l.AnchorEnd ? x - 4 : x + 4)}\" y=\"{F(labelY)}\" text-anchor=\"{(l.AnchorEnd ? "end" : "start")}\" style=\"fill:{l.Colour}\">{E(l.Text)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{E(l.Title)}</title></g>\n");
        }

        WriteLegend(svg, legendTop, labels.Any(l => l.Css == "fact-date"));
        svg.Append("</svg>\n");
    }

    private static void WriteAxis(StringBuilder svg, ProductTimeline t, Func<DateOnly, double> x, double axisTop, double rowsBottom)
    {
        // Ticks on first days of months, every `step` months, the smallest step that leaves room for a label.
        var totalDays = t.To.DayNumber - t.From.DayNumber + 1;
        var pxPerMonth = PlotWidth / totalDays * 30.44;
        int[] steps = [1, 3, 6, 12, 24, 60, 120, 240, 600, 1200];
        var step = steps.FirstOrDefault(m => m * pxPerMonth >= (m >= 12 ? 34 : 52), 2400);
        var firstMonth = t.From.Year * 12 + t.From.Month - 1 + (t.From.Day > 1 ? 1 : 0);
        for (var m = (firstMonth + step - 1) / step * step; m / 12 <= 9999; m += step)
        {
            var month = new DateOnly(m / 12, m % 12 + 1, 1);
            if (month > t.To)
            {
                break;
            }
            var at = x(month);
            var label = step >= 12 ? month.Year.ToString(CultureInfo.InvariantCulture) : month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"tick\" x1=\"{F(at)}\" x2=\"{F(at)}\" y1=\"{F(axisTop + 14)}\" y2=\"{F(rowsBottom)}\" stroke=\"#c8c8c8\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-label\" x=\"{F(at)}\" y=\"{F(axisTop + 11)}\" text-anchor=\"middle\" data-date=\"{TimelineJson.Day(month)}\">{label}</text>\n");
        }
    }

    private static void WriteLegend(StringBuilder svg, double top, bool factDates)
    {
        var x = PlotLeft;
        void Swatch(string paint, string text, string? stroke = null)
        {
            var outline = stroke is null ? "" : $" stroke=\"{stroke}\" stroke-width=\"2\"";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(top)}\" width=\"22\" height=\"14\" fill=\"{paint}\"{outline}/><text x=\"{F(x + 28)}\" y=\"{F(top + 11)}\">{E(text)}</text>\n");
            x += 28 + text.Length * 5.9 + 18;
        }
        svg.Append("<g class=\"legend\">\n");
        Swatch(Colours[Permission.Permitted].Fill, "Permitted");
        Swatch(Colours[Permission.Conditional].Fill, "Conditional (if a condition holds)");
        Swatch(Colours[Permission.Prohibited].Fill, "Prohibited");
        Swatch("url(#disputed-prohibited)", "disputed (readings disagree)");
        Swatch("none", "blocked: no cloud allowed", "#111111");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(top - 2)}\" y2=\"{F(top + 16)}\" stroke=\"#1f3f8f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/><text x=\"{F(x + 6)}\" y=\"{F(top + 11)}\">version takes effect</text>\n");
        if (factDates)
        {
            x += 6 + "version takes effect".Length * 5.9 + 18;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(top - 2)}\" y2=\"{F(top + 16)}\" stroke=\"#7b2d8e\" stroke-width=\"1.5\" stroke-dasharray=\"1 2\"/><text x=\"{F(x + 6)}\" y=\"{F(top + 11)}\">AGI date</text>\n");
        }
        svg.Append("</g>\n");
    }

    private sealed record Marker(DateOnly Date, string Text, string Title, string Css, string Data, string Colour, int Lane = 0, bool AnchorEnd = false);

    /// <summary>
    /// The dates drawn as lines: versions taking effect and the AGI dates of the facts, each label in the first lane
    /// where it overlaps no other (versions often take effect weeks apart).
    /// </summary>
    private static List<Marker> PlaceMarkers(ProductTimeline t, Func<DateOnly, double> x)
    {
        var markers = t.VersionsTakingEffect
            .Select(v => new Marker(v.Effective, $"{v.Id} · {TimelineJson.Day(v.Effective)}", $"{v.Id} ({v.Track}) takes effect {TimelineJson.Day(v.Effective)}: {v.Title}",
                "version", $"data-version=\"{E(v.Id)}\" data-effective=\"{TimelineJson.Day(v.Effective)}\"", "#1f3f8f"))
            .ToList();
        foreach (var (fact, date, words) in new[] { (Model.Facts.AgiDeclaredOn, t.Facts.AgiDeclaredOn, "AGI declared"), (Model.Facts.AgiVerifiedOn, t.Facts.AgiVerifiedOn, "AGI verified") })
        {
            if (date is { } d && d >= t.From && d <= t.To)
            {
                markers.Add(new Marker(d, $"{words} · {TimelineJson.Day(d)}", $"{words} on {TimelineJson.Day(d)} (fact {fact})", "fact-date", $"data-fact=\"{fact}\" data-date=\"{TimelineJson.Day(d)}\"", "#7b2d8e"));
            }
        }

        var placed = new List<(Marker Marker, double Left, double Right)>();
        foreach (var m in markers.OrderBy(m => m.Date))
        {
            var at = x(m.Date);
            var width = m.Text.Length * CharWidth;
            var anchorEnd = at + 4 + width > Width - 4;
            var (left, right) = anchorEnd ? (at - 4 - width, at) : (at, at + 4 + width);
            var lane = 0;
            while (placed.Any(p => p.Marker.Lane == lane && p.Left < right + 8 && left < p.Right + 8))
            {
                lane++;
            }
            placed.Add((m with { Lane = lane, AnchorEnd = anchorEnd }, left, right));
        }
        return [.. placed.Select(p => p.Marker)];
    }

    private static void WriteTable(StringBuilder html, ProductTimeline t)
    {
        html.Append("<h2>Periods</h2>\n<table>\n<thead><tr><th>from</th><th>to</th>");
        foreach (var c in t.Periods[0].Clouds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(c.Cloud.Id)}</th>");
        }
        html.Append("<th>flags</th></tr></thead>\n<tbody>\n");
        foreach (var p in t.Periods)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{TimelineJson.Day(p.From)}</td><td>{TimelineJson.Day(p.To)}</td>");
            foreach (var c in p.Clouds)
            {
                var css = Colours[c.Permission].Css + (c.Disputed ? " disputed" : "");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"{css}\" title=\"{E(Title(c, p))}\">{AssessmentJson.Name(c.Permission)}{(c.Disputed ? " (disputed)" : "")}</td>");
            }
            var flags = string.Join(", ", new[] { p.Blocked ? "blocked" : null, p.Disputed ? "disputed" : null }.OfType<string>());
            html.Append(CultureInfo.InvariantCulture, $"<td>{flags}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>The span's title: its cloud, dates and verdict, and the combined verdict's decisive clauses on its first day.</summary>
    internal static string Title(CloudVerdict c, TimelinePeriod p)
    {
        var title = new StringBuilder();
        title.Append(CultureInfo.InvariantCulture, $"{c.Cloud.Id}, {TimelineJson.Day(p.From)} to {TimelineJson.Day(p.To)}: {AssessmentJson.Name(c.Permission)}");
        if (c.Disputed)
        {
            title.Append(" (disputed: readings of a version in force disagree)");
        }
        var decisive = c.FirstDay.Decisive;
        if (decisive.Count == 0)
        {
            title.Append(CultureInfo.InvariantCulture, $"\ndecisive on {TimelineJson.Day(p.From)}: none (no clause in force restricts it)");
        }
        else
        {
            title.Append(CultureInfo.InvariantCulture, $"\ndecisive on {TimelineJson.Day(p.From)}:");
            foreach (var d in decisive)
            {
                title.Append(CultureInfo.InvariantCulture, $"\n  {d.Row.Id}: {d.Clause.Id} ({AssessmentJson.Name(d.Clause.Effect)})");
            }
        }
        return title.ToString();
    }

    private static string Halo(Permission permission) => permission switch
    {
        Permission.Permitted => "#1d5a33",
        Permission.Conditional => "#7a5300",
        _ => "#6b1612",
    };

    private static string F(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Escaped for HTML, with characters markup cannot carry (controls, lone surrogates) written visibly.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(MarkupText.Clean(text));
}
