using ExclusivityEngine.Fuzz;

// exclusivity-fuzz TARGET                    under afl-fuzz (SharpFuzz's fork server; input on stdin or @@)
// exclusivity-fuzz TARGET --smoke SECONDS DIR random mutations of the seeds in DIR, in process, no afl needed
// exclusivity-fuzz TARGET --replay FILE...   runs the target on each file once (a crash afl found, say)
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: exclusivity-fuzz TARGET [--smoke SECONDS SEEDS | --replay FILE...]; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}
if (args.Length > 1)
{
    // Outside afl-fuzz, instrumented code (tests/fuzz/run.sh instruments the library in place) still records its trace:
    // give it memory to record into, as SharpFuzz does only inside Fuzzer.Run.
    Coverage.Detach();
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
// Nothing instrumented may run before Fuzzer.Run sets up the trace memory; the engine loads on the first input.
SharpFuzz.Fuzzer.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target(memory.ToArray());
});
return 0;

/// <summary>Trace memory for instrumented code run outside afl-fuzz.</summary>
internal static class Coverage
{
    public static unsafe void Detach() =>
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
}
