using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mosh.Forwarding;
using Mosh.Protobufs;
using static Mosh.Tests.Forwarding.StreamMultiplexerTests;

namespace Mosh.Tests.Forwarding;

/// <summary>
/// The server-listening direction (<c>-R</c>, <c>-A</c>) with real sockets: the client asks, the server listens and
/// opens streams that name the client's listener number, and the client connects only where it said.
/// </summary>
[TestFixture]
public class StreamMultiplexerRemoteTests
{
    /// <summary>Pumps until <paramref name="done"/> or 30 s.</summary>
    private static void PumpUntil(StreamMultiplexer client, StreamMultiplexer server, Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Pump(client, server);
        }
    }

    /// <summary>Reads <paramref name="socket"/> (non-blocking) until end of file while pumping both ends.</summary>
    private static byte[] ReadToEnd(Socket socket, StreamMultiplexer client, StreamMultiplexer server)
    {
        socket.Blocking = false;
        var received = new MemoryStream();
        byte[] buffer = new byte[65536];
        bool eof = false;
        PumpUntil(client, server, () =>
        {
            while (!eof)
            {
                int n = socket.Receive(buffer, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    break;
                }

                if (error != SocketError.Success || n == 0)
                {
                    eof = true;
                    break;
                }

                received.Write(buffer, 0, n);
            }

            return eof;
        });
        Assert.That(eof, Is.True, "the connection reached end of file");
        return received.ToArray();
    }

    [Test]
    public void A_connection_to_the_servers_listener_reaches_the_clients_target_with_the_same_bytes()
    {
        byte[] payload = RandomNumberGenerator.GetBytes(1024 * 1024 + 5);
        using TcpListener target = LoopbackListener.Start(out int targetPort);
        int remotePort = FreePort();
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, reports.Add) { Enabled = true };
        client.RequestRemote(1, $"127.0.0.1:{remotePort}", new ForwardTarget("127.0.0.1", targetPort));
        Pump(client, server);
        Assert.That(server.ListenerCount, Is.EqualTo(1), "the server listens where the client asked");

        // The client's side target sends the payload and closes.
        var far = Task.Run(() =>
        {
            using Socket accepted = target.AcceptSocket();
            accepted.Send(payload);
            accepted.Shutdown(SocketShutdown.Both);
        });
        using var remote = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        remote.Connect(IPAddress.Loopback, remotePort);
        remote.Shutdown(SocketShutdown.Send);
        byte[] received = ReadToEnd(remote, client, server);
        Assert.That(far.Wait(TimeSpan.FromSeconds(30)), Is.True);
        PumpUntil(client, server, () => client.StreamCount == 0 && server.StreamCount == 0);
        Assert.Multiple(() =>
        {
            Assert.That(SHA256.HashData(received), Is.EqualTo(SHA256.HashData(payload)));
            Assert.That(client.StreamCount + server.StreamCount, Is.Zero, "the finished stream is gone on both ends");
            Assert.That(reports, Is.Empty);
        });
    }

    [Test]
    public void The_client_resets_a_server_open_for_a_listener_it_never_asked_for()
    {
        using TcpListener target = LoopbackListener.Start(out int targetPort);
        using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
        client.RequestRemote(1, "127.0.0.1:1", new ForwardTarget("127.0.0.1", targetPort));
        client.ClearOutgoing();

        // Listener 2 was never asked for; an Open without a number, or naming a target of the server's choosing, neither.
        client.Receive([.. Entry(2, StreamFrameKind.Open, value: 2), .. Entry(4, StreamFrameKind.Open, "127.0.0.1:22"u8),
            .. Entry(6, StreamFrameKind.Open, value: (ulong)uint.MaxValue + 2)]);
        Assert.That(Frames(client.Outgoing), Is.EqualTo(new[]
        {
            (2u, StreamFrameKind.Reset, "the client did not ask for this forwarding"),
            (4u, StreamFrameKind.Reset, "the client did not ask for this forwarding"),
            (6u, StreamFrameKind.Reset, "the client did not ask for this forwarding"),
        }));
        Assert.That(client.StreamCount, Is.Zero);

        // Its own listener's number is served.
        client.Receive(Entry(8, StreamFrameKind.Open, value: 1));
        Assert.That(client.StreamCount, Is.EqualTo(1));
    }

    [Test]
    public void A_listener_port_already_taken_on_the_server_is_reported_once_and_not_fatal()
    {
        using TcpListener taken = LoopbackListener.Start(out int port);
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        client.RequestRemote(1, $"127.0.0.1:{port}", new ForwardTarget("127.0.0.1", 9));
        client.RequestRemote(2, "not-an-address", new ForwardTarget("127.0.0.1", 9));
        Pump(client, server);
        Pump(client, server);
        Assert.Multiple(() =>
        {
            Assert.That(server.ListenerCount, Is.Zero);
            Assert.That(reports, Has.Count.EqualTo(2));
            Assert.That(reports[0], Does.Contain($"cannot listen on 127.0.0.1:{port} on the server"));
            Assert.That(reports[1], Does.Contain("bad listen address 'not-an-address'"));
        });
    }

    [Test]
    public void A_server_without_an_agent_socket_says_so_when_the_client_asks_for_the_agent()
    {
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        client.RequestRemote(1, StreamMultiplexer.AgentRequest, ForwardTarget.Unix("/nonexistent"));
        Pump(client, server);
        Pump(client, server);
        Assert.That(reports, Is.EqualTo(new[] { "agent forwarding: this session has no agent socket (it was started without mosh-server new -A)" }));
    }

    /// <summary>A Unix listener in a fresh directory, and its path.</summary>
    private static (Socket Socket, string Path) UnixListener(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(4);
        return (socket, path);
    }

    [Test]
    public void Agent_connections_reach_the_clients_agent_only_while_the_client_asks_for_them()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mux-agent-");
        try
        {
            (Socket agentOnServer, string serverPath) = UnixListener(directory.FullName, "server.sock");
            (Socket agentOnClient, string clientPath) = UnixListener(directory.FullName, "client.sock");
            using Socket clientAgent = agentOnClient;
            using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
            using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
            server.AddAgentListener(agentOnServer);

            client.RequestRemote(1, StreamMultiplexer.AgentRequest, ForwardTarget.Unix(clientPath));
            Pump(client, server);
            var agentTask = Task.Run(() =>
            {
                using Socket accepted = clientAgent.Accept();
                byte[] request = new byte[5];
                int got = 0;
                while (got < request.Length)
                {
                    got += accepted.Receive(request.AsSpan(got));
                }

                accepted.Send([.. "answer:"u8, .. request]);
                accepted.Shutdown(SocketShutdown.Both);
            });
            using (var user = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                user.Connect(new UnixDomainSocketEndPoint(serverPath));
                user.Send("hello"u8);
                Assert.That(System.Text.Encoding.ASCII.GetString(ReadToEnd(user, client, server)), Is.EqualTo("answer:hello"));
            }

            Assert.That(agentTask.Wait(TimeSpan.FromSeconds(30)), Is.True);

            // A new client (an attach) whose requests did not include the agent: the socket stays, its connections
            // are closed again.
            server.ResetAll();
            using var newClient = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
            newClient.EndRequests();
            Pump(newClient, server);
            using var late = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            late.Connect(new UnixDomainSocketEndPoint(serverPath));
            Assert.That(ReadToEnd(late, newClient, server), Is.Empty);
            Assert.That(server.StreamCount, Is.Zero);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Starts a thread that serves one agent connection on <paramref name="agent"/>: "answer:" and the 5 bytes it got.</summary>
    private static Task ServeOneAgentRequest(Socket agent) => Task.Run(() =>
    {
        using Socket accepted = agent.Accept();
        byte[] request = new byte[5];
        int got = 0;
        while (got < request.Length)
        {
            got += accepted.Receive(request.AsSpan(got));
        }

        accepted.Send([.. "answer:"u8, .. request]);
        accepted.Shutdown(SocketShutdown.Both);
    });

    /// <summary>Connects to the server's agent socket and pumps until the server holds the connection.</summary>
    private static Socket ConnectEarly(string path, StreamMultiplexer client, StreamMultiplexer server)
    {
        var user = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        user.Connect(new UnixDomainSocketEndPoint(path));
        PumpUntil(client, server, () => server.AgentWaiting > 0);
        return user;
    }

    /// <summary>Whether the peer closed <paramref name="socket"/> (end of file) while both ends are pumped a few times.</summary>
    private static bool ClosedAfterPumping(Socket socket, StreamMultiplexer client, StreamMultiplexer server)
    {
        socket.Blocking = false;
        byte[] buffer = new byte[64];
        for (int round = 0; round < 20; round++)
        {
            Pump(client, server);
            int n = socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error != SocketError.WouldBlock && (error != SocketError.Success || n == 0))
            {
                return true;
            }
        }

        return false;
    }

    [Test]
    public void An_agent_connection_made_before_the_clients_listen_frame_waits_and_reaches_the_clients_agent()
    {
        // The shell may run ssh-add before the client's Listen "agent" arrives (it starts on the client's first state,
        // the Listen follows a round trip later) or before an attached client's hello.
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mux-agent-");
        try
        {
            (Socket agentOnServer, string serverPath) = UnixListener(directory.FullName, "server.sock");
            (Socket agentOnClient, string clientPath) = UnixListener(directory.FullName, "client.sock");
            using Socket clientAgent = agentOnClient;
            using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
            using var server = new StreamMultiplexer(isClient: false, _ => { }); // no client has announced itself yet
            server.AddAgentListener(agentOnServer);
            Task agentTask = ServeOneAgentRequest(clientAgent);

            using Socket early = ConnectEarly(serverPath, client, server);
            early.Send("early"u8);
            Assert.That(ClosedAfterPumping(early, client, server), Is.False, "the early connection waits");

            server.ResetAll(); // the client's hello: streams on
            server.Enabled = true;
            client.RequestRemote(1, StreamMultiplexer.AgentRequest, ForwardTarget.Unix(clientPath));
            client.EndRequests();
            Assert.That(System.Text.Encoding.ASCII.GetString(ReadToEnd(early, client, server)), Is.EqualTo("answer:early"));
            Assert.That(agentTask.Wait(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(server.AgentWaiting, Is.Zero);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void A_waiting_agent_connection_is_closed_once_the_client_shows_it_will_not_ask_or_after_the_time_limit()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mux-agent-");
        try
        {
            (Socket agentOnServer, string serverPath) = UnixListener(directory.FullName, "server.sock");
            var clock = new Mosh.Tests.Network.ManualClock();
            using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
            using var server = new StreamMultiplexer(isClient: false, _ => { }, clock) { Enabled = true };
            server.AddAgentListener(agentOnServer);

            // The client's requests end without the agent (it gave -L or -R only).
            using (Socket early = ConnectEarly(serverPath, client, server))
            {
                client.EndRequests();
                Assert.That(ClosedAfterPumping(early, client, server), Is.True, "closed once the client's requests are in");
            }

            // A new client that announced no streams (or upstream's, without a hello).
            server.ResetAll();
            using (Socket early = ConnectEarly(serverPath, client, server))
            {
                server.DeclineAgent();
                Assert.That(ClosedAfterPumping(early, client, server), Is.True, "closed when the client announced no streams");
                using var later = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                later.Connect(new UnixDomainSocketEndPoint(serverPath));
                Assert.That(ClosedAfterPumping(later, client, server), Is.True, "and at once while that client is there");
            }

            // A client that never says: at most AgentWaitMs.
            server.ResetAll();
            using (Socket early = ConnectEarly(serverPath, client, server))
            {
                Assert.That(server.WaitTime(clock.NowMilliseconds), Is.EqualTo(StreamMultiplexer.AgentWaitMs));
                clock.Advance(StreamMultiplexer.AgentWaitMs - 1);
                Assert.That(ClosedAfterPumping(early, client, server), Is.False, "still waiting just before the limit");
                clock.Advance(1);
                Assert.That(ClosedAfterPumping(early, client, server), Is.True, "closed at the limit");
                Assert.That(server.WaitTime(clock.NowMilliseconds), Is.EqualTo(int.MaxValue));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void A_new_client_closes_the_previous_clients_remote_listeners()
    {
        int remotePort = FreePort();
        using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        client.RequestRemote(1, $"127.0.0.1:{remotePort}", new ForwardTarget("127.0.0.1", 9));
        Pump(client, server);
        Assert.That(server.ListenerCount, Is.EqualTo(1));
        server.ResetAll();
        Assert.That(server.ListenerCount, Is.Zero);
        using var probe = new TcpListener(IPAddress.Loopback, remotePort);
        Assert.DoesNotThrow(probe.Start, "the port is free again");
    }
}
