using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// Signals as events of a poll loop (upstream's Select signal set): .NET runs signal handlers on a thread of its
/// own, so the handler records the signal and writes a byte to a pipe whose read end the loop polls. The default
/// action (e.g. terminating on SIGTERM) is cancelled for every registered signal.
/// </summary>
internal sealed partial class SignalPipe : IDisposable
{
    public const int SIGUSR1 = 10;

    private readonly WakePipe _wake = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private long _pending; // bit n: signal n arrived since last taken

    public SignalPipe(params ReadOnlySpan<int> signals)
    {
        foreach (int signal in signals)
        {
            int number = signal;
            _registrations.Add(PosixSignalRegistration.Create(ToPosixSignal(signal), context =>
            {
                context.Cancel = true;
                Raise(number);
            }));
        }
    }

    /// <summary>Becomes readable when a signal has arrived.</summary>
    public int Fd => _wake.Fd;

    /// <summary>Whether <paramref name="signal"/> arrived since the last call for it; clears it.</summary>
    public bool Take(int signal)
    {
        long bit = 1L << signal;
        return (Interlocked.And(ref _pending, ~bit) & bit) != 0;
    }

    /// <summary>Whether any signal is pending (without clearing).</summary>
    public bool AnyPending => Interlocked.Read(ref _pending) != 0;

    /// <summary>Empties the pipe after the loop woke on it.</summary>
    public void Drain() => _wake.Drain();

    /// <summary>Records a signal as if it had arrived (also used by the loop to wake itself).</summary>
    public void Raise(int signal)
    {
        Interlocked.Or(ref _pending, 1L << signal);
        _wake.Signal();
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _wake.Dispose();
    }

    /// <summary>.NET names some signals with negative values; others are registered by their raw numbers.</summary>
    private static PosixSignal ToPosixSignal(int signal) => signal switch
    {
        Signals.SIGHUP => PosixSignal.SIGHUP,
        Signals.SIGINT => PosixSignal.SIGINT,
        Signals.SIGTERM => PosixSignal.SIGTERM,
        _ => (PosixSignal)signal,
    };
}
