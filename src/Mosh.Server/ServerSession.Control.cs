using System.Net.Sockets;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// The session's answers to <c>mosh-server list/attach/kill</c>. An attach gives the session a fresh key and a
/// fresh transport: the old key stops opening datagrams at once, the next client starts from state 0 (so its first
/// frame is a full repaint of the screen as it is), and the old client, when one was still heard, is sent a
/// shutdown under the old key, which makes it exit (upstream's client quits cleanly on it).
/// </summary>
internal sealed partial class ServerSession
{
    /// <summary>
    /// After an attach, further attaches are refused until its client has been heard or this long has passed: two
    /// attaches racing would otherwise each hand out a key and the first would silently lose.
    /// </summary>
    public const long PendingAttachMs = 5000;

    private readonly SessionControl? _control;
    private readonly List<(Transport<CompleteTerminal, UserStream> Transport, TransportLink Link)> _retiring = [];
    private long _pendingAttachUntil = long.MinValue / 2;
    private bool _killRequested;
    private long _lastContact = long.MinValue;
    private string _lastClient = "-";

    /// <summary>How many attaches this session has served (for the verbose log).</summary>
    private int _attaches;

    private int ControlWaitTime(long now)
    {
        int wait = _control?.WaitTime(now) ?? int.MaxValue;
        foreach (var (transport, _) in _retiring)
        {
            wait = Math.Min(wait, transport.WaitTime());
        }

        return wait;
    }

    private bool TakeKillRequest()
    {
        bool kill = _killRequested;
        _killRequested = false;
        return kill;
    }

    /// <summary>A new state came from the client: note who and when for <c>list</c>; an attach is complete.</summary>
    private void ClientHeard()
    {
        _pendingAttachUntil = long.MinValue / 2;
        if (_connection.RemoteEndPoint is { } client)
        {
            _lastClient = NumericHost.Format(client.Address) + ":" + client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private void AnswerControlRequests(long now)
    {
        if (_control?.Listener is not { } listener)
        {
            return;
        }

        while (listener.TryTake(out Socket connection, out ControlRequest request))
        {
            string reply = request.Verb switch
            {
                ControlVerb.List => "ok " + Status(now).ToWire(),
                ControlVerb.Kill => Kill(),
                _ => Attach(request.PortRequest, now),
            };
            ControlListener.Reply(connection, reply);
        }
    }

    private string Kill()
    {
        _killRequested = true; // handled below in this loop turn, as SIGTERM is
        return "ok";
    }

    private SessionStatus Status(long now)
    {
        long lastContact = _connection.LastHeard > long.MinValue / 2 ? _connection.LastHeard : _lastContact;
        bool heard = lastContact > long.MinValue / 2;
        bool attached = heard && _connection.HasRemoteAddress && now - lastContact <= UtmpEntry.DetachedAfterMs;
        string command = _command.WithMotd ? _command.Path : string.Join(' ', _command.Argv);
        return new SessionStatus(Environment.ProcessId, _control?.StartedUnixSeconds ?? 0, attached,
            heard ? Math.Max(0, now - lastContact) / 1000 : null, _lastClient,
            _terminal.Framebuffer.Width, _terminal.Framebuffer.Height, command);
    }

    private string Attach(string? portRequest, long now)
    {
        if (Transport.ShutdownInProgress)
        {
            return "error the session is ending";
        }

        if (now < _pendingAttachUntil)
        {
            return "error another attach of this session is in progress (its client has not connected yet); try again in a few seconds";
        }

        SessionKey key = SessionKey.Generate();
        Connection next;
        if (portRequest is not null)
        {
            if (!PortRangeSyntax.TryParse(portRequest, out PortRange range, out string? complaint))
            {
                return "error bad UDP port range: " + complaint;
            }

            try
            {
                next = Connection.CreateServer(key, _control?.BindAddress, range,
                    log: _verbosity > 0 ? Trace : null);
            }
            catch (NetworkException e)
            {
                return "error " + e.Message;
            }
        }
        else
        {
            next = _connection.HandOverTo(key);
        }

        if (_connection.LastHeard > long.MinValue / 2)
        {
            _lastContact = _connection.LastHeard;
        }

        RetireClient();
        _connection = next;
        _link = new TransportLink(next);
        _streamBudget.Reset(); // the new transport counts afresh
        _transport = new Transport<CompleteTerminal, UserStream>(
            new CompleteTerminal(_terminal.Framebuffer.Width, _terminal.Framebuffer.Height), new UserStream(), _link, _link,
            MonotonicClock.Instance);
        if (_verbosity > 0)
        {
            _transport.TraceTo(_link, Trace, MonotonicClock.Instance);
        }

        _terminal.ForgetClient();
        _forwarding.NewClient(); // the old client's streams end with it
        _clientIntroduced = false;
        Snapshot();
        _lastRemoteNum = 0;
        _utmp.Detach();
        _pendingAttachUntil = now + PendingAttachMs;
        _attaches++;
        if (_verbosity > 0)
        {
            Trace($"Attach #{_attaches}: new key, port {next.Port}.");
        }

        return $"ok {next.Port} {key}";
    }

    /// <summary>
    /// The current transport stops serving input. If its client is still heard, it goes on only to send that client
    /// a shutdown under the old key (until acknowledged or upstream's 16 tries / 10 s); otherwise it is dropped.
    /// </summary>
    private void RetireClient()
    {
        if (_connection.HasRemoteAddress && !_transport.ShutdownInProgress)
        {
            // Our client learns why (field 42, if it announced notices); upstream's just sees the shutdown.
            _transport.SetCurrentState(_terminal.WithNotice(SessionNoticeKind.TakenOver));
            _transport.StartShutdown();
            _retiring.Add((_transport, _link));
            _transport.Tick();
            return;
        }

        _link.Dispose();
        _connection.Dispose(); // a handed-over connection leaves the shared socket open
    }

    private void TickRetiringClients(long now)
    {
        for (int i = _retiring.Count - 1; i >= 0; i--)
        {
            var (transport, link) = _retiring[i];
            transport.Tick();
            if (transport.ShutdownAcknowledged || transport.ShutdownAckTimedOut || !link.HasRemoteAddress)
            {
                link.Dispose();
                link.Connection.Dispose();
                _retiring.RemoveAt(i);
            }
        }
    }

    private void DisposeRetiringClients()
    {
        foreach (var (_, link) in _retiring)
        {
            link.Dispose();
            link.Connection.Dispose();
        }

        _retiring.Clear();
    }
}
