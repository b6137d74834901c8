using System.Text.Json;
using ExclusivityEngine.Model;
using ExclusivityEngine.Timeline;
using Microsoft.Playwright;

namespace ExclusivityEngine.Tests.Timeline;

/// <summary>
/// The page as a person sees it: rendered by Chromium (Debian's package, which .ci/run installs), then measured.
/// Every period must have its span on every cloud's row, where its dates put it on the time axis.
/// </summary>
[NonParallelizable]
public sealed class TimelinePageTests
{
    /// <summary>Where Chromium is looked for when <c>CHROMIUM_PATH</c> does not say: these names on <c>PATH</c>, in order.</summary>
    private static readonly string[] ChromiumNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public sealed record Box(string Cloud, string From, string To, string Permission, string Disputed, string Title, double X, double Y, double Width, double Height);

    public sealed record Frame(double X, double Y, double Width, double Height);

    public sealed record Boundary(string Version, string Effective, double X);

    public sealed record FactDate(string Fact, string Date, double X);

    public sealed record Rendered(Frame Frame, Box[] Spans, Box[] Blocked, Boundary[] Versions, FactDate[] FactDates, int Requests);

    private static readonly Engine Engine = Engine.LoadEmbedded();

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    [OneTimeSetUp]
    public async Task StartChromium()
    {
        var chromium = FindChromium(out var looked);
        Assert.That(chromium, Is.Not.Null,
            $"no Chromium found ({looked}): install it (Debian: apt-get install chromium; .ci/run does) or set CHROMIUM_PATH to its executable");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// The browser to render with: <c>CHROMIUM_PATH</c> when set (it must then exist), else the first of
    /// <see cref="ChromiumNames"/> found on <c>PATH</c>. <paramref name="looked"/> says where it looked, for the failure.
    /// </summary>
    internal static string? FindChromium(out string looked)
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } given)
        {
            looked = $"CHROMIUM_PATH is `{given}`, {(File.Exists(given) ? "which exists" : "which does not exist")}";
            return File.Exists(given) ? Path.GetFullPath(given) : null;
        }
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        looked = $"CHROMIUM_PATH is not set; none of {string.Join(", ", ChromiumNames)} is on PATH";
        return ChromiumNames
            .SelectMany(name => folders.Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name)))
            .FirstOrDefault(File.Exists);
    }

    [OneTimeTearDown]
    public async Task StopChromium()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    [TestCase("stateful-runtime", false, "2019-01-01", "2035-12-31")]
    [TestCase("frontier", null, "2025-09-01", "2026-12-31")]
    [TestCase("openai-api", null, "2019-01-01", "2035-12-31")]
    public async Task Page_RenderedInChromium_EveryPeriodHasItsSpanAtItsDates(string productId, bool? microsoftDeclined, string fromText, string toText)
    {
        var product = Engine.Rules.Catalogue.ProductsById[productId];
        var from = DateOnly.Parse(fromText, System.Globalization.CultureInfo.InvariantCulture);
        var to = DateOnly.Parse(toText, System.Globalization.CultureInfo.InvariantCulture);
        var facts = new Scenario(product, "azure", from, MicrosoftDeclined: microsoftDeclined, ShippedOnAzureFirst: product.ShippedOnAzureFirst,
            AgiDeclaredOn: productId == "openai-api" ? new DateOnly(2025, 12, 1) : null, AgiVerifiedOn: productId == "openai-api" ? new DateOnly(2026, 1, 15) : null);
        var timeline = Engine.Timeline(facts, from, to);

        var rendered = await Render(TimelineHtml.Render(timeline, Engine.Rules.Hash), $"{productId}-{fromText}");

        Assert.That(rendered.Requests, Is.Zero, "the page fetched something: it must be self-contained");
        var frame = rendered.Frame;
        Assert.That(frame.Width, Is.EqualTo(TimelineHtml.PlotWidth).Within(0.5), "the SVG is drawn at its own size");
        var totalDays = to.DayNumber - from.DayNumber + 1;
        double Left(DateOnly day) => frame.X + (double)(day.DayNumber - from.DayNumber) / totalDays * frame.Width;

        var clouds = Engine.Rules.Catalogue.Clouds.Select(c => c.Id).ToList();
        Assert.That(rendered.Spans, Has.Length.EqualTo(timeline.Periods.Count * clouds.Count), "one span per period and cloud");
        foreach (var period in timeline.Periods)
        {
            foreach (var verdict in period.Clouds)
            {
                var what = $"{verdict.Cloud.Id} {period.From:yyyy-MM-dd}..{period.To:yyyy-MM-dd}";
                var span = rendered.Spans.SingleOrDefault(s => s.Cloud == verdict.Cloud.Id && s.From == Day(period.From) && s.To == Day(period.To));
                Assert.That(span, Is.Not.Null, $"no span for {what}");
                Assert.That(span!.Permission, Is.EqualTo(verdict.Permission.ToString()), what);
                Assert.That(span.Disputed, Is.EqualTo(verdict.Disputed ? "true" : "false"), what);
                Assert.That(span.X, Is.EqualTo(Left(period.From)).Within(0.5), $"x of {what}");
                Assert.That(span.Width, Is.EqualTo((double)period.Days / totalDays * frame.Width).Within(0.5), $"width of {what}");
                Assert.That(span.Y, Is.GreaterThanOrEqualTo(frame.Y - 0.5).And.LessThanOrEqualTo(frame.Y + frame.Height - span.Height + 0.5), $"{what} lies in the plot");
                foreach (var clause in verdict.FirstDay.Decisive)
                {
                    Assert.That(span.Title, Does.Contain($"{clause.Row.Id}: {clause.Clause.Id}"), $"title of {what}");
                }
            }
        }

        // A row per cloud, in catalogue order, one above the other.
        var rows = clouds.Select(c => rendered.Spans.Where(s => s.Cloud == c).Select(s => s.Y).Distinct().ToList()).ToList();
        Assert.That(rows.Select(r => r.Count), Is.All.EqualTo(1), "every span of a cloud on one row");
        Assert.That(rows.Select(r => r[0]), Is.Ordered.Ascending.And.Unique);

        // Spans of a row tile the axis: each starts where the previous ends, the first at the frame's left edge, the last at its right.
        foreach (var cloud in clouds)
        {
            var row = rendered.Spans.Where(s => s.Cloud == cloud).OrderBy(s => s.X).ToList();
            Assert.That(row[0].X, Is.EqualTo(frame.X).Within(0.5));
            Assert.That(row[^1].X + row[^1].Width, Is.EqualTo(frame.X + frame.Width).Within(0.5));
            for (var i = 1; i < row.Count; i++)
            {
                Assert.That(row[i].X, Is.EqualTo(row[i - 1].X + row[i - 1].Width).Within(0.5), $"{cloud}: gap or overlap before {row[i].From}");
            }
        }

        var blocked = timeline.Periods.Where(p => p.Blocked).ToList();
        Assert.That(rendered.Blocked.Select(b => (b.From, b.To)), Is.EqualTo(blocked.Select(p => (Day(p.From), Day(p.To)))), "blocked periods marked");
        foreach (var (mark, period) in rendered.Blocked.Zip(blocked))
        {
            Assert.That(mark.X, Is.EqualTo(Left(period.From)).Within(0.5));
            Assert.That(mark.Width, Is.EqualTo((double)period.Days / totalDays * frame.Width).Within(0.5));
        }

        var versions = Engine.Rules.Versions.Where(v => v.Effective >= from && v.Effective <= to).ToList();
        Assert.That(rendered.Versions.Select(v => v.Version), Is.EquivalentTo(versions.Select(v => v.Id)), "version boundaries drawn");
        foreach (var v in versions)
        {
            Assert.That(rendered.Versions.Single(b => b.Version == v.Id).X, Is.EqualTo(Left(v.Effective)).Within(1), $"boundary of {v.Id}");
        }
        var agi = new[] { ("agiDeclaredOn", facts.AgiDeclaredOn), ("agiVerifiedOn", facts.AgiVerifiedOn) }.Where(a => a.Item2 is not null).ToList();
        Assert.That(rendered.FactDates.Select(d => (d.Fact, d.Date)), Is.EquivalentTo(agi.Select(a => (a.Item1, Day(a.Item2!.Value)))), "AGI dates drawn");
        foreach (var (fact, date) in agi)
        {
            Assert.That(rendered.FactDates.Single(d => d.Fact == fact).X, Is.EqualTo(Left(date!.Value)).Within(1), fact);
        }
    }

    [Test]
    public async Task Page_StatefulRuntimeMicrosoftDeclinedFalse_BlockedFromTheAmendment()
    {
        // By hand (agreements.md): from 2026-04-27 azure-first-ship is unmet off azure and AWS's exclusive hosting
        // forbids azure: every cloud Prohibited until the end of the range.
        var product = Engine.Rules.Catalogue.ProductsById["stateful-runtime"];
        var timeline = Engine.Timeline(new Scenario(product, "azure", TimelineBuilder.DefaultFrom, MicrosoftDeclined: false, ShippedOnAzureFirst: false),
            TimelineBuilder.DefaultFrom, TimelineBuilder.DefaultTo);

        var rendered = await Render(TimelineHtml.Render(timeline, Engine.Rules.Hash), "stateful-runtime-blocked");

        Assert.That(rendered.Blocked.Select(b => (b.From, b.To)), Is.EqualTo(new[] { ("2026-04-27", "2035-12-31") }));
        var azure = rendered.Spans.Single(s => s.Cloud == "azure" && s.From == "2026-04-27");
        Assert.That(azure.Permission, Is.EqualTo("Prohibited"));
        Assert.That(azure.Title, Does.Contain("aws-openai-2026-02: stateful-runtime-exclusive-hosting"));
        var aws = rendered.Spans.Single(s => s.Cloud == "aws" && s.From == "2026-04-27");
        Assert.That(aws.Title, Does.Contain("msft-openai-2026-04: azure-first-ship"));
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Rendered> Render(string html, string name)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "timeline-pages");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".html");
        await File.WriteAllTextAsync(path, html);

        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var requests = 0;
        await page.RouteAsync(url => !url.StartsWith("file:", StringComparison.Ordinal), async route =>
        {
            Interlocked.Increment(ref requests);
            await route.AbortAsync();
        });
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        var json = await page.EvaluateAsync<string>("""
            () => {
              const box = e => e.getBoundingClientRect();
              const f = box(document.querySelector('rect.plot-frame'));
              const item = r => { const b = box(r); const t = r.querySelector('title');
                return { cloud: r.getAttribute('data-cloud') ?? '', from: r.getAttribute('data-from'), to: r.getAttribute('data-to'),
                         permission: r.getAttribute('data-permission') ?? '', disputed: r.getAttribute('data-disputed') ?? '',
                         title: t ? t.textContent : '', x: b.x, y: b.y, width: b.width, height: b.height }; };
              return JSON.stringify({
                frame: { x: f.x, y: f.y, width: f.width, height: f.height },
                spans: [...document.querySelectorAll('rect.span')].map(item),
                blocked: [...document.querySelectorAll('rect.blocked')].map(item),
                versions: [...document.querySelectorAll('g.version')].map(g => ({ version: g.getAttribute('data-version'), effective: g.getAttribute('data-effective'), x: box(g.querySelector('line')).x })),
                factDates: [...document.querySelectorAll('g.fact-date')].map(g => ({ fact: g.getAttribute('data-fact'), date: g.getAttribute('data-date'), x: box(g.querySelector('line')).x })),
                requests: 0,
              });
            }
            """);
        var rendered = JsonSerializer.Deserialize<Rendered>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        TestContext.AddTestAttachment(Path.Combine(directory, name + ".png"));
        return rendered with { Requests = requests };
    }
}
