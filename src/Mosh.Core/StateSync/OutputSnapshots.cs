namespace Mosh.StateSync;

/// <summary>
/// When the server hands its transport a snapshot of the screen as application output arrives: at once when the
/// transport has no change waiting (the first output after a frame went out starts the collection delay, as upstream's
/// per-read snapshot does), and otherwise only right before the transport sends, so the frame carries the newest
/// screen. Upstream takes a snapshot after every pty read; the ones between two sends are never sent, and each one
/// shares the screen's rows, so the emulator copies every row it writes or scrolls after it.
/// </summary>
internal sealed class OutputSnapshots
{
    /// <summary>Output changed the terminal since the last snapshot the transport got.</summary>
    public bool Pending { get; private set; }

    /// <summary>Application output went through <paramref name="terminal"/>.</summary>
    public void OutputWritten(Transport<CompleteTerminal, UserStream> transport, CompleteTerminal terminal)
    {
        if (!transport.ChangeScheduled)
        {
            _ = transport.WaitTime(); // the sender looks at its state only then: a snapshot taken since may be waiting
        }

        if (transport.ChangeScheduled)
        {
            Pending = true;
        }
        else
        {
            Take(transport, terminal);
        }
    }

    /// <summary>Call right before <see cref="Transport{TLocal, TRemote}.Tick"/>: refreshes the snapshot if it would send now.</summary>
    public void BeforeTick(Transport<CompleteTerminal, UserStream> transport, CompleteTerminal terminal)
    {
        if (Pending && transport.WaitTime() == 0)
        {
            Take(transport, terminal);
        }
    }

    /// <summary>Hands the transport a copy of the screen as it is now (for any change, not only output).</summary>
    public void Take(Transport<CompleteTerminal, UserStream> transport, CompleteTerminal terminal)
    {
        transport.SetCurrentState(terminal);
        Pending = false;
    }
}
