namespace Mosh.Wrapper;

/// <summary>The wrapper's --help text (also printed after a command-line error).</summary>
internal static class WrapperUsage
{
    public static string Text(string programName) =>
        $"Usage: {programName} [options] [--] [user@]host [command...]\n" +
        $"       {programName} [options] --list [user@]host\n" +
        $"       {programName} [options] --attach[=PID] [user@]host\n" +
        """
                --client=PATH        the mosh-client to run here (default: "mosh-client")
                --server=COMMAND     the mosh-server to run on the remote host
                                        (default: "mosh-server")

                --predict=adaptive      echo keystrokes locally when the link is slow [default]
        -a      --predict=always        always echo keystrokes locally
        -n      --predict=never         never echo keystrokes locally
                --predict=experimental  echo keystrokes aggressively, even when unsure

        -o      --predict-overwrite     local echo overwrites text instead of inserting

        -4      --family=inet        IPv4 only
        -6      --family=inet6       IPv6 only
                --family=auto        pick the family for hosts that have only one
                --family=all         try every family
                --family=prefer-inet try every family, IPv4 first [default]
                --family=prefer-inet6 try every family, IPv6 first
        -p PORT[:PORT2]
                --port=PORT[:PORT2]  UDP port or port range for the server
                                        (the SSH port is set with --ssh)
                --bind-server={ssh|any|IP}  address the server answers from
                                        (default: "ssh", the one ssh reached)

                --ssh=COMMAND        how to run ssh (default: "ssh";
                                        example: "ssh -p 2222")

                --no-ssh-pty         do not ask ssh for a pseudo-terminal

                --no-init            do not switch to the alternate screen

                --local              start mosh-server on this machine, without ssh

                --list               list your sessions on the host (running or
                                        detached) instead of starting one
                --attach[=PID]       take over a running session on the host
                                        (default: the only detached one)

        -L [bind_address:]port:host:hostport
                             forward a local TCP port through the session to
                                     host:hostport as seen from the server
                                     (listens on 127.0.0.1 unless told; repeatable)
        -R [bind_address:]port:host:hostport
                             the server listens on port (127.0.0.1 unless
                                     told) and each connection is carried to
                                     host:hostport as seen from here (repeatable)
        -A --forward-agent   forward the ssh agent ($SSH_AUTH_SOCK) to the session

                --experimental-remote-ip=(local|remote|proxy)  how to learn the
                                     server's IP address (default: "proxy")

                --help               print this help
                --version            print version and copyright

        Mosh for .NET: a wire-compatible implementation of Mosh (https://mosh.org).

        """;
}
