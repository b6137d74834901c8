using System.Text;
using ExclusivityEngine.Tests.Service;

namespace ExclusivityEngine.Tests.Packaging;

/// <summary>
/// The native build (README, "Native build"): published once, ahead of time, from a copy of the repository's sources,
/// then every command of a matrix is run both by it and by the CLI these tests were built with (as a process, on the
/// .NET runtime), and the two must answer byte for byte alike: exit code, standard output and standard error. The
/// matrix reaches what a native build can break (reflection the trimmer removed, generic types made at run time):
/// conditions over dates, strings and optional facts, rule files and scenario test files read by Newtonsoft.Json and
/// checked by NJsonSchema, refused rule sets, JSON Lines and CSV batches with bad lines, the revenue schedule, every
/// question, and the service.
/// </summary>
[NonParallelizable]
[Category("Native")]
public sealed class NativeBuildTests
{
    private string _work = "";
    private string _native = "";
    private string _reference = "";

    [OneTimeSetUp]
    public void Publish()
    {
        _work = Directory.CreateTempSubdirectory("exclusivity-native-").FullName;
        // A copy, so that publishing never rewrites an assembly these tests have loaded (the build's outputs left out).
        var sources = Directory.CreateDirectory(Path.Combine(_work, "repo")).FullName;
        foreach (var file in new[] { "ExclusivityEngine.sln", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(Repository.Root, file), Path.Combine(sources, file));
        }
        Copy(Path.Combine(Repository.Root, "src"), Path.Combine(sources, "src"));
        Copy(Repository.Rules, Path.Combine(sources, "rules"));
        var output = Path.Combine(_work, "native");
        Sdk.Dotnet(sources, TimeSpan.FromMinutes(15), "publish", Path.Combine(sources, "src", "ExclusivityEngine.Cli"),
            "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-v", "quiet");
        _native = Path.Combine(output, "exclusivity");
        _reference = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");

        File.WriteAllText(Path.Combine(_work, "periods.jsonl"), "{\"id\": \"2026-Q1\", \"date\": \"2026-03-31\", \"revenue\": 100}\n{\"id\": \"2033-Q1\", \"date\": \"2033-03-31\", \"revenue\": 100.5}\n");
        File.WriteAllText(Path.Combine(_work, "expect-wrong.json"), "{\"name\": \"x\", \"scenarios\": [{\"name\": \"a\", \"scenario\": {\"product\": \"frontier\", \"cloud\": \"aws\", \"date\": \"2026-03-15\"}, \"expect\": {\"combined\": \"Permitted\"}}]}");
        File.WriteAllText(Path.Combine(_work, "not-a-test.json"), "{\"name\": \"x\", \"scenarios\": [{\"nam\": \"a\"}]}");
        // A batch of every kind of line: catalogue and inline products, optional facts, a bad date, bad JSON, invalid UTF-8.
        File.WriteAllBytes(Path.Combine(_work, "lines.jsonl"), [.. Encoding.UTF8.GetBytes(
            "{\"id\":\"s-0\",\"product\":\"chatgpt\",\"cloud\":\"google-cloud\",\"date\":\"2032-12-31\",\"microsoftDeclined\":false,\"shippedOnAzureFirst\":false}\n" +
            "{\"id\":\"s-1\",\"product\":\"stateful-runtime\",\"cloud\":\"openai\",\"date\":\"2025-02-13\",\"segment\":\"general\"}\n" +
            "{\"id\":\"s-2\",\"product\":\"azure-openai-service\",\"cloud\":\"openai\",\"date\":\"2025-10-29\",\"segment\":\"us-national-security\"}\n" +
            "{\"id\":\"s-3\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-13-01\"}\n" +
            "{\"product\": bad\n"), 0xff, 0xfe, (byte)'\n', .. Encoding.UTF8.GetBytes(
            "{\"id\":\"y\",\"product\":{\"id\":\"p\",\"interface\":\"api\",\"origin\":\"openai\",\"offeredBy\":\"openai\"},\"cloud\":\"aws\",\"date\":\"2026-03-01\",\"agiDeclaredOn\":\"2027-01-01\"}\n")]);
        File.WriteAllText(Path.Combine(_work, "lines.csv"),
            "id,product,cloud,date,segment,agiDeclaredOn,agiVerifiedOn,microsoftDeclined,shippedOnAzureFirst,meetsOpenWeightCriteria,statelessCallsOnAzure\n" +
            "s-0,chatgpt,google-cloud,2032-12-31,,,,false,false,,\ns-1,stateful-runtime,openai,2025-02-13,general,,,false,,,\ns-2,frontier,aws,2026-02-30,,,,,,,\n");
        // Rule sets refused when they load: a condition reaching for reflection, one nesting brackets too deep.
        Copy(Repository.Rules, Path.Combine(_work, "reflection-rules"));
        Edit(Path.Combine(_work, "reflection-rules", "clauses", "msft-openai-2019.json"), "\"when\": \"", "\"when\": \"\\\"\\\".GetType().Assembly.Location == \\\"x\\\" or ");
        Copy(Repository.Rules, Path.Combine(_work, "nested-rules"));
        Edit(Path.Combine(_work, "nested-rules", "clauses", "msft-openai-2025-10.json"), "\"when\": \"", "\"when\": \"" + new string('(', 40) + "true" + new string(')', 40) + " and ");
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private static IEnumerable<TestCaseData> Commands()
    {
        string[][] commands =
        [
            ["evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15"],
            ["evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json"],
            ["evaluate", "--product", "chatgpt", "--cloud", "google-cloud", "--date", "2026-06-01", "--agi-declared", "2026-01-01", "--microsoft-declined", "true", "--format", "json"],
            ["evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-02-30"],
            ["evaluate", "--product", "nope", "--cloud", "aws", "--date", "2026-03-15"],
            ["evaluate", "--bogus"],
            ["batch", "--input", "{work}/lines.jsonl"],
            ["batch", "--input", "{work}/lines.jsonl", "--detail", "full"],
            ["batch", "--input", "{work}/lines.jsonl", "--detail", "full", "--no-compile"],
            ["batch", "--input", "{work}/lines.jsonl", "--output-format", "csv"],
            ["batch", "--input", "{work}/lines.csv", "--detail", "versions"],
            ["versions", "--format", "json"],
            ["validate"],
            ["validate", "--rules", "{work}/reflection-rules", "--format", "json"],
            ["validate", "--rules", "{work}/nested-rules"],
            ["evaluate", "--rules", "{work}/reflection-rules", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15"],
            ["test", "{root}/tests/scenarios", "--coverage"],
            ["test", "{root}/tests/scenarios", "--format", "json"],
            ["test", "{work}/expect-wrong.json"],
            ["test", "{work}/not-a-test.json"],
            ["schema", "test"],
            ["revenue", "--input", "{work}/periods.jsonl", "--rate", "0.2", "--cap", "1000", "--format", "json"],
            ["revenue", "--input", "{work}/periods.jsonl", "--rate", "0.2"],
            ["why-not", "--product", "frontier", "--cloud", "google-cloud", "--date", "2026-03-15", "--want", "Permitted", "--format", "json"],
            ["diff", "msft-openai-2019", "msft-openai-2026-04", "--format", "json"],
            ["analyze", "--format", "json"],
            ["impact", "--rules", "{work}/reflection-rules"],
            ["timeline", "--product", "chatgpt", "--from", "2025-01-01", "--to", "2034-12-31", "--format", "json"],
            ["completion", "bash"],
        ];
        return commands.Select(c => new TestCaseData((object)c).SetArgDisplayNames(string.Join(' ', c)));
    }

    [TestCaseSource(nameof(Commands))]
    public void Native_AnswersAsTheRuntimeBuild(string[] command)
    {
        var arguments = command.Select(a => a.Replace("{work}", _work, StringComparison.Ordinal).Replace("{root}", Repository.Root, StringComparison.Ordinal)).ToArray();

        var native = Run(_native, null, arguments);
        var reference = Run("dotnet", null, [_reference, .. arguments]);

        Assert.Multiple(() =>
        {
            Assert.That(native.Exit, Is.EqualTo(reference.Exit), native.Stderr);
            Assert.That(native.Stdout, Is.EqualTo(reference.Stdout));
            Assert.That(native.Stderr, Is.EqualTo(reference.Stderr));
        });
    }

    [Test]
    public void Native_Batch_OnStandardInput_AnswersEveryLineAsTheRuntimeBuild()
    {
        var lines = File.ReadAllText(Path.Combine(_work, "lines.jsonl"));
        var native = Run(_native, lines, "batch", "--input", "-");
        var reference = Run("dotnet", lines, _reference, "batch", "--input", "-");

        Assert.That(native.Stdout, Is.EqualTo(reference.Stdout));
        Assert.That(native.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(7), "one answer a line, blank lines aside");
    }

    [Test]
    public async Task Native_Serve_DescribesAndAnswersAsTheRuntimeBuild()
    {
        using var native = ServiceProcess.StartExecutable(_native);
        using var reference = ServiceProcess.Start();

        var answers = await Answers(native);

        Assert.That(answers, Is.EqualTo(await Answers(reference)));
        Assert.That(answers[0], Does.Contain("\"openapi\""), "the OpenAPI document");

        static async Task<string[]> Answers(ServiceProcess service)
        {
            string[] paths = ["/openapi/v1.json", "/readyz", "/v1/versions", "/v1/timeline?product=frontier&from=2025-01-01&to=2027-01-01",
                "/v1/why-not?product=frontier&cloud=google-cloud&date=2026-03-15&want=Permitted"];
            var answers = new List<string>();
            foreach (var path in paths)
            {
                answers.Add(await service.Client.GetStringAsync(path));
            }
            using var evaluate = await service.Client.PostAsync("/v1/evaluate", new StringContent("{\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", Encoding.UTF8, "application/json"));
            answers.Add(await evaluate.Content.ReadAsStringAsync());
            // The OpenAPI document names the server, whose port each run picks.
            return [.. answers.Select(a => a.Replace(service.BaseAddress.ToString().TrimEnd('/'), "http://127.0.0.1:PORT", StringComparison.Ordinal))];
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void Edit(string path, string old, string replacement)
    {
        var text = File.ReadAllText(path);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"`{old}` not found in {path}");
        File.WriteAllText(path, text[..at] + replacement + text[(at + old.Length)..]);
    }

    private static (int Exit, string Stdout, string Stderr) Run(string file, string? stdin, params string[] arguments) =>
        ChildProcess.Run(file, stdin, TimeSpan.FromMinutes(2), arguments);
}
