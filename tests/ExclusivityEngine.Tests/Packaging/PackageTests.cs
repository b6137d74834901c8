using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ExclusivityEngine.Tests.Packaging;

/// <summary>
/// The packages as a user gets them. Packed once (the CLI as the <c>exclusivity</c> .NET tool, the library as
/// <c>ExclusivityEngine</c>) into a temporary local package source; then the tool is installed from it with
/// <c>dotnet tool install --tool-path</c> and run, and a fresh console project restores the library from it (its
/// dependencies from the usual source) and runs every C# block of the README against it.
/// </summary>
[NonParallelizable]
[Category("Package")]
public sealed partial class PackageTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(10);

    private string _work = "";
    private string _source = "";
    private string _version = "";
    private string _tool = "";

    [OneTimeSetUp]
    public void PackAndInstall()
    {
        _work = Directory.CreateTempSubdirectory("exclusivity-packages-").FullName;
        _source = Path.Combine(_work, "source");
        // In the configuration the tests run in. The library was built with the tests and is packed as built; the
        // tool's platform packages need a build per platform (ReadyToRun), which its pack makes.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        Dotnet(Repository.Root, "pack", Path.Combine(Repository.Root, "src", "ExclusivityEngine.Cli"), "-c", configuration, "-o", _source);
        Dotnet(Repository.Root, "pack", Path.Combine(Repository.Root, "src", "ExclusivityEngine"), "--no-build", "-c", configuration, "-o", _source);
        _version = Directory.GetFiles(_source, "exclusivity.*.nupkg").Select(f => ToolPackageVersion().Match(Path.GetFileName(f))).Single(m => m.Success).Groups["version"].Value;

        // Only the local source: the tool must come from what was just packed, whatever a public feed holds.
        var config = Path.Combine(_work, "tool-nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{_source}" /></packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_work, "tools");
        Dotnet(_work, "tool", "install", "--tool-path", tools, "exclusivity", "--add-source", _source, "--configfile", config, "--version", _version);
        _tool = Path.Combine(tools, "exclusivity");
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Test]
    public void Tool_Installed_AnswersVersionAndEvaluates()
    {
        var version = Run(_tool, null, "--version");
        Assert.That(version.Exit, Is.Zero, version.Stderr);
        Assert.That(version.Stdout.Trim(), Does.StartWith(_version));

        // Frontier sold through AWS on 2026-03-15 (agreements.md): Microsoft's February 2026 reading forbids it
        // (first-party-products-on-azure), the announced version permits it: Prohibited, disputed.
        var evaluate = Run(_tool, null, "evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json");
        Assert.That(evaluate.Exit, Is.Zero, evaluate.Stderr);
        Assert.That(evaluate.Stdout, Is.EqualTo(CliRunner.Run("evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json").Stdout));
        Assert.That(evaluate.Stdout, Does.Contain("\"permission\": \"Prohibited\"").And.Contain("\"disputed\": true"));
    }

    [Test]
    public void Tool_Installed_ServeRunsOnTheSharedAspNetCoreRuntime()
    {
        var help = Run(_tool, null, "serve", "--help");

        Assert.That(help.Exit, Is.Zero, help.Stderr);
        Assert.That(help.Stdout, Does.Contain("--urls").And.Contain("Exit codes:"));
    }

    [Test]
    public void Tool_Installed_MisspeltOptionGetsOneDidYouMean()
    {
        var run = Run(_tool, null, "evaluate", "--prodct", "frontier", "--cloud", "aws", "--date", "2026-03-15");

        Assert.That(run.Exit, Is.EqualTo(2));
        Assert.That(run.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("did you mean `--product`?"));
    }

    [Test]
    public void ToolPackage_IsADotnetToolCalledExclusivity()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_source, $"exclusivity.{_version}.nupkg"));
        var nuspec = Nuspec(package);

        Assert.That(nuspec.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value, Is.EqualTo("DotnetTool"));
        var settings = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal)).Open());
        Assert.That(settings.Descendants("Command").Single().Attribute("Name")!.Value, Is.EqualTo("exclusivity"));
    }

    [Test]
    public void ToolPackage_PointsToAReadyToRunPackagePerPlatformAndAPortableOne()
    {
        using var pointer = ZipFile.OpenRead(Path.Combine(_source, $"exclusivity.{_version}.nupkg"));
        var settings = XDocument.Load(pointer.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal)).Open());
        var platforms = settings.Descendants("RuntimeIdentifierPackage").ToDictionary(e => e.Attribute("RuntimeIdentifier")!.Value, e => e.Attribute("Id")!.Value);

        Assert.That(platforms.Keys, Is.EquivalentTo(new[] { "linux-x64", "linux-musl-x64", "linux-arm64", "osx-x64", "osx-arm64", "win-x64", "any" }));
        foreach (var (platform, id) in platforms)
        {
            using var package = ZipFile.OpenRead(Path.Combine(_source, $"{id}.{_version}.nupkg"));
            var image = package.Entries.Single(e => e.FullName == $"tools/net10.0/{platform}/exclusivity.dll");
            Assert.That(IsReadyToRun(image), Is.EqualTo(platform != "any"), $"{id}: precompiled only for a named platform");
            Assert.That(package.Entries.Select(e => e.FullName), Does.Contain($"tools/net10.0/{platform}/ExclusivityEngine.dll"));
        }
    }

    [Test]
    public void Tool_Installed_OnLinuxX64_IsThePrecompiledOne()
    {
        Assume.That(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64, "linux-x64 only");

        var installed = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(_tool)!, ".store"), "exclusivity.dll", SearchOption.AllDirectories);

        Assert.That(installed, Has.Length.EqualTo(1));
        Assert.That(installed[0], Does.Contain($"{Path.DirectorySeparatorChar}exclusivity.linux-x64{Path.DirectorySeparatorChar}"));
        using var image = File.OpenRead(installed[0]);
        Assert.That(IsReadyToRun(image), Is.True);
    }

    /// <summary>The portable package, for every platform without its own, runs on the shared runtime as it is.</summary>
    [Test]
    public void ToolPackage_Portable_Evaluates()
    {
        var folder = Path.Combine(_work, "portable");
        using (var package = ZipFile.OpenRead(Path.Combine(_source, $"exclusivity.any.{_version}.nupkg")))
        {
            package.ExtractToDirectory(folder);
        }
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var evaluate = Run(dotnet, null, Path.Combine(folder, "tools", "net10.0", "any", "exclusivity.dll"), "evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json");

        Assert.That(evaluate.Exit, Is.Zero, evaluate.Stderr);
        Assert.That(evaluate.Stdout, Is.EqualTo(CliRunner.Run("evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json").Stdout));
    }

    [Test]
    public void LibraryPackage_CarriesRealMetadataAndSymbols()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_source, $"ExclusivityEngine.{_version}.nupkg"));
        var metadata = Nuspec(package).Descendants().Where(e => e.Parent?.Name.LocalName == "metadata").ToDictionary(e => e.Name.LocalName, e => e);

        Assert.That(metadata["description"].Value, Does.Contain("OpenAI").And.Not.EqualTo("Package Description"));
        Assert.That(metadata["authors"].Value, Is.Not.Empty);
        Assert.That(metadata["license"].Attribute("type")!.Value, Is.EqualTo("expression"));
        Assert.That(metadata["license"].Value, Is.EqualTo("MIT"));
        Assert.That(metadata["readme"].Value, Is.EqualTo("README.md"));
        Assert.That(metadata["repository"].Attribute("url")!.Value, Does.StartWith("https://"));
        Assert.That(metadata["tags"].Value, Does.Contain("compliance"));
        Assert.That(package.Entries.Select(e => e.FullName), Does.Contain("README.md").And.Contain("lib/net10.0/ExclusivityEngine.dll").And.Contain("lib/net10.0/ExclusivityEngine.xml"));
        Assert.That(File.Exists(Path.Combine(_source, $"ExclusivityEngine.{_version}.snupkg")), Is.True, "a symbols package");
        Assert.That(File.Exists(Path.Combine(Repository.Root, "LICENSE")), Is.True);
    }

    /// <summary>
    /// A new console project restores ExclusivityEngine from the local source and evaluates with the embedded rules;
    /// the verdict must be the one the library in this repository gives.
    /// </summary>
    [Test]
    public void LibraryPackage_RestoresIntoANewProjectAndEvaluates()
    {
        var program = """
            using ExclusivityEngine;
            using ExclusivityEngine.Scenarios;

            var engine = Engine.LoadEmbedded();
            var assessment = engine.Evaluate(new ScenarioInput { Product = "stateful-runtime", Cloud = "azure", Date = "2026-05-01" });
            Console.WriteLine($"{assessment.Combined.Permission} {assessment.Combined.Disputed} {engine.Rules.Hash}");
            foreach (var d in assessment.Combined.Decisive)
            {
                Console.WriteLine($"{d.Row.Id} {d.Clause.Id}");
            }
            """;
        var expected = Engine.LoadEmbedded();
        var a = expected.Evaluate(new ExclusivityEngine.Scenarios.ScenarioInput { Product = "stateful-runtime", Cloud = "azure", Date = "2026-05-01" });

        var run = BuildAndRun("evaluate", program, null);

        Assert.That(run.Exit, Is.Zero, run.Stderr);
        Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(
            a.Combined.Decisive.Select(d => $"{d.Row.Id} {d.Clause.Id}").Prepend($"{a.Combined.Permission} {a.Combined.Disputed} {expected.Rules.Hash}")));
    }

    private static IEnumerable<TestCaseData> ReadmeBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var lineOf = (int index) => readme.AsSpan(0, index).Count('\n') + 1;
        foreach (Match block in CSharpBlock().Matches(readme))
        {
            var line = lineOf(block.Index);
            yield return new TestCaseData(line, block.Groups["code"].Value).SetName($"Readme_CSharpBlock_CompilesAndRuns(README.md:{line})");
        }
    }

    [Test]
    public void Readme_HasCSharpBlocks() => Assert.That(ReadmeBlocks().Count(), Is.GreaterThanOrEqualTo(2));

    /// <summary>
    /// Every ```csharp block of the README is a program a compliance-tool developer can paste: it compiles against the
    /// package (warnings are errors) and runs, with two scenario lines on stdin for a block that reads them. A
    /// <c>Console.WriteLine(…); // text</c> line, or a <c>// prints…: text</c> comment, promises that text, in that
    /// order, in what it prints.
    /// </summary>
    [TestCaseSource(nameof(ReadmeBlocks))]
    public void Readme_CSharpBlock_CompilesAndRuns(int line, string code)
    {
        var stdin = """
            {"id": "q-1", "product": "frontier", "cloud": "aws", "date": "2026-03-15"}
            {"id": "q-2", "product": "gpt-9", "cloud": "aws", "date": "2026-03-15"}

            """;

        var run = BuildAndRun($"readme-{line}", code, stdin);

        Assert.That(run.Exit, Is.Zero, $"README.md:{line}: the block exited {run.Exit}\n{run.Stdout}\n{run.Stderr}");
        var printed = run.Stdout + run.Stderr;
        var at = 0;
        foreach (Match promise in PrintPromise().Matches(code))
        {
            var text = promise.Groups["text"].Value.Trim();
            var found = printed.IndexOf(text, at, StringComparison.Ordinal);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"README.md:{line}: the block promises `{text}` after what came before; it printed:\n{printed}");
            at = found + text.Length;
        }
    }

    /// <summary>
    /// Builds <paramref name="program"/> as the console project that references the packed library, and runs it. The
    /// project is created and restored once; each program is then built into a folder of its own.
    /// </summary>
    private (int Exit, string Stdout, string Stderr) BuildAndRun(string name, string program, string? stdin)
    {
        var project = Path.Combine(_work, "app");
        if (!Directory.Exists(project))
        {
            CreateProject(project);
        }
        File.WriteAllText(Path.Combine(project, "Program.cs"), program);
        var output = Path.Combine(project, "out", name);
        Dotnet(project, "build", "--no-restore", "-c", "Release", "-o", output);
        return Run("dotnet", stdin, Path.Combine(output, "app.dll"));
    }

    /// <summary>A new console project, as `dotnet new console` makes one, with a reference to the packed library; restored.</summary>
    private void CreateProject(string project)
    {
        Directory.CreateDirectory(project);
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // The library from the local source (never a public feed's), its dependencies from the usual source; packages
        // land in a folder of this test, with the user's cache as a fallback so dependencies already there are not fetched.
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" /></config>
              <packageSources>
                <clear />
                <add key="local" value="{_source}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="ExclusivityEngine" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders><add key="user" value="{userPackages}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(project, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ExclusivityEngine" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        Dotnet(project, "restore");
    }

    private static bool IsReadyToRun(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return IsReadyToRun(copy);
    }

    /// <summary>A ReadyToRun image carries a native header beside its IL (ECMA-335's ManagedNativeHeader entry).</summary>
    private static bool IsReadyToRun(Stream image)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(image, System.Reflection.PortableExecutable.PEStreamOptions.LeaveOpen);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static XDocument Nuspec(ZipArchive package) =>
        XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());

    private static void Dotnet(string directory, params string[] arguments) => Sdk.Dotnet(directory, Slow, arguments);

    private static (int Exit, string Stdout, string Stderr) Run(string file, string? stdin, params string[] arguments) =>
        ChildProcess.Run(file, stdin, TimeSpan.FromMinutes(2), arguments);

    [GeneratedRegex(@"^exclusivity\.(?<version>[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex ToolPackageVersion();

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"(Console(\.Error)?\.WriteLine\(.*\);[ \t]*//|^[ \t]*// prints[^:\n]*:)[ \t]*(?<text>[^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex PrintPromise();
}
