using System.Text;

namespace ExclusivityEngine.Fuzz;

/// <summary>
/// Fuzzing without afl: random mutations of the seed corpus run in process for a bounded time, with a fixed seed so a
/// failure can be replayed. Blind (no coverage), but quick to run anywhere; afl-fuzz is the real search.
/// </summary>
internal static class Smoke
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\n", "\r\n", "\r", ",", "\"", "{", "}", "[", "]", ":", "null", "true", "false", "\"id\":", "\\u0000", "\\ud800", "\\\"",
            "unknown", "2026-02-30", "frontier", "aws", "\uFEFF", "\u202E", "\u0001", " and ", " or ", "not ", "==", "<=", "(", ")",
            "date", "cloud", "product.id", "microsoftDeclined", "in (", "//", "/*", "'", "NaN", "1e999", "-0",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00],
    ];

    public static int Run(string name, Target target, TimeSpan duration, string seedFolder)
    {
        var seeds = Directory.GetFiles(seedFolder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (seeds.Count == 0)
        {
            seeds.Add([]);
        }
        var random = new Random(12345);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = 0L;
        foreach (var seed in seeds)
        {
            if (!Try(name, target, seed, runs++))
            {
                return 1;
            }
        }
        while (clock.Elapsed < duration)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)], random);
            if (!Try(name, target, input, runs++))
            {
                return 1;
            }
        }
        Console.WriteLine($"{name}: {runs} inputs in {clock.Elapsed.TotalSeconds:F0} s, no invariant broken");
        return 0;
    }

    private static bool Try(string name, Target target, byte[] input, long run)
    {
        try
        {
            target(input);
            return true;
        }
        catch (Exception e)
        {
            var file = Path.Combine(Path.GetTempPath(), $"exclusivity-fuzz-{name}-{run}.bin");
            File.WriteAllBytes(file, input);
            Console.Error.WriteLine($"{name}: input {run} broke an invariant (saved as {file}): {e}");
            return false;
        }
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var bytes = new List<byte>(seed);
        var steps = 1 + random.Next(8);
        for (var i = 0; i < steps; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count + 1);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(Math.Min(at, bytes.Count - 1), Math.Min(1 + random.Next(16), bytes.Count - Math.Min(at, bytes.Count - 1)));
                    break;
                case 2:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4 when other.Length > 0:
                    var from = random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(1 + random.Next(64)));
                    break;
                case 5 when bytes.Count > 0:
                    var start = random.Next(bytes.Count);
                    var chunk = bytes.Skip(start).Take(1 + random.Next(32)).ToArray();
                    for (var r = random.Next(1, 40); r > 0; r--)
                    {
                        bytes.InsertRange(at, chunk);
                    }
                    break;
                default:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)"x\"{[ ,\n"[random.Next(7)], random.Next(1, 400)));
                    break;
            }
        }
        return [.. bytes];
    }
}
