using System.Security.Cryptography;

namespace ExclusivityEngine.Service;

/// <summary>
/// Decision ids: a random prefix per process (so replicas never collide) and a counter, cheap enough for every request.
/// A batch line's id is its request's id and the line number: <c>3f9c0a1be27d4c85-1a.7</c>.
/// </summary>
internal sealed class DecisionIds
{
    private readonly string _prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "-";
    private long _next;

    public string Next()
    {
        var n = Interlocked.Increment(ref _next);
        return string.Create(null, stackalloc char[64], $"{_prefix}{n:x}");
    }

    public static string ForLine(string requestId, long line) => string.Create(null, stackalloc char[96], $"{requestId}.{line}");
}
