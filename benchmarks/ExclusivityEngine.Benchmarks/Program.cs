using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// In-process benchmarks, judged by ratio: <c>dotnet run -c Release --project benchmarks/ExclusivityEngine.Benchmarks
/// -- --filter '*'</c> (or a class name, e.g. <c>--filter '*Evaluation*'</c>). Whole-process timings are
/// benchmarks/measure-batch.sh's. On a busy machine add <c>--inProcess</c> to skip the generated project's build.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--utf8-pass", var input, var output])
        {
            return Utf8JsonPass.Run(input, output);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            // The generated project is built on the measuring machine, which may be shared: give the build time.
            .Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
        return 0;
    }
}
