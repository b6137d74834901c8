using ExclusivityEngine.Tests.Dask;

namespace ExclusivityEngine.Tests.Packaging;

/// <summary>The .NET SDK as the packaging tests run it.</summary>
internal static class Sdk
{
    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>, in its own process group: no
    /// build server or node outlives it. Fails the test if it fails or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static void Dotnet(string directory, TimeSpan timeout, params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string[] msbuild = arguments[0] is "pack" or "build" or "restore" or "publish" ? ["--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"] : [];
        using var process = GroupProcess.Start(dotnet, [.. arguments, .. msbuild], directory,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        var code = process.WaitForExit(timeout, $"dotnet {string.Join(' ', arguments)}");
        Assert.That(code, Is.Zero, $"dotnet {string.Join(' ', arguments)} failed:\n{process.Stdout}\n{process.Stderr}");
    }
}
