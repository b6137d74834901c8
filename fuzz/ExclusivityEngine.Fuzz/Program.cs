using ExclusivityEngine.Fuzz;

// exclusivity-fuzz TARGET                    under afl-fuzz (SharpFuzz's fork server; input on stdin or @@)
// exclusivity-fuzz TARGET --smoke SECONDS DIR random mutations of the seeds in DIR, in process, no afl needed
// exclusivity-fuzz TARGET --replay FILE...   runs the target on each file once (a crash afl found, say)
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: exclusivity-fuzz TARGET [--smoke SECONDS SEEDS | --replay FILE...]; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}
if (args.Length > 1 && args[1] == "--replay")
{
    var failed = 0;
    foreach (var file in args.Skip(2))
    {
        try
        {
            target(File.ReadAllBytes(file));
            Console.WriteLine($"ok    {file}");
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"CRASH {file}: {e}");
        }
    }
    return failed == 0 ? 0 : 1;
}
if (args.Length > 3 && args[1] == "--smoke")
{
    return Smoke.Run(args[0], target, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[3]);
}
Targets.Prepare();
SharpFuzz.Fuzzer.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target(memory.ToArray());
});
return 0;
