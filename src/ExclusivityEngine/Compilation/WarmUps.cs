namespace ExclusivityEngine.Compilation;

/// <summary>
/// The one-time set-ups of a process that <see cref="Engine.Prepare"/> may start in the background: the expression
/// parser's and NRules'. Apart from the parser and the network, so that starting one runs none of their static set-up
/// on the caller's thread.
/// </summary>
internal static class WarmUps
{
    /// <summary>The expression parser's: a first parse.</summary>
    public static readonly WarmUp Parser = new(ConditionParser.WarmUpParse);

    /// <summary>NRules' and the expression compiler's: a one-rule network, built and fired.</summary>
    public static readonly WarmUp Network = new(ClauseNetwork.WarmUpNetwork);
}

/// <summary>A set-up run at most once, on a thread of its own (a start-up's few pool threads are all busy).</summary>
internal sealed class WarmUp(Action work)
{
    private readonly Lazy<Task> _task = new(() => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    /// <summary>Starts it, once.</summary>
    public Task Start() => _task.Value;

    /// <summary>Waits for it if it was started, rather than repeat it; starts nothing.</summary>
    public void WaitIfStarted()
    {
        if (_task.IsValueCreated)
        {
            _task.Value.Wait();
        }
    }
}
