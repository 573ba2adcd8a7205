using System.Net;
using Mosh.Network;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// The session's utmp entry, kept as upstream keeps it: <c>mosh [PID]</c> from the start while no client is
/// attached, <c>&lt;client address&gt; via mosh [PID]</c> once a client state arrives (rewritten when the client
/// roams to a new address), back to <c>mosh [PID]</c> after 30 s without a client state, removed at the end.
/// </summary>
internal sealed class UtmpEntry
{
    /// <summary>ms without a new client state after which the entry says detached again (upstream's 30 s).</summary>
    public const long DetachedAfterMs = 30000;

    private readonly string _detachedText;
    private readonly int _pid;
    private readonly Action<string> _add;
    private readonly Action _remove;
    private bool _written;
    private bool _attached;
    private int _seenAddressChanges;

    /// <param name="add">Writes the entry with the given host text.</param>
    /// <param name="remove">Marks the entry ended.</param>
    public UtmpEntry(int pid, Action<string> add, Action remove)
    {
        _pid = pid;
        _detachedText = DetachedText(pid);
        _add = add;
        _remove = remove;
    }

    /// <summary>The entry of the pty whose master side is <paramref name="masterFd"/>, through libutempter.</summary>
    public static UtmpEntry ForPty(int masterFd, int pid) =>
        new(pid, host => Utempter.AddRecord(masterFd, host), () => Utempter.RemoveRecord(masterFd));

    /// <summary>The host text of a session without a client.</summary>
    public static string DetachedText(int pid) => $"mosh [{pid}]";

    /// <summary>The host text of a session with a client at <paramref name="client"/> (numeric, as getnameinfo's
    /// NI_NUMERICHOST).</summary>
    public static string AttachedText(IPAddress client, int pid) => AttachedText(NumericHost.Format(client), pid);

    private static string AttachedText(string client, int pid) => $"{client} via mosh [{pid}]";

    /// <summary>Writes the detached entry at session start.</summary>
    public void Open()
    {
        _add(_detachedText);
        _written = true;
    }

    /// <summary>A new client state arrived: the entry names the client, again if it moved or had gone quiet.
    /// Returns the client's address text when the entry was (re)written, else null.</summary>
    public string? OnClientState(Connection connection)
    {
        if (_attached && connection.RemoteAddressChanges == _seenAddressChanges)
        {
            return null;
        }

        return connection.RemoteEndPoint is { } client ? Attach(connection.RemoteAddressChanges, client.Address) : null;
    }

    /// <summary>Names the client at <paramref name="client"/> and returns its address text;
    /// <paramref name="addressChanges"/> is the connection's count of address moves, to notice the next one.</summary>
    public string Attach(int addressChanges, IPAddress client)
    {
        _seenAddressChanges = addressChanges;
        string host = NumericHost.Format(client);
        Replace(AttachedText(host, _pid));
        _attached = true;
        return host;
    }

    /// <summary>Called every loop turn: after <see cref="DetachedAfterMs"/> without a client state the entry says
    /// detached again.</summary>
    public void Tick(long sinceClientStateMs)
    {
        if (_attached && sinceClientStateMs > DetachedAfterMs)
        {
            Replace(_detachedText);
            _attached = false;
        }
    }

    /// <summary>The client was replaced by an attach: the entry says detached until the new client's first state.</summary>
    public void Detach()
    {
        if (_attached)
        {
            Replace(_detachedText);
            _attached = false;
        }
    }

    /// <summary>Removes the entry at session end.</summary>
    public void Close()
    {
        if (_written)
        {
            _remove();
            _written = false;
        }
    }

    private void Replace(string host)
    {
        _remove();
        _add(host);
        _written = true;
    }
}
