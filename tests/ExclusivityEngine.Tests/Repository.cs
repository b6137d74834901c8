namespace ExclusivityEngine.Tests;

/// <summary>Paths in the repository, found from the test assembly's folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Rules => Path.Combine(Root, "rules");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExclusivityEngine.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("the repository root was not found above " + AppContext.BaseDirectory);
    }
}
